/**
 * The default per-scan memory bound. While a stream runs, one scan's worth of memory can be live
 * about eight times over: the open scan's frames, those frames and the volume assembled from them at
 * the seal, the sealed scans waiting for the pipeline (2 by default), and the scan in the pipeline
 * with its intermediates (filtered copy, mask, labels: ~4x). With the receive queue beside them, a
 * stream should stay within half of the machine's memory, so the default is
 * (half the memory - the queue bound) / 8, at least 64 MiB.
 */
import { totalmem } from 'node:os';

/** Scan copies that can be live at once (see the module comment). */
const SCAN_COPIES = 8;
const MIN_SCAN_BYTES = 64 * 1024 * 1024;

/** The default `maxScanBytes` for a receive queue of `queueBytes` on this machine (whole MiB). */
export function defaultMaxScanBytes(queueBytes: number): number {
  const limit = process.constrainedMemory?.() ?? 0;
  const memory = limit > 0 && limit < totalmem() ? limit : totalmem();
  const bytes = Math.max(MIN_SCAN_BYTES, (memory / 2 - queueBytes) / SCAN_COPIES);
  return Math.floor(bytes / 1048576) * 1048576;
}

/**
 * Starts writing a range of an output file to disk without waiting for it (Linux `sync_file_range`
 * through the native addon; nothing without it). A task calls it after writing its band, so that the
 * driver's one fsync before the rename into place finds most pages already written: on 512 MB of
 * labels, that fsync took 130-140 ms on the driver after every task had finished, against 5-8 ms with
 * each band started as it was written (the bands' writes took ~60 ms longer, in the tasks, in parallel).
 */
import { nativeAddon } from '../../native/index.js';

/** Starts the writeback of `length` bytes of `fd` from `offset`; advisory, so a failure is ignored (the fsync still runs). */
export function startWriteback(fd: number, offset: number, length: number): void {
  if (length > 0) nativeAddon?.startWriteback?.(fd, offset, length);
}

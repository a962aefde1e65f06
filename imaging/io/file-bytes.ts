/**
 * Bounds-checked file access for the readers and writers. Every length or offset read from a file is
 * checked against the file size here, before anything is allocated, so a corrupt header fails with
 * an `ImageFormatError` instead of a RangeError or a huge allocation.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

import type { Fail } from './image-format-error.js';

/** `readSync` and `writeSync` move at most this many bytes per call (Node caps a call near 2 GiB). */
const MAX_IO = 1 << 30;

/** Opens `path` for reading, runs `body` with the descriptor and the file size, and closes it. */
export function withFile<T>(path: string, fail: Fail, body: (fd: number, size: number) => T): T {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return fail(`cannot open: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`, 'check the path', err);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return fail('is not a regular file', 'pass the path of an image file');
    return body(fd, stats.size);
  } finally {
    closeSync(fd);
  }
}

/** Fails unless bytes `[position, position + length)` lie inside a file of `size` bytes. */
export function checkRange(size: number, position: number, length: number, what: string, fail: Fail): void {
  if (!(Number.isSafeInteger(position) && Number.isSafeInteger(length) && position >= 0 && length >= 0)) {
    fail(`corrupt: ${what} has offset ${position} and length ${length}`, 're-export the file');
  }
  if (position + length > size) {
    fail(`truncated: ${what} needs bytes ${position}..${position + length} but the file has ${size} bytes`, 're-export the file');
  }
}

/** Reads exactly `target.length` bytes at `position` into `target` (a short read means the file shrank). */
export function readInto(fd: number, target: Uint8Array, position: number, fail: Fail): void {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, Math.min(MAX_IO, target.length - done), position + done);
    if (n === 0) fail(`truncated: the file ended at byte ${position + done} while reading`, 're-export the file');
    done += n;
  }
}

/** Reads `length` bytes at `position` of a file of `size` bytes, checking the range first. */
export function readAt(fd: number, size: number, position: number, length: number, what: string, fail: Fail): Buffer {
  checkRange(size, position, length, what, fail);
  const buf = Buffer.alloc(length);
  readInto(fd, buf, position, fail);
  return buf;
}

/** Writes all of `bytes` at the descriptor's current position. */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, Math.min(MAX_IO, bytes.length - done));
}

/** Gaps up to this many bytes between row runs are read through rather than skipped with a new call. */
const MAX_GAP = 16 * 1024;
/** The most bytes one coalesced read may span. */
const MAX_SPAN = 8 * 2 ** 20;

/**
 * Reads `count` runs of `runBytes`, the i-th at file position `from + i * fromStride`, into
 * `out` at `to + i * toStride`. Runs that are adjacent in both become one read; runs with small gaps
 * in the file are read as one span through a scratch buffer, since a system call costs more than
 * copying a few kilobytes; far-apart runs are read one by one.
 */
export function readRuns(fd: number, from: number, fromStride: number, out: Uint8Array, to: number, toStride: number, runBytes: number, count: number, fail: Fail): void {
  if (count === 0 || runBytes === 0) return;
  if (fromStride === runBytes && toStride === runBytes) {
    readInto(fd, out.subarray(to, to + count * runBytes), from, fail);
    return;
  }
  const span = (count - 1) * fromStride + runBytes;
  if (fromStride - runBytes <= MAX_GAP && span <= MAX_SPAN) {
    const scratch = spanScratch(span);
    readInto(fd, scratch, from, fail);
    for (let i = 0; i < count; i++) out.set(scratch.subarray(i * fromStride, i * fromStride + runBytes), to + i * toStride);
    return;
  }
  for (let i = 0; i < count; i++) {
    readInto(fd, out.subarray(to + i * toStride, to + i * toStride + runBytes), from + i * fromStride, fail);
  }
}

// One span buffer per thread, grown as needed (reads are synchronous, so one call uses it at a time):
// a fresh buffer per call cost a page fault per 4 KiB on every z slice of every block, several times
// the copy itself (a 1 GiB .npy read in 128^3 blocks spent most of its 3 s there).
let spanBuffer = Buffer.alloc(0);

function spanScratch(bytes: number): Buffer {
  if (spanBuffer.length < bytes) spanBuffer = Buffer.allocUnsafeSlow(Math.max(bytes, 2 * spanBuffer.length));
  return spanBuffer.subarray(0, bytes);
}

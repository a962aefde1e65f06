/**
 * The text headers of MetaImage and NRRD: read a bounded window from the start of the file, split it
 * into lines, and note the byte offset where each line ends so the data offset can follow the header.
 */
import { readAt } from './file-bytes.js';
import type { Fail } from './image-format-error.js';

/** Headers longer than this are corrupt (real ones are a few hundred bytes). */
export const MAX_HEADER_BYTES = 1 << 16;

/** One header line and the byte offset just past its line break. */
export interface HeaderLine {
  readonly text: string;
  readonly end: number;
}

/** The lines of the first `MAX_HEADER_BYTES` of a file (a last line without a break is included). */
export function headerLines(fd: number, size: number, fail: Fail): HeaderLine[] {
  const window = readAt(fd, size, 0, Math.min(size, MAX_HEADER_BYTES), 'the header', fail);
  const lines: HeaderLine[] = [];
  let start = 0;
  while (start < window.length) {
    let nl = window.indexOf(0x0a, start);
    const complete = nl !== -1;
    if (!complete) nl = window.length;
    lines.push({ text: window.toString('latin1', start, nl).replace(/\r$/, ''), end: complete ? nl + 1 : nl });
    start = nl + 1;
  }
  return lines;
}

/** Parses whitespace-separated numbers; null when any is not a finite number. */
export function numbers(text: string): number[] | null {
  const parts = text.trim().split(/\s+/).filter((s) => s !== '');
  const values = parts.map(Number);
  return values.every(Number.isFinite) ? values : null;
}

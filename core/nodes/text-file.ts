/**
 * `ctx.textFile(pathOrGlob, minPartitions)`: lines of text files, split by byte ranges the way Hadoop
 * does: a line belongs to the split that holds its first byte, so splits can be read independently.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Dependency } from '../dependency.js';
import type { Emit, RddNode } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface FileSplit {
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

export interface TextFileParams {
  readonly splits: readonly FileSplit[];
}

const CHUNK = 1 << 16;

export class TextFileNode implements RddNode<string> {
  readonly op = 'textFile';
  readonly parents: readonly RDD<unknown>[] = [];
  readonly partitioner = null;
  constructor(readonly params: TextFileParams) {}
  numPartitions(): number {
    return this.params.splits.length;
  }
  dependencies(): readonly Dependency[] {
    return [];
  }
  compute(split: number, _tc: TaskContext, emit: Emit<string>): void {
    const s = this.params.splits[split];
    if (s !== undefined) readLines(s, emit);
  }
  describe(): string {
    const files = new Set(this.params.splits.map((s) => s.path));
    return `textFile (${files.size} file(s))`;
  }
}

/** Emits the lines whose first byte lies in [start, end). */
export function readLines(s: FileSplit, emit: Emit<string>): void {
  const fd = openSync(s.path, 'r');
  try {
    const from = Math.max(0, s.start - 1);
    let buf = readRange(fd, from, s.end - from);
    let pos = 0;
    if (s.start > 0) {
      // The byte before our start decides: a newline there means a line starts exactly at start.
      const nl = buf.indexOf(10);
      if (nl < 0) return;
      pos = nl + 1;
    }
    const base = from;
    let eof = false;
    while (base + pos < s.end) {
      let nl = buf.indexOf(10, pos);
      while (nl < 0 && !eof) {
        const more = readRange(fd, base + buf.length, CHUNK);
        if (more.length === 0) eof = true;
        else buf = Buffer.concat([buf, more]);
        nl = buf.indexOf(10, pos);
      }
      const lineEnd = nl < 0 ? buf.length : nl;
      if (nl < 0 && lineEnd === pos) break;
      const cut = lineEnd > pos && buf[lineEnd - 1] === 13 ? lineEnd - 1 : lineEnd;
      emit(buf.toString('utf8', pos, cut));
      if (nl < 0) break;
      pos = nl + 1;
    }
  } finally {
    closeSync(fd);
  }
}

function readRange(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(0, length));
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}

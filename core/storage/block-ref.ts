/**
 * Where a block's bytes are: in memory (a view on a SharedArrayBuffer that worker threads read
 * without copying), in a spill file, or on a remote executor (a cluster worker that wrote it and
 * serves it). Refs are plain data so they cross thread and process boundaries.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export type BlockRef =
  | { readonly kind: 'mem'; readonly bytes: Uint8Array; /** Unique per stored block version (decode caches key on it). */ readonly version?: number }
  | { readonly kind: 'file'; readonly path: string; readonly offset: number; readonly length: number }
  | {
      readonly kind: 'remote';
      /** The executor that holds the block, and the address it serves blocks on. */
      readonly executorId: string;
      readonly address: string;
      /** Spark's block names: `shuffle_S_M_R` (bucket R of map M of shuffle S) or `rdd_R_P`. */
      readonly blockId: string;
      readonly length: number;
    }
  /** A lost block; `executorId` names the executor it was lost with, when one is known, `reason` why it could not be had. */
  | { readonly kind: 'missing'; readonly mapIndex: number; readonly executorId?: string; readonly reason?: string };

/** Where an executor that keeps its own blocks (a cluster worker) serves them. */
export interface BlockLocation {
  readonly executorId: string;
  readonly address: string;
}

/** Reads a block's bytes. Throws when a spill file is gone or short. */
export function readBlock(ref: BlockRef): Uint8Array {
  if (ref.kind === 'mem') return ref.bytes;
  if (ref.kind === 'missing') throw new Error(`block of map ${ref.mapIndex} is missing`);
  if (ref.kind === 'remote') throw new Error(`block ${ref.blockId} lives on executor ${ref.executorId} and was not fetched before the task ran`);
  const buf = Buffer.allocUnsafe(ref.length);
  const fd = openSync(ref.path, 'r');
  try {
    let got = 0;
    while (got < ref.length) {
      const n = readSync(fd, buf, got, ref.length - got, ref.offset + got);
      if (n === 0) throw new Error(`spill file ${ref.path} is shorter than expected (${got} of ${ref.length} bytes)`);
      got += n;
    }
  } finally {
    closeSync(fd);
  }
  return buf;
}

/** Copies bytes into a SharedArrayBuffer of exactly their size. */
export function toShared(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}

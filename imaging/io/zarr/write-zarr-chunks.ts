/**
 * The task side of a Zarr write: each task encodes its own blocks, one chunk file per block and per
 * pyramid level (chunk grid = block grid), each written to a temporary name beside it and renamed,
 * so a chunk file is either whole or absent. Chunks whose voxels are all the fill value (0) are not
 * written: readers take a missing chunk as the fill value.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { namedFunction } from '../../../core/index.js';
import type { Block } from '../../block.js';
import { allocate, type DType, type TypedArray } from '../../dtype.js';
import type { Shape3 } from '../../volume.js';
import { littleEndianBytes } from '../byte-order.js';
import { encodeChunk, type WriteCodec } from './chunk-codecs.js';
import { downsample2, type DownsampleMethod } from './downsample.js';

/** Where and how the tasks write: everything a task needs, as plain data. */
export interface ZarrTarget {
  /** The store's folder (its temporary name until the driver commits). */
  readonly root: string;
  readonly dtype: DType;
  /** Chunk shape of each level, level 0 first (level 0's is the block shape). */
  readonly levelChunks: readonly Shape3[];
  readonly codecs: readonly WriteCodec[];
  /** Whether levels halve z too (not for 2D images, whose z is 1). */
  readonly downsampleZ: boolean;
  readonly method: DownsampleMethod;
}

/**
 * Writes the chunks of the partition's blocks at every level; yields the raw (uncompressed) bytes of
 * the chunks written. Shipped by name: it runs in worker threads and on cluster workers.
 */
export const writeZarrChunks = namedFunction(
  'imaging.writeZarrChunks',
  (blocks: IterableIterator<Block>, env: { readonly target: ZarrTarget }): number[] => {
    const t = env.target;
    let written = 0;
    for (const b of blocks) {
      let data = b.data;
      let shape: Shape3 = b.shape;
      for (let level = 0; level < t.levelChunks.length; level++) {
        if (level > 0) ({ data, shape } = downsample2(data, shape, t.dtype, t.downsampleZ, t.method));
        written += writeChunk(t, level, b.index, data, shape);
      }
    }
    return [written];
  },
  import.meta.url,
);

/** Encodes one chunk and writes it at `LEVEL/c/Z/Y/X`; 0 bytes when it is all fill and left out. */
function writeChunk(t: ZarrTarget, level: number, index: Shape3, data: TypedArray, shape: Shape3): number {
  const chunkShape = t.levelChunks[level]!;
  const bytes = littleEndianBytes(padToChunk(data, shape, chunkShape, t.dtype));
  if (isAllZero(bytes)) return 0;
  const dir = mkdirsUnder(join(t.root, String(level)), ['c', String(index[0]), String(index[1])]);
  const file = join(dir, String(index[2]));
  const temp = `${file}.tmp-${process.pid}-${threadId}`;
  try {
    writeFileSync(temp, encodeChunk(bytes, t.codecs));
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  return bytes.length;
}

/** Edge blocks are smaller than a chunk; Zarr chunks are always whole, padded with the fill value 0. */
function padToChunk(data: TypedArray, shape: Shape3, cs: Shape3, dtype: DType): TypedArray {
  if (shape[0] === cs[0] && shape[1] === cs[1] && shape[2] === cs[2]) return data;
  const out = allocate(dtype, cs[0] * cs[1] * cs[2]);
  const run = shape[2];
  for (let z = 0; z < shape[0]; z++)
    for (let y = 0; y < shape[1]; y++) {
      const from = (z * shape[1] + y) * run;
      out.set(data.subarray(from, from + run), (z * cs[1] + y) * cs[2]);
    }
  return out;
}

/** True when every byte is 0 (so every voxel is the fill value 0, and -0.0 is kept). */
function isAllZero(bytes: Uint8Array): boolean {
  const words = bytes.byteOffset % 4 === 0 ? Math.floor(bytes.length / 4) : 0;
  const w = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
  for (let i = 0; i < words; i++) if (w[i] !== 0) return false;
  for (let i = words * 4; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Creates `parts` one by one under `base` (which the driver made) and returns the innermost folder.
 * Never recursive from the root: when a failed job has abandoned the store, a task still running
 * fails here (ENOENT) instead of making the store's folders again and leaving them behind.
 */
function mkdirsUnder(base: string, parts: readonly string[]): string {
  let dir = base;
  for (const p of parts) {
    dir = join(dir, p);
    try {
      mkdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return dir;
}

/**
 * Points for the machine-learning verbs: the selected numeric columns of a partition as one
 * row-major Float64Array (complete cases only), cached so that iterations read raw shared memory.
 * Also the small kernels every such algorithm needs: squared distances, a seeded generator, and
 * element-wise addition of partial sums.
 */
import { namedFunction } from '../core/index.js';
import { rowMatrix, type Batch } from './batch.js';

/** The points of one partition: n rows of d coordinates. */
export interface Points {
  readonly n: number;
  readonly d: number;
  readonly x: Float64Array;
}

/** Partition → its points (one Points per batch) over columns `env.indices`. */
export const toPoints = namedFunction(
  'table.toPoints',
  (it: IterableIterator<Batch>, env: { readonly indices: readonly number[] }): Points[] => {
    const out: Points[] = [];
    for (const b of it) out.push(rowMatrix(b, env.indices));
    return out;
  },
  import.meta.url,
);

/** Element-wise sum, for treeAggregate over partial sums. */
export const addArrays = namedFunction(
  'table.addArrays',
  (a: Float64Array, b: Float64Array): Float64Array => {
    const out = a.slice();
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (b[i] as number);
    return out;
  },
  import.meta.url,
);

/** Squared distance from row `r` of `x` to center `c` of `centers` (both d wide). */
export function squaredDistance(x: Float64Array, r: number, centers: Float64Array, c: number, d: number): number {
  let s = 0;
  const o = r * d;
  const q = c * d;
  for (let j = 0; j < d; j++) {
    const t = (x[o + j] as number) - (centers[q + j] as number);
    s += t * t;
  }
  return s;
}

/** Index of the nearest center and the squared distance to it, packed: returns the index; distance in `out[0]`. */
export function nearest(x: Float64Array, r: number, centers: Float64Array, k: number, d: number, out: Float64Array): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    const dist = squaredDistance(x, r, centers, c, d);
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  out[0] = bestD;
  return best;
}

/** A seed mixed from several integers (splitmix-style), so partition p of step s gets its own stream. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

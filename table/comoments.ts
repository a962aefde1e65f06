/**
 * Co-moments of d numeric columns: count, means and the matrix of centred cross-products, computed
 * per partition (centred on the partition's own means) and merged pairwise, the multivariate form of
 * Chan et al.'s update: C = Ca + Cb + (ma − mb)(ma − mb)ᵀ · na·nb / n. The partial behind corr()
 * and PCA's covariance. Rows with a missing value in any of the columns are left out (complete
 * cases). Layout: [n, mean_0..mean_{d-1}, C row-major d×d].
 */
import { namedFunction } from '../core/index.js';
import { rowMatrix, type Batch } from './batch.js';

/** Partition → one co-moments partial over columns `env.indices`. */
export const partitionComoments = namedFunction(
  'table.partitionComoments',
  (it: IterableIterator<Batch>, env: { readonly indices: readonly number[] }): Float64Array[] => {
    const d = env.indices.length;
    const acc = new Float64Array(1 + d + d * d);
    for (const b of it) mergeComoments(acc, batchComoments(b, env.indices), d);
    return [acc];
  },
  import.meta.url,
);

export const mergeComomentsFn = namedFunction(
  'table.mergeComoments',
  (a: Float64Array, b: Float64Array): Float64Array => mergeComoments(a.slice(), b, comomentsDim(a.length)),
  import.meta.url,
);

/** Co-moments of one batch. */
export function batchComoments(b: Batch, indices: readonly number[]): Float64Array {
  const d = indices.length;
  const { n, x } = rowMatrix(b, indices);
  const out = new Float64Array(1 + d + d * d);
  out[0] = n;
  if (n === 0) return out;
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (x[r * d + j] as number);
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / n;
  const c = new Float64Array(d * d);
  const dev = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) dev[j] = (x[o + j] as number) - (mean[j] as number);
    for (let i = 0; i < d; i++) {
      const di = dev[i] as number;
      const row = i * d;
      for (let j = i; j < d; j++) c[row + j] = (c[row + j] as number) + di * (dev[j] as number);
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) c[i * d + j] = c[j * d + i] as number;
  out.set(mean, 1);
  out.set(c, 1 + d);
  return out;
}

/** Merges co-moments `b` into `a` (in place), both over d columns; returns `a`. */
export function mergeComoments(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const na = a[0] as number;
  const nb = b[0] as number;
  if (nb === 0) return a;
  if (na === 0) {
    a.set(b);
    return a;
  }
  const n = na + nb;
  const delta = new Float64Array(d);
  for (let j = 0; j < d; j++) delta[j] = (b[1 + j] as number) - (a[1 + j] as number);
  const w = (na * nb) / n;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const k = 1 + d + i * d + j;
      a[k] = (a[k] as number) + (b[k] as number) + (delta[i] as number) * (delta[j] as number) * w;
    }
  }
  for (let j = 0; j < d; j++) a[1 + j] = (a[1 + j] as number) + ((delta[j] as number) * nb) / n;
  a[0] = n;
  return a;
}

/** Dimension d of a co-moments partial of length 1 + d + d². */
export function comomentsDim(length: number): number {
  return Math.round((-1 + Math.sqrt(1 - 4 * (1 - length))) / 2);
}

/**
 * Co-moments of d numeric columns: count, means and the matrix of centred cross-products, computed
 * per partition (centred on the partition's own means) and merged pairwise, the multivariate form of
 * Chan et al.'s update: C = Ca + Cb + (ma − mb)(ma − mb)ᵀ · na·nb / n. The partial behind corr()
 * and PCA's covariance. Rows with a missing value in any of the columns are left out (complete
 * cases). Layout: [n, mean_0..mean_{d-1}, C row-major d×d].
 */
import { namedFunction } from '../core/index.js';
import { columnAt, type Batch, type NumericColumn } from './batch.js';

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

/** Merge function for treeAggregate over co-moments partials. */
export const mergeComomentsFn = namedFunction(
  'table.mergeComoments',
  (a: Float64Array, b: Float64Array): Float64Array => mergeComoments(a.slice(), b, comomentsDim(a.length)),
  import.meta.url,
);

/**
 * Co-moments of one batch, a column pair at a time: deviations from the batch means are formed
 * once per column (0 for a row with a missing value anywhere, so it adds nothing), then each entry
 * of the upper triangle is one dot product over contiguous arrays.
 */
export function batchComoments(b: Batch, indices: readonly number[]): Float64Array {
  const d = indices.length;
  const rows = b.length;
  const cols = indices.map((i) => columnAt(b, i) as NumericColumn);
  const ok = new Uint8Array(rows).fill(1);
  for (const c of cols) for (let r = 0; r < rows; r++) if ((c[r] as number) !== (c[r] as number)) ok[r] = 0;
  let n = 0;
  for (let r = 0; r < rows; r++) n += ok[r] as number;
  const out = new Float64Array(1 + d + d * d);
  out[0] = n;
  if (n === 0) return out;
  const dev = cols.map((c, j) => {
    let sum = 0;
    for (let r = 0; r < rows; r++) if (ok[r] === 1) sum += c[r] as number;
    const mean = sum / n;
    out[1 + j] = mean;
    const v = new Float64Array(rows);
    for (let r = 0; r < rows; r++) v[r] = ok[r] === 1 ? (c[r] as number) - mean : 0;
    return v;
  });
  for (let i = 0; i < d; i++) {
    const x = dev[i] as Float64Array;
    for (let j = i; j < d; j++) {
      const y = dev[j] as Float64Array;
      let s = 0;
      for (let r = 0; r < rows; r++) s += (x[r] as number) * (y[r] as number);
      out[1 + d + i * d + j] = s;
      out[1 + d + j * d + i] = s;
    }
  }
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

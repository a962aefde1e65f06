/**
 * Column moments: count, mean, M2 (sum of squared deviations), min and max per numeric column,
 * computed per partition and merged pairwise (Chan, Golub & LeVeque 1979), the partial aggregate
 * behind mean, std, describe, groupBy.agg and the within/between comparison. Missing values (NaN)
 * are not counted. A partial is a Float64Array of 5 numbers per column, so it travels as raw bytes.
 */
import { namedFunction } from '../core/index.js';
import { columnAt, isStringColumn, stringAt, type Batch, type NumericColumn } from './batch.js';

/** Numbers per column in a moments partial: n, mean, M2, min, max. */
export const MOMENT_SLOTS = 5;

/** Empty moments for `d` columns. */
export function emptyMoments(d: number): Float64Array {
  const m = new Float64Array(d * MOMENT_SLOTS);
  for (let j = 0; j < d; j++) {
    m[j * 5 + 3] = Infinity;
    m[j * 5 + 4] = -Infinity;
  }
  return m;
}

/** Moments of column `values` (two passes: the mean, then centred squares). */
export function columnMoments(values: NumericColumn, out: Float64Array, j: number): void {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < values.length; r++) {
    const v = values[r] as number;
    if (v !== v) continue;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = n === 0 ? 0 : sum / n;
  let m2 = 0;
  for (let r = 0; r < values.length; r++) {
    const v = values[r] as number;
    if (v === v) m2 += (v - mean) * (v - mean);
  }
  const o = j * 5;
  out[o] = n;
  out[o + 1] = mean;
  out[o + 2] = m2;
  out[o + 3] = min;
  out[o + 4] = max;
}

/** Merges moments `b` into `a` (in place) and returns `a`. */
export function mergeMoments(a: Float64Array, b: Float64Array): Float64Array {
  for (let o = 0; o < a.length; o += 5) {
    const na = a[o] as number;
    const nb = b[o] as number;
    if (nb === 0) continue;
    if (na === 0) {
      for (let k = 0; k < 5; k++) a[o + k] = b[o + k] as number;
      continue;
    }
    const n = na + nb;
    const delta = (b[o + 1] as number) - (a[o + 1] as number);
    a[o] = n;
    a[o + 1] = (a[o + 1] as number) + (delta * nb) / n;
    a[o + 2] = (a[o + 2] as number) + (b[o + 2] as number) + (delta * delta * na * nb) / n;
    a[o + 3] = Math.min(a[o + 3] as number, b[o + 3] as number);
    a[o + 4] = Math.max(a[o + 4] as number, b[o + 4] as number);
  }
  return a;
}

/** Summary of column `j` of a moments partial; std is the sample standard deviation (n − 1). */
export function momentsOf(m: Float64Array, j: number): { count: number; mean: number; std: number; variance: number; min: number; max: number; sum: number } {
  const o = j * 5;
  const n = m[o] as number;
  const variance = n > 1 ? (m[o + 2] as number) / (n - 1) : Number.NaN;
  return {
    count: n,
    mean: n === 0 ? Number.NaN : (m[o + 1] as number),
    sum: n * (m[o + 1] as number),
    std: Math.sqrt(variance),
    variance,
    min: n === 0 ? Number.NaN : (m[o + 3] as number),
    max: n === 0 ? Number.NaN : (m[o + 4] as number),
  };
}

/** Partition → one moments partial over the columns `env.indices`. */
export const partitionMoments = namedFunction(
  'table.partitionMoments',
  (it: IterableIterator<Batch>, env: { readonly indices: readonly number[] }): Float64Array[] => {
    const d = env.indices.length;
    const acc = emptyMoments(d);
    const part = new Float64Array(d * 5);
    for (const b of it) {
      for (let j = 0; j < d; j++) columnMoments(columnAt(b, env.indices[j] as number) as NumericColumn, part, j);
      mergeMoments(acc, part);
    }
    return [acc];
  },
  import.meta.url,
);

/** Merge function for reduceByKey / treeAggregate over moments partials. */
export const mergeMomentsFn = namedFunction('table.mergeMoments', (a: Float64Array, b: Float64Array): Float64Array => mergeMoments(a.slice(), b), import.meta.url);

/** Group key of a row: the string, the number, or null when missing. */
export type GroupKey = string | number | null;

/**
 * Partition → [group key, moments] pairs, one per group present, over `env.indices`. One Welford
 * update per row and column; group slots are found by dictionary code for a string key column.
 */
export const groupMoments = namedFunction(
  'table.groupMoments',
  (it: IterableIterator<Batch>, env: { readonly by: number; readonly indices: readonly number[] }): [GroupKey, Float64Array][] => {
    const d = env.indices.length;
    const groups = new Map<GroupKey, Float64Array>();
    for (const b of it) {
      const key = columnAt(b, env.by);
      const cols = env.indices.map((i) => columnAt(b, i) as NumericColumn);
      const slots = new Map<number, Float64Array>();
      for (let r = 0; r < b.length; r++) {
        let slot: Float64Array | undefined;
        if (isStringColumn(key)) {
          const code = key.codes[r] as number;
          slot = slots.get(code);
          if (slot === undefined) {
            const k = stringAt(key, r);
            slot = groups.get(k);
            if (slot === undefined) groups.set(k, (slot = emptyMoments(d)));
            slots.set(code, slot);
          }
        } else {
          const v = key[r] as number;
          const k = v !== v ? null : v;
          slot = groups.get(k);
          if (slot === undefined) groups.set(k, (slot = emptyMoments(d)));
        }
        for (let j = 0; j < d; j++) {
          const x = (cols[j] as NumericColumn)[r] as number;
          if (x !== x) continue;
          const o = j * 5;
          const n = (slot[o] as number) + 1;
          const delta = x - (slot[o + 1] as number);
          const mean = (slot[o + 1] as number) + delta / n;
          slot[o] = n;
          slot[o + 1] = mean;
          slot[o + 2] = (slot[o + 2] as number) + delta * (x - mean);
          if (x < (slot[o + 3] as number)) slot[o + 3] = x;
          if (x > (slot[o + 4] as number)) slot[o + 4] = x;
        }
      }
    }
    return [...groups];
  },
  import.meta.url,
);

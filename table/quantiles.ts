/**
 * Exact quantiles without collecting rows: the rank of each quantile is known from the count, so
 * a histogram pass finds the bin that holds that rank, and a second pass collects only the values
 * of that bin (a few thousand of millions) to sort. A bin still too full (heavy ties, skew) is
 * histogrammed again over its own range. Bins are monotone in the value, so the values of a bin are
 * exactly those in [its min, its max]. Quantiles interpolate linearly between the order statistics
 * around rank q·(n − 1), as numpy's and pandas' defaults do.
 */
import { namedFunction, type RDD } from '../core/index.js';
import { columnAt, type Batch, type NumericColumn } from './batch.js';

const BINS = 1024;
const COLLECT_LIMIT = 200_000;

/** One order statistic being searched: column `col`, 0-based rank among its non-missing values. */
interface Target {
  readonly col: number;
  readonly rank: number;
  lo: number;
  hi: number;
  /** Values of the column below `lo`. */
  below: number;
  value: number | null;
}

/** Per target: counts, mins and maxes of BINS bins over [lo, hi]. */
export const binValues = namedFunction(
  'table.binValues',
  (it: IterableIterator<Batch>, env: { readonly targets: readonly { col: number; lo: number; hi: number }[] }): Float64Array[] => {
    const out = env.targets.map(() => {
      const h = new Float64Array(3 * BINS);
      h.fill(Infinity, BINS, 2 * BINS);
      h.fill(-Infinity, 2 * BINS, 3 * BINS);
      return h;
    });
    for (const b of it) {
      for (let t = 0; t < env.targets.length; t++) {
        const { col, lo, hi } = env.targets[t] as { col: number; lo: number; hi: number };
        const h = out[t] as Float64Array;
        const values = columnAt(b, col) as NumericColumn;
        const scale = BINS / (hi - lo);
        for (let r = 0; r < values.length; r++) {
          const v = values[r] as number;
          if (!(v >= lo && v <= hi)) continue; // also skips NaN
          let k = Math.floor((v - lo) * scale);
          if (k >= BINS) k = BINS - 1;
          h[k] = (h[k] as number) + 1;
          if (v < (h[BINS + k] as number)) h[BINS + k] = v;
          if (v > (h[2 * BINS + k] as number)) h[2 * BINS + k] = v;
        }
      }
    }
    return [concat(out)];
  },
  import.meta.url,
);

/** Per target: the values in [lo, hi]. */
export const valuesIn = namedFunction(
  'table.valuesIn',
  (it: IterableIterator<Batch>, env: { readonly targets: readonly { col: number; lo: number; hi: number }[] }): Float64Array[][] => {
    const out: number[][] = env.targets.map(() => []);
    for (const b of it) {
      for (let t = 0; t < env.targets.length; t++) {
        const { col, lo, hi } = env.targets[t] as { col: number; lo: number; hi: number };
        const values = columnAt(b, col) as NumericColumn;
        const into = out[t] as number[];
        for (let r = 0; r < values.length; r++) {
          const v = values[r] as number;
          if (v >= lo && v <= hi) into.push(v);
        }
      }
    }
    return [out.map((v) => Float64Array.from(v))];
  },
  import.meta.url,
);

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.length * 3 * BINS);
  parts.forEach((p, i) => out.set(p, i * 3 * BINS));
  return out;
}

/**
 * Quantiles `probs` of each column `cols` (indices into the batches), given each column's count,
 * min and max (from a moments pass). Returns [column][prob].
 */
export async function exactQuantiles(
  rdd: RDD<Batch>,
  cols: readonly number[],
  stats: readonly { count: number; min: number; max: number }[],
  probs: readonly number[],
  collectLimit = COLLECT_LIMIT,
): Promise<number[][]> {
  const targets = new Map<string, Target>();
  const want = (c: number, rank: number): Target => {
    const key = `${c}:${rank}`;
    let t = targets.get(key);
    const s = stats[c] as { count: number; min: number; max: number };
    if (t === undefined) targets.set(key, (t = { col: cols[c] as number, rank, lo: s.min, hi: s.max, below: 0, value: s.min === s.max ? s.min : null }));
    return t;
  };
  const plan = cols.map((_, c) => {
    const n = (stats[c] as { count: number }).count;
    return probs.map((q) => {
      if (n === 0) return null;
      const pos = q * (n - 1);
      return { lower: want(c, Math.floor(pos)), upper: want(c, Math.ceil(pos)), frac: pos - Math.floor(pos) };
    });
  });
  // Fewer, larger tasks: each sends one histogram of every searched range back.
  const input = rdd.getNumPartitions() > 8 ? rdd.coalesce(8) : rdd;
  for (let round = 0; round < 16; round++) {
    const open = [...targets.values()].filter((t) => t.value === null);
    if (open.length === 0) break;
    const ranges = uniqueRanges(open);
    const hist = await input.mapPartitions(binValues, { targets: ranges.list }).reduce(mergeHistograms);
    const collect: Target[] = [];
    for (const t of open) {
      const o = (ranges.index.get(rangeKey(t)) as number) * 3 * BINS;
      let cum = t.below;
      let k = 0;
      for (; k < BINS; k++) {
        const c = hist[o + k] as number;
        if (t.rank < cum + c) break;
        cum += c;
      }
      if (k === BINS) throw new Error(`quantiles: rank ${t.rank} of column ${t.col} not found; did the input change between passes?`);
      const bmin = hist[o + BINS + k] as number;
      const bmax = hist[o + 2 * BINS + k] as number;
      t.lo = bmin;
      t.hi = bmax;
      t.below = cum;
      if (bmin === bmax) t.value = bmin;
      else if ((hist[o + k] as number) <= collectLimit) collect.push(t);
    }
    if (collect.length === 0) continue;
    const wanted = uniqueRanges(collect);
    const values = await input.mapPartitions(valuesIn, { targets: wanted.list }).reduce(concatValues);
    const sorted = values.map((v) => v.slice().sort());
    for (const t of collect) t.value = (sorted[wanted.index.get(rangeKey(t)) as number] as Float64Array)[t.rank - t.below] as number;
  }
  return plan.map((row) => row.map((p) => (p === null ? Number.NaN : interpolate(p.lower.value as number, p.upper.value as number, p.frac))));
}

function rangeKey(t: { col: number; lo: number; hi: number }): string {
  return `${t.col}:${t.lo}:${t.hi}`;
}

function uniqueRanges(ts: readonly Target[]): { list: { col: number; lo: number; hi: number }[]; index: Map<string, number> } {
  const index = new Map<string, number>();
  const list: { col: number; lo: number; hi: number }[] = [];
  for (const t of ts) {
    const key = rangeKey(t);
    if (!index.has(key)) {
      index.set(key, list.length);
      list.push({ col: t.col, lo: t.lo, hi: t.hi });
    }
  }
  return { list, index };
}

/** Joins per-range value lists. */
export const concatValues = namedFunction(
  'table.concatValues',
  (a: Float64Array[], b: Float64Array[]): Float64Array[] =>
    a.map((x, i) => {
      const y = b[i] as Float64Array;
      const out = new Float64Array(x.length + y.length);
      out.set(x);
      out.set(y, x.length);
      return out;
    }),
  import.meta.url,
);

function interpolate(a: number, b: number, frac: number): number {
  return frac === 0 ? a : a + (b - a) * frac;
}

/** Adds histograms of the same targets: counts add, mins and maxes combine. */
export const mergeHistograms = namedFunction(
  'table.mergeHistograms',
  (a: Float64Array, b: Float64Array): Float64Array => {
    const out = a.slice();
    for (let o = 0; o < out.length; o += 3 * BINS) {
      for (let k = 0; k < BINS; k++) {
        out[o + k] = (out[o + k] as number) + (b[o + k] as number);
        out[o + BINS + k] = Math.min(out[o + BINS + k] as number, b[o + BINS + k] as number);
        out[o + 2 * BINS + k] = Math.max(out[o + 2 * BINS + k] as number, b[o + 2 * BINS + k] as number);
      }
    }
    return out;
  },
  import.meta.url,
);

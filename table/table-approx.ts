/**
 * Approximate answers within a time limit: `meanApprox(column, { timeoutMs, confidence })` and
 * `countApprox`. The job runs its partitions in a seeded random order, so the partitions finished
 * at the timeout are a random sample of them; the estimate treats partitions as clusters (cluster
 * sampling, Cochran 1977 ch. 9–11): the mean is the ratio Σ sums / Σ counts of the finished
 * partitions, and its interval comes from how much partitions differ from each other (with the
 * finite-population correction), a Student t interval on m − 1 degrees of freedom. That is what
 * keeps the interval honest when partitions are samples with different means — the case Spark's
 * MeanEvaluator (rows as a simple random sample) gets wrong; with one finished partition we fall
 * back to it (core's approxMean).
 *
 * Stratified: with `by` (a sample column), each sample's mean is estimated from its own rows, so a
 * sample whose partitions have not finished does not shift the others; samples not seen yet are
 * not listed.
 */
import { StatCounter, approxCount, approxMean, inverseStudentTCdf, makeRng, namedFunction, settleAtTimeout, type RDD } from '../core/index.js';
import { columnAt, fieldIndex, isStringColumn, numericIndex, stringAt, type Batch, type NumericColumn } from './batch.js';
import type { GroupKey } from './moments.js';
import { mixSeed } from './points.js';
import type { Table } from './table.js';
import { TableError } from './table-error.js';

/** Options of meanApprox and countApprox. */
export interface ApproxOptions {
  /** Resolve with an estimate after this long (default 1000 ms), or with the exact value if done earlier. */
  readonly timeoutMs?: number;
  /** Coverage of the interval (default 0.95). */
  readonly confidence?: number;
  /** Seed of the partition order (default 1). */
  readonly seed?: number;
  /** meanApprox only: also estimate the mean of each sample named by this column. */
  readonly by?: string;
}

/** An estimate with its interval; `final` resolves with the exact value when the job ends. */
export interface Estimate {
  /** The estimate (the exact value once isFinal). */
  readonly value: number;
  /** Lower end of the interval. */
  readonly low: number;
  /** Upper end of the interval. */
  readonly high: number;
  /** Coverage of the interval, as asked for (default 0.95). */
  readonly confidence: number;
  /** True when every partition finished, so that value is exact. */
  readonly isFinal: boolean;
  /** Partitions whose rows the estimate saw, of all. */
  readonly partitionsDone: number;
  /** Partitions of the job. */
  readonly partitions: number;
  /** Per sample (with `by`): its estimate, from the finished partitions. */
  readonly strata?: readonly (Estimate & {
    /** The sample's value in the `by` column. */
    readonly key: GroupKey;
  })[];
}

/** The estimate at the timeout (or the exact value), with a promise of the exact value. */
export type TableApprox = Estimate & {
  /** Resolves with the exact value when the whole job is done. */
  readonly final: Promise<Estimate>;
};

/** Per partition: [n, sum, sum of squares] of the column, per stratum key (one null key without `by`). */
export const approxPartial = namedFunction(
  'table.approxPartial',
  (it: IterableIterator<Batch>, env: { readonly col: number; readonly by: number }): [GroupKey, number, number, number][] => {
    const acc = new Map<GroupKey, [GroupKey, number, number, number]>();
    for (const b of it) {
      const key = env.by < 0 ? null : columnAt(b, env.by);
      const values = env.col < 0 ? null : (columnAt(b, env.col) as NumericColumn);
      for (let r = 0; r < b.length; r++) {
        const v = values === null ? 0 : (values[r] as number);
        if (v !== v) continue;
        const k = key === null ? null : isStringColumn(key) ? stringAt(key, r) : key[r] !== key[r] ? null : (key[r] as number);
        let a = acc.get(k);
        if (a === undefined) acc.set(k, (a = [k, 0, 0, 0]));
        a[1]++;
        a[2] += v;
        a[3] += v * v;
      }
    }
    return [...acc.values()];
  },
  import.meta.url,
);

/** One partition's contribution to one estimate. */
export interface ClusterPartial {
  readonly n: number;
  readonly sum: number;
  readonly sumSq: number;
}

/** The cluster-sampling ratio estimate of the mean from `done` of `total` partitions. */
export function estimateMean(done: readonly ClusterPartial[], total: number, confidence: number): { value: number; low: number; high: number; confidence: number } {
  const m = done.length;
  let n = 0;
  let s = 0;
  for (const p of done) {
    n += p.n;
    s += p.sum;
  }
  if (m === total) return exactly(n === 0 ? Number.NaN : s / n);
  const withRows = done.filter((p) => p.n > 0);
  if (n === 0) return { value: Number.NaN, low: -Infinity, high: Infinity, confidence };
  const r = s / n;
  if (withRows.length < 2) {
    // One cluster with rows: its own mean and row variance, as Spark's MeanEvaluator would.
    const p = withRows[0] as ClusterPartial;
    const st = StatCounter.fromJSON({ count: p.n, mean: p.sum / p.n, m2: Math.max(0, p.sumSq - (p.sum * p.sum) / p.n), max: 0, min: 0 });
    const b = approxMean(st, 1, Math.max(2, total), confidence);
    return { value: b.value, low: b.low, high: b.high, confidence };
  }
  let se2 = 0;
  for (const p of done) se2 += (p.sum - r * p.n) ** 2;
  se2 /= m - 1;
  const nbar = n / m;
  const variance = ((1 - m / total) * se2) / (m * nbar * nbar);
  const half = inverseStudentTCdf((1 + confidence) / 2, m - 1) * Math.sqrt(variance);
  return { value: r, low: r - half, high: r + half, confidence };
}

/** The cluster-sampling estimate of the total row count from `done` of `total` partitions. */
export function estimateCount(done: readonly number[], total: number, confidence: number): { value: number; low: number; high: number; confidence: number } {
  const m = done.length;
  const seen = done.reduce((a, b) => a + b, 0);
  if (m === total) return exactly(seen);
  if (m < 2) {
    const b = approxCount(seen, m, total, confidence);
    return { value: b.value, low: b.low, high: b.high, confidence };
  }
  const mean = seen / m;
  const s2 = done.reduce((a, x) => a + (x - mean) ** 2, 0) / (m - 1);
  const value = total * mean;
  const half = inverseStudentTCdf((1 + confidence) / 2, m - 1) * total * Math.sqrt(((1 - m / total) * s2) / m);
  return { value, low: Math.max(seen, value - half), high: value + half, confidence };
}

function exactly(value: number): { value: number; low: number; high: number; confidence: number } {
  return { value, low: value, high: value, confidence: 1 };
}

/** The mean of `column` (missing values skipped) within `options.timeoutMs`. */
export function meanApprox(table: Table, column: string, options: ApproxOptions): Promise<TableApprox> {
  const col = numericIndex(table.fields, column, 'meanApprox');
  const by = options.by === undefined ? -1 : fieldIndex(table.fields, options.by, 'meanApprox by');
  return run(table, { col, by }, options, (parts, total, confidence) => {
    const overall = estimateMean(parts.map((p) => sumOver(p)), total, confidence);
    if (by < 0) return overall;
    const keys = new Map<GroupKey, ClusterPartial[]>();
    for (const p of parts) for (const [k, n, sum, sumSq] of p) (keys.get(k) ?? keys.set(k, []).get(k)!).push({ n, sum, sumSq });
    // Partitions that finished without rows of a sample still count for it (they hold 0 of its rows).
    const strata = [...keys].map(([key, ps]) => {
      const zeros = Array.from({ length: parts.length - ps.length }, () => ({ n: 0, sum: 0, sumSq: 0 }));
      return { key, ...estimateMean([...ps, ...zeros], total, confidence) };
    });
    return { ...overall, strata };
  });
}

/** The number of rows within `options.timeoutMs`. */
export function countApprox(table: Table, options: ApproxOptions): Promise<TableApprox> {
  return run(table, { col: -1, by: -1 }, options, (parts, total, confidence) => estimateCount(parts.map((p) => sumOver(p).n), total, confidence));
}

type Partial = [GroupKey, number, number, number][];
type Evaluate = (parts: readonly Partial[], total: number, confidence: number) => { value: number; low: number; high: number; confidence: number; strata?: (ReturnType<typeof estimateMean> & { key: GroupKey })[] };

function sumOver(p: Partial): ClusterPartial {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (const [, a, b, c] of p) {
    n += a;
    sum += b;
    sumSq += c;
  }
  return { n, sum, sumSq };
}

function run(table: Table, env: { col: number; by: number }, options: ApproxOptions, evaluate: Evaluate): Promise<TableApprox> {
  const { timeoutMs = 1000, confidence = 0.95, seed = 1 } = options;
  if (!(confidence > 0 && confidence < 1)) return Promise.reject(new TableError('approx', `confidence must be in (0, 1), got ${String(confidence)}`, 'pass e.g. { confidence: 0.95 }'));
  if (!(timeoutMs >= 0)) return Promise.reject(new TableError('approx', `timeoutMs must be >= 0, got ${String(timeoutMs)}`, 'pass e.g. { timeoutMs: 5000 }'));
  const rdd = table.rdd.mapPartitions(approxPartial, env);
  const total = rdd.getNumPartitions();
  const order = partitionOrder(total, seed);
  const parts: Partial[] = [];
  const shape = (isFinal: boolean): Estimate => {
    const e = total === 0 ? { ...exactly(Number.NaN) } : evaluate(parts, total, confidence);
    const strata = 'strata' in e && e.strata !== undefined ? e.strata.map((s) => ({ ...s, isFinal, partitionsDone: parts.length, partitions: total })) : undefined;
    return { value: e.value, low: e.low, high: e.high, confidence: e.confidence, isFinal, partitionsDone: parts.length, partitions: total, ...(strata === undefined ? {} : { strata }) };
  };
  const job = rdd.context.runJob<Partial>(rdd as RDD<unknown>, { op: 'collect' }, { partitions: order, onResult: (_i, res) => void parts.push(res) });
  return settleAtTimeout(job, timeoutMs, shape);
}

/**
 * The order partitions run in: a seeded permutation, so that the partitions finished at any moment
 * are a simple random sample of them even when the table's partitions are sorted by sample.
 */
export function partitionOrder(n: number, seed: number): number[] {
  const rand = makeRng(mixSeed(seed, n));
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j] as number, a[i] as number];
  }
  return a;
}

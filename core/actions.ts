/**
 * Driver halves of the actions: each runs a job with a ResultOp (result-ops.ts) and merges the
 * per-partition results. Everything here returns a Promise; bad arguments reject.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './errors.js';
import { approxCount, approxMean, approxSum, settleAtTimeout } from './approx.js';
import { KeyMap } from './key-map.js';
import { orderingOf, type PartitionStats, type ResultOp } from './result-ops.js';
import type { RDD } from './rdd.js';
import { fractionForSampleSize, makeRng, shuffleInPlace } from './sampling.js';
import { lineage } from './scheduler/stage-planner.js';
import { StatCounter } from './stat-counter.js';
import type { UserFn } from './user-fn.js';

type AnyFn = (...args: unknown[]) => unknown;

export async function collect<T>(rdd: RDD<T>): Promise<T[]> {
  const parts = await rdd.context.runJob<T[]>(rdd as RDD<unknown>, { op: 'collect' });
  return parts.flat() as T[];
}

export async function count(rdd: RDD<unknown>): Promise<number> {
  const parts = await rdd.context.runJob<number>(rdd, { op: 'count' });
  return parts.reduce((a, b) => a + b, 0);
}

/** Spark's take: scan one partition, then grow the number scanned by up to 4x until n records. */
export async function take<T>(rdd: RDD<T>, n: number): Promise<T[]> {
  if (!Number.isInteger(n) || n < 0) throw new ConfigError('n', `take: n must be a non-negative integer, got ${n}`);
  const out: T[] = [];
  const total = rdd.getNumPartitions();
  let scanned = 0;
  while (out.length < n && scanned < total) {
    let next = 1;
    if (scanned > 0) next = out.length === 0 ? scanned * 4 : Math.max(1, Math.min(scanned * 4, Math.ceil((1.5 * n * scanned) / out.length) - scanned));
    const partitions = range(scanned, Math.min(total, scanned + next));
    const parts = await rdd.context.runJob<T[]>(rdd as RDD<unknown>, { op: 'take', n: n - out.length }, { partitions });
    for (const p of parts) for (const x of p) if (out.length < n) out.push(x);
    scanned += partitions.length;
  }
  return out;
}

export async function first<T>(rdd: RDD<T>): Promise<T> {
  const xs = await take(rdd, 1);
  if (xs.length === 0) throw new Error('first: the RDD is empty');
  return xs[0] as T;
}

export async function takeOrdered<T>(rdd: RDD<T>, n: number, compare: UserFn | null, reverse: boolean): Promise<T[]> {
  const parts = await rdd.context.runJob<T[]>(rdd as RDD<unknown>, { op: 'takeOrdered', n, compare, reverse });
  return (parts.flat() as T[]).sort(orderingOf(compare, reverse, null)).slice(0, n);
}

export async function extreme<T>(rdd: RDD<T>, compare: UserFn | null, sign: 1 | -1): Promise<T> {
  const xs = await takeOrdered(rdd, 1, compare, sign === 1);
  if (xs.length === 0) throw new Error(`${sign === 1 ? 'max' : 'min'}: the RDD is empty`);
  return xs[0] as T;
}

export async function reduce<T>(rdd: RDD<T>, f: UserFn): Promise<T> {
  const parts = await rdd.context.runJob<T[]>(rdd as RDD<unknown>, { op: 'reduce', f });
  const fn = f.fn as AnyFn;
  let has = false;
  let acc: unknown;
  for (const p of parts) {
    if (p.length === 0) continue;
    acc = has ? fn(acc, p[0], f.env, null) : p[0];
    has = true;
  }
  if (!has) throw new Error('reduce: the RDD is empty (use fold with a zero value for empty RDDs)');
  return acc as T;
}

export async function fold<T>(rdd: RDD<T>, zero: T, f: UserFn): Promise<T> {
  const parts = await rdd.context.runJob<T>(rdd as RDD<unknown>, { op: 'fold', zero, f });
  const fn = f.fn as AnyFn;
  return parts.reduce((acc, p) => fn(acc, p, f.env, null) as T, structuredClone(zero));
}

export async function aggregate<T, U>(rdd: RDD<T>, zero: U, seqOp: UserFn, combOp: UserFn): Promise<U> {
  const parts = await rdd.context.runJob<U>(rdd as RDD<unknown>, { op: 'aggregate', zero, seqOp });
  const fn = combOp.fn as AnyFn;
  return parts.reduce((acc, p) => fn(acc, p, combOp.env, null) as U, structuredClone(zero));
}

/**
 * treeAggregate: partial aggregates are combined in `depth - 1` rounds on the executors before the
 * driver merges the last few, so the driver never receives thousands of large aggregates at once.
 */
export async function treeAggregate<T, U>(rdd: RDD<T>, zero: U, seqOp: UserFn, combOp: UserFn, depth: number): Promise<U> {
  if (!Number.isInteger(depth) || depth < 1) throw new ConfigError('depth', `treeAggregate: depth must be >= 1, got ${depth}`);
  let n = rdd.getNumPartitions();
  if (n === 0) return structuredClone(zero);
  type Env = { zero: unknown; seq: AnyFn; env: unknown };
  let partial: RDD<unknown> = (rdd as RDD<unknown>).mapPartitions<unknown, Env>(
    (it, e, tc) => {
      let acc = structuredClone(e.zero);
      for (const x of it) acc = e.seq(acc, x, e.env, tc);
      return [acc];
    },
    { zero, seq: seqOp.fn as AnyFn, env: seqOp.env },
  );
  const scale = Math.max(Math.ceil(n ** (1 / depth)), 2);
  while (n > scale + Math.ceil(n / scale)) {
    n = Math.ceil(n / scale);
    partial = partial
      .mapPartitionsWithIndex((i, it, e) => Array.from(it, (x) => [i % e.n, x] as [number, unknown]), { n })
      .foldByKey<number, unknown, { comb: AnyFn; env: unknown }>(zero, (a, b, e, tc) => e.comb(a, b, e.env, tc), {
        numPartitions: n,
        env: { comb: combOp.fn as AnyFn, env: combOp.env },
      })
      .values();
  }
  const identity: UserFn = { fn: ((acc: unknown, x: unknown, e: { comb: AnyFn; env: unknown }, tc: unknown) => e.comb(acc, x, e.env, tc)) as UserFn['fn'], env: { comb: combOp.fn, env: combOp.env } };
  return aggregate(partial, zero, identity, combOp) as Promise<U>;
}

export async function foreach(rdd: RDD<unknown>, f: UserFn): Promise<void> {
  await rdd.context.runJob(rdd, { op: 'foreach', f });
}

export async function foreachPartition(rdd: RDD<unknown>, f: UserFn): Promise<void> {
  await rdd.context.runJob(rdd, { op: 'foreachPartition', f });
}

export async function countByValue<T>(rdd: RDD<T>): Promise<Map<T, number>> {
  const parts = await rdd.context.runJob<unknown[]>(rdd as RDD<unknown>, { op: 'countByValue' });
  const merged = new KeyMap<T, number>();
  for (const flat of parts) {
    for (let i = 0; i < flat.length; i += 2) merged.set(flat[i] as T, (merged.get(flat[i] as T) ?? 0) + (flat[i + 1] as number));
  }
  return toMap(merged);
}

export async function collectAsMap<K, V>(rdd: RDD<[K, V]>): Promise<Map<K, V>> {
  const pairs = await collect(rdd);
  const m = new KeyMap<K, V>();
  for (const [k, v] of pairs) m.set(k, v);
  return toMap(m);
}

/**
 * Values for `key`; with a known partitioner only the one partition that can hold it is read. The
 * lineage is prepared first, so a sortByKey's range bounds are sampled before they are consulted.
 */
export async function lookup<K, V>(rdd: RDD<[K, V]>, key: K): Promise<V[]> {
  for (const r of lineage(rdd as RDD<unknown>)) await r.node.prepare?.();
  const part = rdd.partitioner;
  const options = part === null ? {} : { partitions: [part.getPartition(key)] };
  const parts = await rdd.context.runJob<V[]>(rdd as RDD<unknown>, { op: 'lookup', key }, options);
  return parts.flat() as V[];
}

export async function stats(rdd: RDD<number>): Promise<StatCounter> {
  const parts = await rdd.context.runJob<PartitionStats>(rdd as RDD<unknown>, { op: 'stats' });
  const total = new StatCounter();
  for (const p of parts) total.mergeStats(StatCounter.fromJSON(p));
  return total;
}

/** The sum of the elements, added up exactly as a loop would (StatCounter's count × mean is not). */
export async function sum(rdd: RDD<number>): Promise<number> {
  const parts = await rdd.context.runJob<PartitionStats>(rdd as RDD<unknown>, { op: 'stats' });
  return parts.reduce((acc, p) => acc + p.sum, 0);
}

/** PySpark's histogram: a bucket count (evenly spaced over [min, max]) or sorted bucket edges. */
export async function histogram(rdd: RDD<number>, buckets: number | readonly number[]): Promise<[number[], number[]]> {
  let edges: number[];
  if (typeof buckets === 'number') {
    if (!Number.isInteger(buckets) || buckets < 1) throw new ConfigError('buckets', `histogram: bucket count must be >= 1, got ${buckets}`);
    const s = await stats(rdd);
    if (s.count === 0) throw new Error('histogram: the RDD is empty, so bucket edges cannot be derived');
    if (!Number.isFinite(s.min) || !Number.isFinite(s.max)) throw new Error('histogram: values must be finite to derive bucket edges');
    edges = s.min === s.max ? [s.min, s.max] : Array.from({ length: buckets + 1 }, (_, i) => (i === buckets ? s.max : s.min + ((s.max - s.min) * i) / buckets));
  } else {
    edges = buckets.slice();
    if (edges.length < 2) throw new ConfigError('buckets', 'histogram: need at least two bucket edges');
    for (let i = 1; i < edges.length; i++) {
      if (!((edges[i] as number) > (edges[i - 1] as number))) throw new ConfigError('buckets', 'histogram: bucket edges must be sorted and distinct');
    }
  }
  const parts = await rdd.context.runJob<number[]>(rdd as RDD<unknown>, { op: 'histogram', buckets: edges });
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const p of parts) for (let i = 0; i < counts.length; i++) counts[i] = (counts[i] as number) + (p[i] as number);
  return [edges, counts];
}

export async function takeSample<T>(rdd: RDD<T>, withReplacement: boolean, num: number, seed: number): Promise<T[]> {
  if (!Number.isInteger(num) || num < 0) throw new ConfigError('num', `takeSample: num must be a non-negative integer, got ${num}`);
  if (num === 0) return [];
  const total = await count(rdd as RDD<unknown>);
  if (total === 0) return [];
  const rng = makeRng(seed);
  if (!withReplacement && num >= total) return shuffleInPlace(await collect(rdd), rng);
  const fraction = fractionForSampleSize(num, total, withReplacement);
  let attempt = 0;
  let sample = await collect(rdd.sample(withReplacement, fraction, seed));
  while (sample.length < num && attempt < 100) {
    attempt++;
    sample = await collect(rdd.sample(withReplacement, fraction, seed + attempt * 7919));
  }
  return shuffleInPlace(sample, rng).slice(0, num);
}

export async function saveAsTextFile(rdd: RDD<unknown>, path: string): Promise<void> {
  if (existsSync(path)) throw new Error(`saveAsTextFile: ${path} already exists; choose a new directory or remove it first`);
  // Made up front (as Spark's output committer does) so an RDD without partitions still yields a directory.
  mkdirSync(path, { recursive: true });
  await rdd.context.runJob(rdd, { op: 'saveText', dir: path });
  writeFileSync(join(path, '_SUCCESS'), '');
}

/** What an approximate action resolves with at its timeout; `final` resolves when the job ends. */
export type ApproxResult<N extends 'count' | 'sum' | 'mean'> = { readonly [P in N]: number } & {
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
  readonly isFinal: boolean;
  readonly final: Promise<{ readonly [P in N]: number } & { readonly low: number; readonly high: number; readonly confidence: number; readonly isFinal: true }>;
};

type Bounds = { value: number; low: number; high: number; confidence: number };

const exactly = (value: number): Bounds => ({ value, low: value, high: value, confidence: 1 });

export function countApprox(rdd: RDD<unknown>, timeoutMs: number, confidence: number): Promise<ApproxResult<'count'>> {
  let sum = 0;
  return approx<'count', number>(rdd, { op: 'count' }, timeoutMs, confidence, 'count', (c) => void (sum += c), (finished, total) =>
    // The estimators need at least one partition; without any the count is known: 0.
    total === 0 ? exactly(0) : approxCount(sum, finished, total, confidence),
  );
}

export function statApprox<N extends 'sum' | 'mean'>(rdd: RDD<number>, timeoutMs: number, confidence: number, name: N): Promise<ApproxResult<N>> {
  const merged = new StatCounter();
  let exactSum = 0;
  const evaluate = (finished: number, total: number): Bounds => {
    if (finished < total) return (name === 'sum' ? approxSum : approxMean)(merged, finished, total, confidence);
    // Once every partition is in: the exact sum rather than count × mean, and the mean of nothing is
    // NaN, as rdd.mean() says.
    return exactly(name === 'sum' ? exactSum : merged.count === 0 ? Number.NaN : merged.mean);
  };
  return approx<N, PartitionStats>(rdd as RDD<unknown>, { op: 'stats' }, timeoutMs, confidence, name, (s) => {
    merged.mergeStats(StatCounter.fromJSON(s));
    exactSum += s.sum;
  }, evaluate);
}

/**
 * Runs `op` and resolves at `timeoutMs` with `evaluate(finished, total)` over the partition results
 * seen so far, or earlier with the final value when the job ends first. Never throws: a failing
 * evaluation rejects, like a failing job.
 */
function approx<N extends 'count' | 'sum' | 'mean', R>(
  rdd: RDD<unknown>,
  op: ResultOp,
  timeoutMs: number,
  confidence: number,
  name: N,
  onResult: (r: R) => void,
  evaluate: (finished: number, total: number) => Bounds,
): Promise<ApproxResult<N>> {
  if (!(confidence > 0 && confidence < 1)) return Promise.reject(new ConfigError('confidence', `confidence must be in (0, 1), got ${confidence}`));
  if (!(timeoutMs >= 0)) return Promise.reject(new ConfigError('timeoutMs', `timeoutMs must be >= 0, got ${timeoutMs}`));
  const total = rdd.getNumPartitions();
  let finished = 0;
  const shape = (isFinal: boolean) => {
    const b = evaluate(finished, total);
    return { [name]: b.value, low: b.low, high: b.high, confidence: b.confidence, isFinal };
  };
  const job = rdd.context.runJob<R>(rdd, op, {
    onResult: (_i, r) => {
      onResult(r);
      finished++;
    },
  });
  return settleAtTimeout(job, timeoutMs, shape) as unknown as Promise<ApproxResult<N>>;
}

function toMap<K, V>(m: KeyMap<K, V>): Map<K, V> {
  const out = new Map<K, V>();
  m.forEach((v, k) => out.set(k, v));
  return out;
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}

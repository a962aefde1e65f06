/** `countApprox`, `sumApprox` and `meanApprox`: answers at a timeout from the partitions finished by then. */
import { approxCount, approxMean, approxSum, settleAtTimeout } from '../approx.js';
import { ConfigError } from '../errors.js';
import type { RDD } from '../rdd.js';
import { StatCounter } from '../stat-counter.js';
import type { ResultOp } from './index.js';
import type { PartitionStats } from './stats.js';

/** What an approximate action resolves with at its timeout; `final` resolves when the job ends. */
export type ApproxResult<N extends 'count' | 'sum' | 'mean'> = { readonly [P in N]: number } & {
  /** Lower bound of the interval at `confidence`. */
  readonly low: number;
  /** Upper bound of the interval at `confidence`. */
  readonly high: number;
  /** The interval's confidence (1 when exact). */
  readonly confidence: number;
  /** True when every partition had finished: the value is exact. */
  readonly isFinal: boolean;
  /** Resolves with the exact value when the job ends. */
  readonly final: Promise<
    { readonly [P in N]: number } & {
      /** Equal to the value. */
      readonly low: number;
      /** Equal to the value. */
      readonly high: number;
      /** 1. */
      readonly confidence: number;
      /** Always true. */
      readonly isFinal: true;
    }
  >;
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
  // shape's object has the computed key `name` (N), which TypeScript widens to a string index.
  return settleAtTimeout(job, timeoutMs, shape) as unknown as Promise<ApproxResult<N>>;
}

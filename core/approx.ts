/**
 * Approximate answers from partial results: `countApprox`, `meanApprox`, `sumApprox` report an
 * estimate with a confidence interval after some of a job's partitions have finished. The models
 * are those of Apache Spark's partial evaluators (CountEvaluator, MeanEvaluator, SumEvaluator in
 * `org.apache.spark.partial`): finished partitions are treated as a random sample of all of them.
 *
 * The quantile functions are self-contained: Acklam's rational approximation of the normal
 * quantile polished by one Halley step (error ~1e-15), and the Student t quantile found by bisection
 * on the regularized incomplete beta function (Numerical Recipes §6.2–6.4 continued fractions).
 */

import { ConfigError } from './errors.js';
import type { StatCounter } from './stat-counter.js';

/** An estimate with a confidence interval: the true value lies in [low, high] with `confidence`. */
export interface Bounded {
  /** The estimate. */
  readonly value: number;
  /** Lower end of the interval. */
  readonly low: number;
  /** Upper end of the interval. */
  readonly high: number;
  /** Probability that the interval holds the true value, in (0, 1) (e.g. 0.95). */
  readonly confidence: number;
}

// Acklam's coefficients: central region (a, b) and tails (c, d).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const EPS = 1e-16;
const TINY = 1e-300;

/** The standard normal quantile Φ⁻¹(p); ±Infinity at 0 and 1, NaN outside [0, 1]. */
export function inverseNormalCdf(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x: number;
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const tail =
      (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
    x = p < P_LOW ? tail : -tail;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
      (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  }
  // One Halley step on Φ(x) − p. The error is taken on the smaller tail to keep its precision.
  const e = x < 0 ? 0.5 * erfc(-x / Math.SQRT2) - p : 1 - p - 0.5 * erfc(x / Math.SQRT2);
  const pdf = Math.exp(-0.5 * x * x) / SQRT_2PI;
  if (pdf > 0) {
    const u = e / pdf;
    x -= u / (1 + (x * u) / 2);
  }
  return x;
}

/** The standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Complementary error function via the incomplete gamma function Q(1/2, x²), accurate to ~1e-15. */
function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  const z = x * x;
  const lnPrefix = -z + 0.5 * Math.log(z) - 0.5723649429247001; // −z + a·ln z − ln Γ(1/2)
  if (z < 1.5) {
    // Series for P(1/2, z).
    let term = 2;
    let sum = 2;
    for (let ap = 0.5; Math.abs(term) > Math.abs(sum) * EPS; ) {
      ap += 1;
      term *= z / ap;
      sum += term;
    }
    return 1 - sum * Math.exp(lnPrefix);
  }
  // Continued fraction for Q(1/2, z), modified Lentz.
  let b = z + 0.5;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 300; i++) {
    const an = -i * (i - 0.5);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(lnPrefix) * h;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; relative error ~1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized incomplete beta I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 1000; m++) {
    const m2 = 2 * m;
    // Even step of the fraction.
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/** The quantile of Student's t distribution with `df` degrees of freedom (relative error ~1e-12). */
export function inverseStudentTCdf(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -inverseStudentTCdf(1 - p, df);
  if (p === 1) return Infinity;
  // Upper tail P(T > t) = I_{df/(df+t²)}(df/2, 1/2) / 2, decreasing in t: bracket, then bisect.
  const target = 1 - p;
  const tail = (t: number): number => incompleteBeta(df / (df + t * t), df / 2, 0.5) / 2;
  let lo = 0;
  let hi = Math.max(1, 2 * inverseNormalCdf(p));
  while (tail(hi) > target) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Estimates a total count from the counts of the partitions that finished (Spark's CountEvaluator):
 * with a fraction p done, the total is modelled as negative binomial with mean (sum + 1 − p) / p and
 * variance (sum + 1)(1 − p) / p², and the interval is its normal approximation, clamped below at
 * the count already seen.
 */
export function approxCount(sumSoFar: number, finishedParts: number, totalParts: number, confidence: number): Bounded {
  checkProgress(finishedParts, totalParts, confidence);
  if (finishedParts === totalParts) return exact(sumSoFar);
  if (finishedParts === 0) return { value: 0, low: 0, high: Infinity, confidence: 0 };
  const p = finishedParts / totalParts;
  const mean = (sumSoFar + 1 - p) / p;
  const stdev = Math.sqrt(((sumSoFar + 1) * (1 - p)) / (p * p));
  const z = inverseNormalCdf((1 + confidence) / 2);
  return { value: mean, low: Math.max(sumSoFar, mean - z * stdev), high: mean + z * stdev, confidence };
}

/**
 * Estimates the mean of all values from the finished partitions' statistics (Spark's MeanEvaluator):
 * the sample mean, with a Student t interval for up to 100 values and a normal one beyond.
 */
export function approxMean(stats: StatCounter, finishedParts: number, totalParts: number, confidence: number): Bounded {
  checkProgress(finishedParts, totalParts, confidence);
  if (finishedParts === totalParts) return exact(stats.mean);
  if (finishedParts === 0 || stats.count === 0) return unknown(0, 0);
  if (stats.count === 1) return unknown(stats.mean, confidence);
  const half = criticalValue(stats.count, confidence) * Math.sqrt(stats.sampleVariance / stats.count);
  return { value: stats.mean, low: stats.mean - half, high: stats.mean + half, confidence };
}

/**
 * Estimates the sum of all values (Spark's SumEvaluator): the count estimate times the mean
 * estimate, with the variance of a product of two independent estimates.
 */
export function approxSum(stats: StatCounter, finishedParts: number, totalParts: number, confidence: number): Bounded {
  checkProgress(finishedParts, totalParts, confidence);
  if (finishedParts === totalParts) return exact(stats.sum);
  if (finishedParts === 0 || stats.count === 0) return unknown(0, 0);
  const p = finishedParts / totalParts;
  const mean = stats.mean;
  const count = (stats.count + 1 - p) / p;
  const value = mean * count;
  const meanVar = stats.sampleVariance / stats.count;
  if (Number.isNaN(meanVar)) return unknown(value, confidence); // one value: no spread to go on
  const countVar = ((stats.count + 1) * (1 - p)) / (p * p);
  const sumVar = mean * mean * countVar + count * count * meanVar + meanVar * countVar;
  const half = criticalValue(stats.count, confidence) * Math.sqrt(sumVar);
  return { value, low: value - half, high: value + half, confidence };
}

/** Two-sided critical value: t with count − 1 degrees of freedom up to 100 values, normal beyond. */
function criticalValue(count: number, confidence: number): number {
  const q = (1 + confidence) / 2;
  return count > 100 ? inverseNormalCdf(q) : inverseStudentTCdf(q, count - 1);
}

function exact(value: number): Bounded {
  return { value, low: value, high: value, confidence: 1 };
}

function unknown(value: number, confidence: number): Bounded {
  return { value, low: -Infinity, high: Infinity, confidence };
}

function checkProgress(finishedParts: number, totalParts: number, confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new ConfigError('confidence', `confidence must be strictly between 0 and 1, e.g. 0.95; got ${confidence}`);
  }
  if (!Number.isInteger(totalParts) || totalParts < 1) {
    throw new ConfigError('totalParts', `totalParts must be a positive integer, got ${totalParts}`);
  }
  if (!Number.isInteger(finishedParts) || finishedParts < 0 || finishedParts > totalParts) {
    throw new ConfigError('finishedParts', `finishedParts must be an integer in [0, ${totalParts}], got ${finishedParts}`);
  }
}

/**
 * The timing of every approximate answer: resolves at `timeoutMs` with `shape(false)` (the estimate from
 * what has finished), or with `shape(true)` when `job` ends first; either way the answer carries `final`,
 * the exact `shape(true)` once the job is done. A job that fails before the timeout rejects; one that
 * fails after it rejects `final` only.
 */
export function settleAtTimeout<T extends object>(job: Promise<unknown>, timeoutMs: number, shape: (isFinal: boolean) => T): Promise<T & {
  /** The answer once the whole job is done (isFinal true). */
  readonly final: Promise<T>;
}> {
  const final = job.then(() => shape(true));
  final.catch(() => undefined);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (isFinal: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        resolve({ ...shape(isFinal), final });
      } catch (err) {
        reject(err);
      }
    };
    const timer = setTimeout(() => settle(false), timeoutMs);
    job.then(
      () => settle(true),
      (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/**
 * StatCounter: count, mean, variance, min and max in one pass, mergeable across partitions
 * (Spark's `org.apache.spark.util.StatCounter`, what `rdd.stats()` returns).
 *
 * Values are folded in with Welford's update; partial counters are combined with the parallel
 * formula of Chan, Golub and LeVeque (1979), so partition-wise results merge to the one-pass answer
 * up to rounding. When one side is much larger than the other, the mean is updated from the larger
 * side's mean (as Spark does) to keep the cancellation error small.
 */

import { SerializationError } from './errors.js';

/** Plain-data form of a StatCounter, safe for structured clone and msgpack. */
export interface StatCounterData {
  readonly count: number;
  readonly mean: number;
  readonly m2: number;
  readonly max: number;
  readonly min: number;
}

/** Running statistics of a stream of numbers. */
export class StatCounter {
  private n = 0;
  private mu = 0;
  private sumSq = 0; // sum of squared deviations from the mean (M2)
  private hi = -Infinity;
  private lo = Infinity;

  /** Creates a counter, optionally over `values`. */
  constructor(values?: Iterable<number>) {
    if (values !== undefined) for (const v of values) this.merge(v);
  }

  /** Number of values merged. */
  get count(): number {
    return this.n;
  }
  /** Arithmetic mean; 0 when empty (as in Spark). */
  get mean(): number {
    return this.mu;
  }
  /** Sum of squared deviations from the mean. */
  get m2(): number {
    return this.sumSq;
  }
  /** Largest value; -Infinity when empty. */
  get max(): number {
    return this.hi;
  }
  /** Smallest value; Infinity when empty. */
  get min(): number {
    return this.lo;
  }
  /** Sum of the values (count × mean). */
  get sum(): number {
    return this.n * this.mu;
  }
  /** Population variance; NaN when empty. */
  get variance(): number {
    return this.n === 0 ? NaN : this.sumSq / this.n;
  }
  /** Sample variance (divides by count − 1); NaN with fewer than two values. */
  get sampleVariance(): number {
    return this.n <= 1 ? NaN : this.sumSq / (this.n - 1);
  }
  /** Population standard deviation. */
  get stdev(): number {
    return Math.sqrt(this.variance);
  }
  /** Sample standard deviation. */
  get sampleStdev(): number {
    return Math.sqrt(this.sampleVariance);
  }

  /** Adds one value (Welford). */
  merge(value: number): this {
    const delta = value - this.mu;
    this.n += 1;
    this.mu += delta / this.n;
    this.sumSq += delta * (value - this.mu);
    this.hi = Math.max(this.hi, value);
    this.lo = Math.min(this.lo, value);
    return this;
  }

  /** Adds every value another counter has seen (Chan et al.). Merging a counter into itself doubles it. */
  mergeStats(other: StatCounter): this {
    if (other === this) return this.mergeStats(other.copy());
    if (other.n === 0) return this;
    if (this.n === 0) return this.assign(other);
    const n = this.n + other.n;
    const delta = other.mu - this.mu;
    if (other.n * 10 < this.n) this.mu += (delta * other.n) / n;
    else if (this.n * 10 < other.n) this.mu = other.mu - (delta * this.n) / n;
    else this.mu = (this.mu * this.n + other.mu * other.n) / n;
    this.sumSq += other.sumSq + (delta * delta * this.n * other.n) / n;
    this.n = n;
    this.hi = Math.max(this.hi, other.hi);
    this.lo = Math.min(this.lo, other.lo);
    return this;
  }

  /** An independent copy. */
  copy(): StatCounter {
    return new StatCounter().assign(this);
  }

  /** Plain `{ count, mean, m2, max, min }`. */
  toJSON(): StatCounterData {
    return { count: this.n, mean: this.mu, m2: this.sumSq, max: this.hi, min: this.lo };
  }

  /**
   * Rebuilds a counter from toJSON() output. Accepts `null` for an empty counter's max and min,
   * which is what JSON.stringify makes of ±Infinity.
   */
  static fromJSON(data: unknown): StatCounter {
    const d = data as Record<string, unknown> | null;
    const count = field(d, 'count');
    const empty = count === 0;
    const counter = new StatCounter();
    counter.n = count;
    counter.mu = field(d, 'mean');
    counter.sumSq = field(d, 'm2');
    counter.hi = empty && d?.['max'] === null ? -Infinity : field(d, 'max');
    counter.lo = empty && d?.['min'] === null ? Infinity : field(d, 'min');
    return counter;
  }

  /** Formats like Spark: `(count: 3, mean: 2, stdev: 0.816…, max: 3, min: 1)`. */
  toString(): string {
    return `(count: ${this.n}, mean: ${this.mu}, stdev: ${this.stdev}, max: ${this.hi}, min: ${this.lo})`;
  }

  private assign(other: StatCounter): this {
    this.n = other.n;
    this.mu = other.mu;
    this.sumSq = other.sumSq;
    this.hi = other.hi;
    this.lo = other.lo;
    return this;
  }
}

function field(data: Record<string, unknown> | null, name: keyof StatCounterData): number {
  const value = typeof data === 'object' && data !== null ? data[name] : undefined;
  if (typeof value !== 'number') {
    throw new SerializationError(
      `StatCounter.fromJSON expected { count, mean, m2, max, min } numbers, but ${name} is ${JSON.stringify(value) ?? 'undefined'}`,
    );
  }
  return value;
}

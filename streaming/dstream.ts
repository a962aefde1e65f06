/**
 * A discretized stream: one RDD per batch time, built lazily from its parent's RDD for the same time
 * (Spark Streaming's DStream). Transformations are one-liners that build a new node; `foreachRDD`
 * registers an output operation that the StreamingContext runs every `slideMs`.
 * Times are milliseconds since the context started, multiples of the batch interval.
 */
import { ConfigError, type Fn1, type Fn2, type RDD } from '../core/index.js';
import type { StreamingContext } from './streaming-context.js';

/** A stream of RDDs, one per batch interval (Spark Streaming's DStream); transformations apply to every batch, `foreachRDD` consumes them. */
export abstract class DStream<T> {
  private readonly generated = new Map<number, Promise<RDD<T>>>();

  constructor(
    /** The streaming context that drives this stream's batches. */
    readonly ssc: StreamingContext,
    /** How often this stream produces an RDD that output operations see. */
    readonly slideMs: number,
  ) {}

  /** Builds the RDD for batch time `time` (called at most once per time). */
  protected abstract compute(time: number): Promise<RDD<T>>;

  /** The RDD for `time`, computed once and remembered while windows may still need it. */
  getOrCompute(time: number): Promise<RDD<T>> {
    let rdd = this.generated.get(time);
    if (rdd === undefined) {
      rdd = this.compute(time);
      this.generated.set(time, rdd);
      for (const t of this.generated.keys()) if (t <= time - this.ssc.rememberMs) this.generated.delete(t);
    }
    return rdd;
  }

  /** Each element mapped by `f(x, env)` (a function shipped to workers, as in RDD.map). */
  map<U, E = undefined>(f: Fn1<T, U, E>, env?: E): DStream<U> {
    return new TransformedDStream(this, async (rdd) => rdd.map(f, env));
  }

  /** The elements for which `f(x, env)` is truthy. */
  filter<E = undefined>(f: Fn1<T, unknown, E>, env?: E): DStream<T> {
    return new TransformedDStream(this, async (rdd) => rdd.filter(f, env));
  }

  /** Each element replaced by the elements of `f(x, env)`. */
  flatMap<U, E = undefined>(f: Fn1<T, Iterable<U>, E>, env?: E): DStream<U> {
    return new TransformedDStream(this, async (rdd) => rdd.flatMap(f, env));
  }

  /** Each batch's element count, as a one-element RDD. */
  count(): DStream<number> {
    return new TransformedDStream(this, async (rdd) => this.ssc.ctx.parallelize([await rdd.count()], 1));
  }

  /** Each batch reduced to one element (an empty RDD for an empty batch). */
  reduce<E = undefined>(f: Fn2<T, T, T, E>, env?: E): DStream<T> {
    return new TransformedDStream(this, async (rdd) => this.ssc.ctx.parallelize((await rdd.isEmpty()) ? [] : [await rdd.reduce(f, env)], 1));
  }

  /** The union of the last `lengthMs` of batches, every `slideMs` (both multiples of the batch interval). */
  window(lengthMs: number, slideMs: number = this.slideMs): DStream<T> {
    return new WindowedDStream(this, lengthMs, slideMs);
  }

  /** `window(lengthMs, slideMs).reduce(f)`. */
  reduceByWindow<E = undefined>(f: Fn2<T, T, T, E>, lengthMs: number, slideMs: number = this.slideMs, env?: E): DStream<T> {
    return this.window(lengthMs, slideMs).reduce(f, env);
  }

  /** Runs `fn` on every RDD this stream produces (an output operation). */
  foreachRDD(fn: (rdd: RDD<T>, time: number) => unknown): void {
    this.ssc.addOutput(async (time) => {
      if (time % this.slideMs !== 0) return;
      await fn(await this.getOrCompute(time), time);
    });
  }
}

/** A DStream whose RDD is a function of its parent's RDD for the same time. */
class TransformedDStream<T, U> extends DStream<U> {
  constructor(
    private readonly parent: DStream<T>,
    private readonly transform: (rdd: RDD<T>) => Promise<RDD<U>>,
  ) {
    super(parent.ssc, parent.slideMs);
  }

  protected override async compute(time: number): Promise<RDD<U>> {
    return this.transform(await this.parent.getOrCompute(time));
  }
}

/** The union of a parent's RDDs for the batch times in (time - length, time]. */
class WindowedDStream<T> extends DStream<T> {
  constructor(
    private readonly parent: DStream<T>,
    private readonly lengthMs: number,
    slideMs: number,
  ) {
    super(parent.ssc, slideMs);
    const b = parent.ssc.batchIntervalMs;
    for (const [name, v] of [['lengthMs', lengthMs], ['slideMs', slideMs]] as const) {
      if (!Number.isInteger(v / b) || v <= 0) throw new ConfigError(name, `window: ${name} must be a positive multiple of the batch interval (${b} ms), got ${v}`);
    }
    parent.ssc.remember(lengthMs);
  }

  protected override async compute(time: number): Promise<RDD<T>> {
    const b = this.ssc.batchIntervalMs;
    const rdds: RDD<T>[] = [];
    for (let t = Math.max(b, time - this.lengthMs + b); t <= time; t += b) rdds.push(await this.parent.getOrCompute(t));
    return rdds.length === 0 ? this.ssc.ctx.parallelize<T>([], 1) : this.ssc.ctx.union(...rdds);
  }
}

/** An input stream fed by `push`: each batch is what was pushed since the previous one. */
export class PushInputDStream<T> extends DStream<T> {
  private buffer: T[] = [];

  constructor(ssc: StreamingContext) {
    super(ssc, ssc.batchIntervalMs);
    ssc.addInput(this);
  }

  /** Adds an item to the batch being collected. */
  push(item: T): void {
    this.buffer.push(item);
  }

  protected override async compute(): Promise<RDD<T>> {
    const items = this.buffer;
    this.buffer = [];
    return this.ssc.ctx.parallelize(items, Math.max(1, Math.min(this.ssc.ctx.defaultParallelism, items.length)));
  }
}

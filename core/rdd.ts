/**
 * RDD: an immutable, partitioned, lazily computed collection. Transformations build new lineage nodes
 * in one line; actions (actions/, one file each) run jobs and return Promises. Pair operations apply to RDDs of
 * `[key, value]` arrays, with structural key equality.
 *
 * @example
 *   const ctx = await Context.create({ master: 'local[2]' });
 *   const counts = await ctx.parallelize(['a', 'b', 'a'])
 *     .map((w) => [w, 1]) // an RDD<[string, number]>: the pair operations apply
 *     .reduceByKey((a, b) => a + b)
 *     .collect(); // [['a', 2], ['b', 1]] in some order
 */
import { ConfigError } from './errors.js';
import * as actions from './actions/index.js';
import { CartesianNode } from './nodes/cartesian.js';
import { CheckpointNode } from './nodes/checkpoint.js';
import { CoalesceNode, coalesceGroups } from './nodes/coalesce.js';
import { MapPartitionsNode, type MapKind } from './nodes/map-partitions.js';
import { SampleNode } from './nodes/sample.js';
import { UnionNode } from './nodes/union.js';
import { ZipWithIndexNode } from './nodes/zip-with-index.js';
import { ZipNode } from './nodes/zip.js';
import type { Partitioner } from './partitioner.js';
import type { Dependency } from './dependency.js';
import type { Emit, RddNode } from './rdd-node.js';
import type { StorageLevel, TaskContext } from './task-context.js';
import { userFn, type UserFn } from './user-fn.js';
import { debugString } from './debug-string.js';
import { dealRoundRobin } from './round-robin.js';
import * as pairs from './pair-rdd-functions.js';
import { checkPartitions, shuffleOpts } from './shuffle-options.js';
import type { Fn1, Fn2, RddContext, ShuffleOptions } from './rdd-contracts.js';

export type { Fn1, Fn2, RddContext, RunJobOptions, ShuffleOptions } from './rdd-contracts.js';

type Pair<K, V> = [K, V];

/**
 * A resilient distributed dataset: an immutable, partitioned collection computed lazily from its
 * lineage. Transformations return new RDDs; actions run jobs and return Promises. Lost partitions
 * are recomputed from lineage.
 */
export class RDD<T> {
  /** Set by the plan reviver on workers; assigned by the context on the driver. */
  id: number;
  /** The name set with `setName` (shown on progress lines, the dashboard and toDebugString), or null. */
  name: string | null = null;
  /** How the partitions are kept once computed: 'NONE' until `persist`/`cache`. */
  storageLevel: StorageLevel = 'NONE';
  /** 'marked' until a job materializes it; then the node is swapped for a CheckpointNode. */
  checkpointState: 'none' | 'marked' | 'local' | 'done' = 'none';

  constructor(
    /** The context (or, on a worker, its stand-in) the RDD belongs to. */
    readonly context: RddContext,
    /** The lineage node that computes the partitions. */
    public node: RddNode<T>,
    id?: number,
  ) {
    this.id = id ?? context.newRddId();
  }

  /**
   * An RDD of this context over `node`, a lineage node built on this RDD: how pair-rdd-functions.ts
   * returns its shuffles while importing RDD as a type only (a value import would be a cycle).
   */
  withNode<U>(node: RddNode<U>): RDD<U> {
    return new RDD<U>(this.context, node);
  }

  // ---- the five properties -------------------------------------------------------------------

  /** The number of partitions. */
  getNumPartitions(): number {
    return this.node.numPartitions();
  }
  /** How each partition depends on the parents: narrow (one-to-one, range) or shuffle. */
  get dependencies(): readonly Dependency[] {
    return this.node.dependencies();
  }
  /** How keys map to partitions, when the RDD is known to be partitioned (after a shuffle); else null. */
  get partitioner(): Partitioner | null {
    return this.node.partitioner;
  }
  /** Hosts where partition `split` is cheapest to compute (where its input lives); may be empty. */
  preferredLocations(split: number): readonly string[] {
    return this.node.preferredLocations?.(split) ?? [];
  }

  /** Pushes partition `split` to `emit`; owns caching so nodes cannot get it wrong. */
  iterate(split: number, tc: TaskContext, emit: Emit<T>): void {
    if (this.storageLevel === 'NONE') return this.node.compute(split, tc, emit);
    const cached = tc.blocks.getCached(this.id, split) as T[] | undefined;
    if (cached !== undefined) {
      for (let i = 0; i < cached.length; i++) emit(cached[i] as T);
      return;
    }
    const records: T[] = [];
    this.node.compute(split, tc, (x) => void records.push(x));
    tc.blocks.putCached(this.id, split, records, this.storageLevel);
    for (let i = 0; i < records.length; i++) emit(records[i] as T);
  }

  /** Lineage, one line per RDD, indented at shuffle boundaries (like Spark's). */
  toDebugString(): string {
    return debugString(this);
  }
  /** Same as toDebugString. */
  explain(): string {
    return debugString(this);
  }
  /** Names the RDD (progress lines, the dashboard, toDebugString); returns it. */
  setName(name: string): this {
    this.name = name;
    return this;
  }

  // ---- narrow transformations ----------------------------------------------------------------

  private fn<F extends (...args: never[]) => unknown>(f: F, env: unknown, op: string): UserFn {
    return userFn(f, env, op, this.context.serializesFunctions) as UserFn;
  }
  private mapped<U>(kind: MapKind, f: UserFn | null, preservesPartitioning = false): RDD<U> {
    const node = new MapPartitionsNode(this as RDD<unknown>, { kind, f, preservesPartitioning });
    return new RDD<U>(this.context, node as RddNode<U>);
  }

  /**
   * A function returning a two-element array literal gives an RDD of `[K, V]` pairs, so the pair
   * operations apply as in Spark (`.map((x) => [x, 1]).reduceByKey(...)`); anything else gives `RDD<U>`.
   */
  map<K, V, E = undefined>(f: Fn1<T, [K, V], E>, env?: E): RDD<[K, V]>;
  map<U, E = undefined>(f: Fn1<T, U, E>, env?: E): RDD<U>;
  map<U, E = undefined>(f: Fn1<T, U, E>, env?: E): RDD<U> {
    return this.mapped('map', this.fn(f, env, 'map'));
  }
  /** The elements for which `f(x, env, tc)` is truthy. */
  filter<E = undefined>(f: Fn1<T, unknown, E>, env?: E): RDD<T> {
    return this.mapped('filter', this.fn(f, env, 'filter'), true);
  }
  /** Like `map`: arrays of two-element array literals give an RDD of `[K, V]` pairs. */
  flatMap<K, V, E = undefined>(f: Fn1<T, Iterable<[K, V]>, E>, env?: E): RDD<[K, V]>;
  flatMap<U, E = undefined>(f: Fn1<T, Iterable<U>, E>, env?: E): RDD<U>;
  flatMap<U, E = undefined>(f: Fn1<T, Iterable<U>, E>, env?: E): RDD<U> {
    return this.mapped('flatMap', this.fn(f, env, 'flatMap'));
  }
  /** Applies `f` to each partition as an iterator; it returns the partition's new elements. `preservesPartitioning` keeps the partitioner (only when keys do not change). */
  mapPartitions<U, E = undefined>(f: Fn1<IterableIterator<T>, Iterable<U>, E>, env?: E, preservesPartitioning = false): RDD<U> {
    return this.mapped('mapPartitions', this.fn(f, env, 'mapPartitions'), preservesPartitioning);
  }
  /** As mapPartitions, with the partition index as `f`'s first argument. */
  mapPartitionsWithIndex<U, E = undefined>(
    f: (index: number, it: IterableIterator<T>, env: E, tc: TaskContext) => Iterable<U>,
    env?: E,
    preservesPartitioning = false,
  ): RDD<U> {
    return this.mapped('mapPartitionsWithIndex', this.fn(f, env, 'mapPartitionsWithIndex'), preservesPartitioning);
  }
  /** Each partition as one array. */
  glom(): RDD<T[]> {
    return this.mapped('glom', null);
  }
  /** Pairs `[f(x), x]`. */
  keyBy<K, E = undefined>(f: Fn1<T, K, E>, env?: E): RDD<[K, T]> {
    return this.mapped('keyBy', this.fn(f, env, 'keyBy'));
  }
  /** The keys of an RDD of pairs. */
  keys<K>(this: RDD<Pair<K, unknown>>): RDD<K> {
    return this.mapped('keys', null);
  }
  /** The values of an RDD of pairs. */
  values<V>(this: RDD<Pair<unknown, V>>): RDD<V> {
    return this.mapped('values', null);
  }
  /** Applies `f` to each value of an RDD of pairs, keeping keys and the partitioner. */
  mapValues<K, V, U, E = undefined>(this: RDD<Pair<K, V>>, f: Fn1<V, U, E>, env?: E): RDD<[K, U]> {
    return this.mapped('mapValues', this.fn(f, env, 'mapValues'), true);
  }
  /** Applies `f` to each value and pairs each element it returns with the key; keeps the partitioner. */
  flatMapValues<K, V, U, E = undefined>(this: RDD<Pair<K, V>>, f: Fn1<V, Iterable<U>, E>, env?: E): RDD<[K, U]> {
    return this.mapped('flatMapValues', this.fn(f, env, 'flatMapValues'), true);
  }
  /** Pairs each element with a unique id (partition k gets k, k + n, k + 2n, ...); no job runs. */
  zipWithUniqueId(): RDD<[T, number]> {
    return this.mapped('zipWithUniqueId', null);
  }
  /** Pairs each element with its index in the whole RDD (runs a job to count the partitions first). */
  zipWithIndex(): RDD<[T, number]> {
    const node = new ZipWithIndexNode(this as RDD<unknown>, { startIndices: null });
    return new RDD<[T, number]>(this.context, node as RddNode<[T, number]>);
  }
  /** The elements of this RDD and of `others`, partitions concatenated (no shuffle, duplicates kept). */
  union(...others: RDD<T>[]): RDD<T> {
    return new RDD<T>(this.context, new UnionNode([this, ...others] as RDD<unknown>[]) as RddNode<T>);
  }
  /** Every pair `[a, b]` with `a` from this RDD and `b` from `other`. */
  cartesian<U>(other: RDD<U>): RDD<[T, U]> {
    const node = new CartesianNode(this as RDD<unknown>, other as RDD<unknown>);
    return new RDD<[T, U]>(this.context, node as RddNode<[T, U]>);
  }
  /** Pairs the i-th elements of this RDD and `other`; both must have the same partitions and counts per partition. */
  zip<U>(other: RDD<U>): RDD<[T, U]> {
    if (other.getNumPartitions() !== this.getNumPartitions()) {
      throw new ConfigError(
        'other',
        `zip needs the same number of partitions on both sides, got ${this.getNumPartitions()} and ${other.getNumPartitions()}`,
      );
    }
    const node = new ZipNode(this as RDD<unknown>, other as RDD<unknown>);
    return new RDD<[T, U]>(this.context, node as RddNode<[T, U]>);
  }
  /** A random sample: each element kept with probability `fraction` (without replacement) or drawn a Poisson(fraction) number of times (with replacement); reproducible for a given seed. */
  sample(withReplacement: boolean, fraction: number, seed: number = Math.floor(Math.random() * 2 ** 31)): RDD<T> {
    if (!(fraction >= 0) || (!withReplacement && fraction > 1)) {
      throw new ConfigError('fraction', `sample: fraction must be in [0, 1] without replacement and >= 0 with it, got ${fraction}`);
    }
    return new RDD<T>(this.context, new SampleNode(this as RDD<unknown>, { withReplacement, fraction, seed }) as RddNode<T>);
  }
  /** Fewer partitions by merging neighbours (no shuffle), or any number with `shuffle = true`. */
  coalesce(numPartitions: number, shuffle = false): RDD<T> {
    checkPartitions(numPartitions, 'coalesce');
    if (shuffle) return this.repartition(numPartitions);
    const groups = coalesceGroups(this.getNumPartitions(), numPartitions);
    return new RDD<T>(this.context, new CoalesceNode(this as RDD<unknown>, { groups }) as RddNode<T>);
  }
  /** Exactly `numPartitions` partitions of about equal size, by a shuffle. */
  repartition(numPartitions: number): RDD<T> {
    checkPartitions(numPartitions, 'repartition');
    const spread = this.mapPartitionsWithIndex<[number, T], { n: number }>(dealRoundRobin, { n: numPartitions });
    return spread.partitionBy(numPartitions).values();
  }

  // ---- pair operations (Spark's PairRDDFunctions; the bodies are in pair-rdd-functions.ts) ------

  /** Hash-partitions into `partitioner` partitions (or by a Partitioner); no shuffle when already so partitioned. */
  partitionBy<K, V>(this: RDD<Pair<K, V>>, partitioner: number | Partitioner): RDD<[K, V]> {
    return pairs.partitionBy(this, partitioner);
  }
  /** Per-key aggregation with a combiner made from the first value, as Spark's `combineByKey`. */
  combineByKey<K, V, C, E = undefined>(
    this: RDD<Pair<K, V>>,
    createCombiner: Fn1<V, C, E>,
    mergeValue: Fn2<C, V, C, E>,
    mergeCombiners: Fn2<C, C, C, E>,
    opts?: number | ShuffleOptions<E>,
    mapSideCombine = true,
  ): RDD<[K, C]> {
    return pairs.combineByKey(this, createCombiner, mergeValue, mergeCombiners, opts, mapSideCombine);
  }
  /** Merges the values of each key with an associative `f`, combining map-side first. */
  reduceByKey<K, V, E = undefined>(this: RDD<Pair<K, V>>, f: Fn2<V, V, V, E>, opts?: number | ShuffleOptions<E>): RDD<[K, V]> {
    return pairs.reduceByKey(this, f, opts);
  }
  /** As reduceByKey, starting each key from a copy of `zero`. */
  foldByKey<K, V, E = undefined>(this: RDD<Pair<K, V>>, zero: V, f: Fn2<V, V, V, E>, opts?: number | ShuffleOptions<E>): RDD<[K, V]> {
    return pairs.foldByKey(this, zero, f, opts);
  }
  /** Per-key aggregation into a different type: `seqOp` folds values into a copy of `zero`, `combOp` merges partials. */
  aggregateByKey<K, V, U, E = undefined>(
    this: RDD<Pair<K, V>>,
    zero: U,
    seqOp: Fn2<U, V, U, E>,
    combOp: Fn2<U, U, U, E>,
    opts?: number | ShuffleOptions<E>,
  ): RDD<[K, U]> {
    return pairs.aggregateByKey(this, zero, seqOp, combOp, opts);
  }
  /** The values of each key in one array. */
  groupByKey<K, V>(this: RDD<Pair<K, V>>, opts?: number | ShuffleOptions<undefined>): RDD<[K, V[]]> {
    return pairs.groupByKey(this, opts);
  }
  /** Sorted by key across range-partitioned output partitions. */
  sortByKey<K, V>(this: RDD<Pair<K, V>>, ascending = true, numPartitions?: number): RDD<[K, V]> {
    return pairs.sortByKey(this, ascending, numPartitions);
  }
  /** For each key in either RDD, its values in this one and in `other`. */
  cogroup<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V[], W[]]]> {
    return pairs.cogroup(this, other, opts);
  }
  /** Inner join on key: every pair of values. */
  join<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V, W]]> {
    return pairs.join(this, other, opts);
  }
  /** Left outer join on key; null where `other` has no value. */
  leftOuterJoin<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V, W | null]]> {
    return pairs.leftOuterJoin(this, other, opts);
  }
  /** Right outer join on key; null where this RDD has no value. */
  rightOuterJoin<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V | null, W]]> {
    return pairs.rightOuterJoin(this, other, opts);
  }
  /** Full outer join on key; null on the side that has no value. */
  fullOuterJoin<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V | null, W | null]]> {
    return pairs.fullOuterJoin(this, other, opts);
  }
  /** The pairs whose key is not in `other`. */
  subtractByKey<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, V]> {
    return pairs.subtractByKey(this, other, opts);
  }

  // ---- shuffles built on the pair operations -------------------------------------------------

  /** Groups the elements by `f(x)`: `[key, elements[]]` pairs. */
  groupBy<K, E = undefined>(f: Fn1<T, K, E>, opts?: number | ShuffleOptions<E>): RDD<[K, T[]]> {
    return this.keyBy(f, typeof opts === 'object' ? opts.env : undefined).groupByKey(shuffleOpts(opts) as ShuffleOptions<undefined>);
  }
  /** Sorted by `f(x)` across range-partitioned partitions. */
  sortBy<K, E = undefined>(f: Fn1<T, K, E>, ascending = true, numPartitions?: number, env?: E): RDD<T> {
    return this.keyBy(f, env).sortByKey(ascending, numPartitions).values();
  }
  /** The distinct elements (structural equality, as keys compare). */
  distinct(numPartitions?: number): RDD<T> {
    return this.map((x) => [x, null] as [T, null])
      .reduceByKey((a) => a, numPartitions)
      .keys();
  }
  /** The distinct elements found in both RDDs. */
  intersection(other: RDD<T>, numPartitions?: number): RDD<T> {
    const a = this.map((x) => [x, null] as [T, null]);
    const b = other.map((x) => [x, null] as [T, null]);
    return a
      .cogroup(b, numPartitions)
      .filter(([, [l, r]]) => l.length > 0 && r.length > 0)
      .keys();
  }
  /** The elements not found in `other` (duplicates of kept elements stay). */
  subtract(other: RDD<T>, numPartitions?: number): RDD<T> {
    const a = this.map((x) => [x, null] as [T, null]);
    const b = other.map((x) => [x, null] as [T, null]);
    return a.subtractByKey(b, numPartitions).keys();
  }

  // ---- persistence ---------------------------------------------------------------------------

  /** Keeps the partitions once computed ('MEMORY_ONLY', 'MEMORY_AND_DISK' spills past the budget, 'DISK_ONLY'); lost ones are recomputed from lineage. */
  persist(level: StorageLevel = 'MEMORY_ONLY'): this {
    if (this.storageLevel !== 'NONE' && this.storageLevel !== level) {
      throw new ConfigError('level', `RDD ${this.id} is already persisted as ${this.storageLevel}; unpersist() it before choosing ${level}`);
    }
    this.storageLevel = level;
    return this;
  }
  /** `persist('MEMORY_ONLY')`. */
  cache(): this {
    return this.persist('MEMORY_ONLY');
  }
  /** Drops the kept partitions and stops keeping them. */
  unpersist(): this {
    this.storageLevel = 'NONE';
    this.context.unpersist(this.id);
    return this;
  }
  /** Marks for checkpointing: the next job that computes it writes it to the checkpoint directory. */
  checkpoint(): this {
    if (this.context.checkpointDir === null) {
      throw new ConfigError('checkpointDir', 'checkpoint() needs a checkpoint directory: Context.create({ ..., checkpointDir: "/path" })');
    }
    if (this.checkpointState === 'none') this.checkpointState = 'marked';
    return this;
  }
  /** Truncates lineage after the next job, keeping partitions in the executors' block stores (fast, not fault tolerant). */
  localCheckpoint(): this {
    if (this.storageLevel === 'NONE') this.storageLevel = 'MEMORY_AND_DISK';
    if (this.checkpointState === 'none') this.checkpointState = 'local';
    return this;
  }
  /** True once a job has written the checkpoint and the lineage is cut. */
  get isCheckpointed(): boolean {
    return this.node instanceof CheckpointNode;
  }

  // ---- actions (see actions/) ---------------------------------------------------------------------

  /** All elements on the driver, in partition order. */
  collect(): Promise<T[]> {
    return actions.collect(this);
  }
  /** The number of elements. */
  count(): Promise<number> {
    return actions.count(this);
  }
  /** The first element; rejects when the RDD is empty. */
  first(): Promise<T> {
    return actions.first(this);
  }
  /** The first `n` elements, scanning as few partitions as it can. */
  take(n: number): Promise<T[]> {
    return actions.take(this, n);
  }
  /** True when the RDD has no element (stops at the first one found). */
  isEmpty(): Promise<boolean> {
    return actions.take(this, 1).then((xs) => xs.length === 0);
  }
  /** The `n` smallest elements by `compare` (natural order by default), ascending. */
  takeOrdered<E = undefined>(n: number, compare?: Fn2<T, T, number, E>, env?: E): Promise<T[]> {
    return actions.takeOrdered(this, n, compare ? this.fn(compare, env, 'takeOrdered') : null, false);
  }
  /** The `n` largest elements by `compare` (natural order by default), descending. */
  top<E = undefined>(n: number, compare?: Fn2<T, T, number, E>, env?: E): Promise<T[]> {
    return actions.takeOrdered(this, n, compare ? this.fn(compare, env, 'top') : null, true);
  }
  /** A random sample of exactly `num` elements (fewer when the RDD is smaller, without replacement). */
  takeSample(withReplacement: boolean, num: number, seed?: number): Promise<T[]> {
    return actions.takeSample(this, withReplacement, num, seed ?? Math.floor(Math.random() * 2 ** 31));
  }
  /** Combines all elements with an associative, commutative `f`; rejects when the RDD is empty. */
  reduce<E = undefined>(f: Fn2<T, T, T, E>, env?: E): Promise<T> {
    return actions.reduce(this, this.fn(f, env, 'reduce'));
  }
  /** As reduce, each partition starting from a copy of `zero` (also the result of an empty RDD). */
  fold<E = undefined>(zero: T, f: Fn2<T, T, T, E>, env?: E): Promise<T> {
    return actions.fold(this, zero, this.fn(f, env, 'fold'));
  }
  /** Folds each partition into a copy of `zero` with `seqOp`, then merges the partials with `combOp`. */
  aggregate<U, E = undefined>(zero: U, seqOp: Fn2<U, T, U, E>, combOp: Fn2<U, U, U, E>, env?: E): Promise<U> {
    return actions.aggregate(this, zero, this.fn(seqOp, env, 'aggregate seqOp'), this.fn(combOp, env, 'aggregate combOp'));
  }
  /** As aggregate, merging partials in a tree of `depth` levels on the executors instead of all on the driver. */
  treeAggregate<U, E = undefined>(zero: U, seqOp: Fn2<U, T, U, E>, combOp: Fn2<U, U, U, E>, depth = 2, env?: E): Promise<U> {
    return actions.treeAggregate(this, zero, this.fn(seqOp, env, 'treeAggregate seqOp'), this.fn(combOp, env, 'treeAggregate combOp'), depth);
  }
  /** Runs `f` on every element, on the executors (for side effects). */
  foreach<E = undefined>(f: Fn1<T, unknown, E>, env?: E): Promise<void> {
    return actions.foreach(this, this.fn(f, env, 'foreach'));
  }
  /** Runs `f` on each partition's iterator, on the executors. */
  foreachPartition<E = undefined>(f: Fn1<IterableIterator<T>, unknown, E>, env?: E): Promise<void> {
    return actions.foreachPartition(this, this.fn(f, env, 'foreachPartition'));
  }
  /** How many times each distinct element occurs. */
  countByValue(): Promise<Map<T, number>> {
    return actions.countByValue(this);
  }
  /** How many pairs each key has. */
  countByKey<K>(this: RDD<Pair<K, unknown>>): Promise<Map<K, number>> {
    return actions.countByValue(this.keys());
  }
  /** The pairs as a Map on the driver (a later pair of a key wins). */
  collectAsMap<K, V>(this: RDD<Pair<K, V>>): Promise<Map<K, V>> {
    return actions.collectAsMap(this);
  }
  /** The values of `key` (only the partition that holds it runs when the RDD is partitioned). */
  lookup<K, V>(this: RDD<Pair<K, V>>, key: K): Promise<V[]> {
    return actions.lookup(this, key);
  }
  /** The sum of a numeric RDD. */
  sum(this: RDD<number>): Promise<number> {
    return actions.sum(this);
  }
  /** The mean of a numeric RDD. */
  mean(this: RDD<number>): Promise<number> {
    return actions.stats(this).then((s) => (s.count === 0 ? Number.NaN : s.mean));
  }
  /** The population variance of a numeric RDD. */
  variance(this: RDD<number>): Promise<number> {
    return actions.stats(this).then((s) => s.variance);
  }
  /** The population standard deviation of a numeric RDD. */
  stdev(this: RDD<number>): Promise<number> {
    return actions.stats(this).then((s) => s.stdev);
  }
  /** The sample variance (n - 1) of a numeric RDD. */
  sampleVariance(this: RDD<number>): Promise<number> {
    return actions.stats(this).then((s) => s.sampleVariance);
  }
  /** The sample standard deviation (n - 1) of a numeric RDD. */
  sampleStdev(this: RDD<number>): Promise<number> {
    return actions.stats(this).then((s) => s.sampleStdev);
  }
  /** Count, mean, variance, min and max of a numeric RDD in one pass (a StatCounter). */
  stats(this: RDD<number>): ReturnType<typeof actions.stats> {
    return actions.stats(this);
  }
  /** Bucket counts: `buckets` evenly spaced buckets between min and max, or the given edges (the last bucket includes its right edge), as Spark's `histogram`. */
  histogram(this: RDD<number>, buckets: number | readonly number[]): Promise<[number[], number[]]> {
    return actions.histogram(this, buckets);
  }
  /** The largest element by `compare` (natural order by default). */
  max<E = undefined>(compare?: Fn2<T, T, number, E>, env?: E): Promise<T> {
    return actions.extreme(this, compare ? this.fn(compare, env, 'max') : null, 1);
  }
  /** The smallest element by `compare` (natural order by default). */
  min<E = undefined>(compare?: Fn2<T, T, number, E>, env?: E): Promise<T> {
    return actions.extreme(this, compare ? this.fn(compare, env, 'min') : null, -1);
  }
  /** Writes one `part-NNNNN` text file per partition into the folder `path`, one element per line. */
  saveAsTextFile(path: string): Promise<void> {
    return actions.saveAsTextFile(this, path);
  }
  /** The count within `timeoutMs`: exact when every partition finished, else an estimate with bounds at `confidence`. */
  countApprox(timeoutMs: number, confidence = 0.95): Promise<actions.ApproxResult<'count'>> {
    return actions.countApprox(this, timeoutMs, confidence);
  }
  /** The sum within `timeoutMs`, exact or estimated with bounds at `confidence`. */
  sumApprox(this: RDD<number>, timeoutMs: number, confidence = 0.95): Promise<actions.ApproxResult<'sum'>> {
    return actions.statApprox(this, timeoutMs, confidence, 'sum');
  }
  /** The mean within `timeoutMs`, exact or estimated with bounds at `confidence`. */
  meanApprox(this: RDD<number>, timeoutMs: number, confidence = 0.95): Promise<actions.ApproxResult<'mean'>> {
    return actions.statApprox(this, timeoutMs, confidence, 'mean');
  }
}

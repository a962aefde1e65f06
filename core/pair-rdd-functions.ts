/**
 * Operations on RDDs of `[key, value]` pairs, as Spark's PairRDDFunctions: partitioning, per-key
 * aggregation, sorting by key, cogroup and the joins. RDD's pair methods (rdd.ts) are one line each
 * that call these functions; this module imports RDD as a type only, so there is no import cycle.
 *
 * @example
 *   const counts = await ctx.parallelize(['a', 'b', 'a']).map((w) => [w, 1]).reduceByKey((a, b) => a + b).collect();
 */
import type { Aggregator } from './dependency.js';
import { ShuffledNode } from './nodes/shuffled.js';
import { HashPartitioner, RangePartitioner, samePartitioner, type Partitioner } from './partitioner.js';
import type { RddNode } from './rdd-node.js';
import type { RDD, Fn1, Fn2, ShuffleOptions } from './rdd.js';
import { checkPartitions, shuffleOpts } from './shuffle-options.js';
import { userFn, type UserFn } from './user-fn.js';

type Pair<K, V> = [K, V];

export function partitionBy<K, V>(rdd: RDD<Pair<K, V>>, partitioner: number | Partitioner): RDD<[K, V]> {
  const p = typeof partitioner === 'number' ? new HashPartitioner(checkPartitions(partitioner, 'partitionBy')) : partitioner;
  if (samePartitioner(rdd.partitioner, p)) return rdd;
  return shuffled<K, V>(rdd, p, null, false, null);
}
export function combineByKey<K, V, C, E = undefined>(
  rdd: RDD<Pair<K, V>>,
  createCombiner: Fn1<V, C, E>,
  mergeValue: Fn2<C, V, C, E>,
  mergeCombiners: Fn2<C, C, C, E>,
  opts?: number | ShuffleOptions<E>,
  mapSideCombine = true,
): RDD<[K, C]> {
  const env = typeof opts === 'object' ? opts.env : undefined;
  const agg: Aggregator = {
    createCombiner: ship(rdd, createCombiner, env, 'combineByKey createCombiner'),
    mergeValue: ship(rdd, mergeValue, env, 'combineByKey mergeValue'),
    mergeCombiners: ship(rdd, mergeCombiners, env, 'combineByKey mergeCombiners'),
  };
  return shuffled<K, C>(rdd, partitionerFor(rdd, opts), agg, mapSideCombine, null);
}
export function reduceByKey<K, V, E = undefined>(rdd: RDD<Pair<K, V>>, f: Fn2<V, V, V, E>, opts?: number | ShuffleOptions<E>): RDD<[K, V]> {
  const merge = ship(rdd, f, typeof opts === 'object' ? opts.env : undefined, 'reduceByKey');
  return shuffled<K, V>(rdd, partitionerFor(rdd, opts), { createCombiner: null, mergeValue: merge, mergeCombiners: merge }, true, null);
}
export function foldByKey<K, V, E = undefined>(rdd: RDD<Pair<K, V>>, zero: V, f: Fn2<V, V, V, E>, opts?: number | ShuffleOptions<E>): RDD<[K, V]> {
  const env = { f, zero, env: typeof opts === 'object' ? opts.env : undefined };
  return rdd.combineByKey<K, V, V, typeof env>(
    (v, e, tc) => e.f(structuredClone(e.zero), v, e.env as E, tc),
    (c, v, e, tc) => e.f(c, v, e.env as E, tc),
    (a, b, e, tc) => e.f(a, b, e.env as E, tc),
    { ...shuffleOpts(opts), env },
  );
}
export function aggregateByKey<K, V, U, E = undefined>(
  rdd: RDD<Pair<K, V>>,
  zero: U,
  seqOp: Fn2<U, V, U, E>,
  combOp: Fn2<U, U, U, E>,
  opts?: number | ShuffleOptions<E>,
): RDD<[K, U]> {
  const env = { seqOp, combOp, zero, env: typeof opts === 'object' ? opts.env : undefined };
  return rdd.combineByKey<K, V, U, typeof env>(
    (v, e, tc) => e.seqOp(structuredClone(e.zero), v, e.env as E, tc),
    (c, v, e, tc) => e.seqOp(c, v, e.env as E, tc),
    (a, b, e, tc) => e.combOp(a, b, e.env as E, tc),
    { ...shuffleOpts(opts), env },
  );
}
export function groupByKey<K, V>(rdd: RDD<Pair<K, V>>, opts?: number | ShuffleOptions<undefined>): RDD<[K, V[]]> {
  return rdd.combineByKey<K, V, V[]>(
    (v) => [v],
    (c, v) => {
      c.push(v);
      return c;
    },
    (a, b) => a.concat(b),
    shuffleOpts(opts),
    false,
  );
}
export function sortByKey<K, V>(rdd: RDD<Pair<K, V>>, ascending = true, numPartitions?: number): RDD<[K, V]> {
  const n = checkPartitions(numPartitions ?? rdd.getNumPartitions(), 'sortByKey numPartitions');
  return shuffled<K, V>(rdd, new RangePartitioner(Math.max(1, n), [], ascending), null, false, ascending ? 'asc' : 'desc');
}
export function cogroup<K, V, W>(rdd: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V[], W[]]]> {
  const part = partitionerFor(rdd, shuffleOpts(opts), other as RDD<unknown>);
  const tagged = rdd.mapValues((v) => [0, v] as [0 | 1, unknown]).union(other.mapValues((w) => [1, w] as [0 | 1, unknown]));
  return tagged.combineByKey<K, [0 | 1, unknown], [V[], W[]]>(
    (tv) => {
      const groups: [unknown[], unknown[]] = [[], []];
      groups[tv[0]].push(tv[1]);
      return groups as [V[], W[]];
    },
    (c, tv) => {
      (c[tv[0]] as unknown[]).push(tv[1]);
      return c;
    },
    (a, b) => [a[0].concat(b[0]), a[1].concat(b[1])],
    { partitioner: part },
    false,
  );
}
export function join<K, V, W>(rdd: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V, W]]> {
  return rdd.cogroup(other, opts).flatMapValues(([vs, ws]) => vs.flatMap((v) => ws.map((w) => [v, w] as [V, W])));
}
export function leftOuterJoin<K, V, W>(rdd: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V, W | null]]> {
  return rdd.cogroup(other, opts).flatMapValues(([vs, ws]) =>
    vs.flatMap((v): [V, W | null][] => (ws.length === 0 ? [[v, null]] : ws.map((w) => [v, w]))),
  );
}
export function rightOuterJoin<K, V, W>(rdd: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V | null, W]]> {
  return rdd.cogroup(other, opts).flatMapValues(([vs, ws]) =>
    ws.flatMap((w): [V | null, W][] => (vs.length === 0 ? [[null, w]] : vs.map((v) => [v, w]))),
  );
}
export function fullOuterJoin<K, V, W>(rdd: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V | null, W | null]]> {
  return rdd.cogroup(other, opts).flatMapValues(([vs, ws]): [V | null, W | null][] => {
    if (vs.length === 0) return ws.map((w) => [null, w]);
    if (ws.length === 0) return vs.map((v) => [v, null]);
    return vs.flatMap((v) => ws.map((w): [V, W] => [v, w]));
  });
}
export function subtractByKey<K, V, W>(rdd: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, V]> {
  return rdd.cogroup(other, opts).flatMap(([k, [vs, ws]]) => (ws.length === 0 ? vs.map((v) => [k, v] as [K, V]) : []));
}

function ship<F extends (...args: never[]) => unknown>(rdd: RDD<unknown>, f: F, env: unknown, op: string): UserFn {
  return userFn(f, env, op, rdd.context.serializesFunctions) as UserFn;
}

function shuffled<K, C>(rdd: RDD<unknown>, partitioner: Partitioner, aggregator: Aggregator | null, mapSideCombine: boolean, ordering: 'asc' | 'desc' | null): RDD<[K, C]> {
  const node = new ShuffledNode(rdd, partitioner, { shuffleId: rdd.context.newShuffleId(), aggregator, mapSideCombine, ordering });
  return rdd.withNode(node as RddNode<[K, C]>);
}

/** Spark's defaultPartitioner: the given one, else a hash partitioner a parent already has, else the widest. */
function partitionerFor(rdd: RDD<unknown>, opts: number | ShuffleOptions | undefined, ...others: RDD<unknown>[]): Partitioner {
  const o = typeof opts === 'number' ? { numPartitions: opts } : (opts ?? {});
  if (o.partitioner !== undefined) return o.partitioner;
  if (o.numPartitions !== undefined) return new HashPartitioner(checkPartitions(o.numPartitions, 'numPartitions'));
  for (const r of [rdd, ...others]) {
    const p = r.partitioner;
    if (p !== null && p.spec.kind === 'hash') return p;
  }
  return new HashPartitioner(Math.max(1, rdd.getNumPartitions(), ...others.map((r) => r.getNumPartitions())));
}

/**
 * Operations on RDDs of `[key, value]` pairs, as Spark's PairRDDFunctions: partitioning, per-key
 * aggregation, sorting by key, cogroup and the joins. They are installed on RDD.prototype when core
 * loads (core/index.ts), and typed on RDD through the declaration below.
 */
import type { Aggregator } from './dependency.js';
import { ShuffledNode } from './nodes/shuffled.js';
import { HashPartitioner, RangePartitioner, samePartitioner, type Partitioner } from './partitioner.js';
import type { RddNode } from './rdd-node.js';
import { RDD, checkPartitions, shuffleOpts, type Fn1, type Fn2, type ShuffleOptions } from './rdd.js';
import { userFn, type UserFn } from './user-fn.js';

type Pair<K, V> = [K, V];

declare module './rdd.js' {
  interface RDD<T> extends PairRDDFunctions<T> {}
}

/** The pair operations; every method takes `this: RDD<[K, V]>`. */
export class PairRDDFunctions<T> {

  partitionBy<K, V>(this: RDD<Pair<K, V>>, partitioner: number | Partitioner): RDD<[K, V]> {
    const p = typeof partitioner === 'number' ? new HashPartitioner(checkPartitions(partitioner, 'partitionBy')) : partitioner;
    if (samePartitioner(this.partitioner, p)) return this;
    return shuffled<K, V>(this, p, null, false, null);
  }
  combineByKey<K, V, C, E = undefined>(
    this: RDD<Pair<K, V>>,
    createCombiner: Fn1<V, C, E>,
    mergeValue: Fn2<C, V, C, E>,
    mergeCombiners: Fn2<C, C, C, E>,
    opts?: number | ShuffleOptions<E>,
    mapSideCombine = true,
  ): RDD<[K, C]> {
    const env = typeof opts === 'object' ? opts.env : undefined;
    const agg: Aggregator = {
      createCombiner: ship(this, createCombiner, env, 'combineByKey createCombiner'),
      mergeValue: ship(this, mergeValue, env, 'combineByKey mergeValue'),
      mergeCombiners: ship(this, mergeCombiners, env, 'combineByKey mergeCombiners'),
    };
    return shuffled<K, C>(this, partitionerFor(this, opts), agg, mapSideCombine, null);
  }
  reduceByKey<K, V, E = undefined>(this: RDD<Pair<K, V>>, f: Fn2<V, V, V, E>, opts?: number | ShuffleOptions<E>): RDD<[K, V]> {
    const merge = ship(this, f, typeof opts === 'object' ? opts.env : undefined, 'reduceByKey');
    return shuffled<K, V>(this, partitionerFor(this, opts), { createCombiner: null, mergeValue: merge, mergeCombiners: merge }, true, null);
  }
  foldByKey<K, V, E = undefined>(this: RDD<Pair<K, V>>, zero: V, f: Fn2<V, V, V, E>, opts?: number | ShuffleOptions<E>): RDD<[K, V]> {
    const env = { f, zero, env: typeof opts === 'object' ? opts.env : undefined };
    return this.combineByKey<K, V, V, typeof env>(
      (v, e, tc) => e.f(structuredClone(e.zero), v, e.env as E, tc),
      (c, v, e, tc) => e.f(c, v, e.env as E, tc),
      (a, b, e, tc) => e.f(a, b, e.env as E, tc),
      { ...shuffleOpts(opts), env },
    );
  }
  aggregateByKey<K, V, U, E = undefined>(
    this: RDD<Pair<K, V>>,
    zero: U,
    seqOp: Fn2<U, V, U, E>,
    combOp: Fn2<U, U, U, E>,
    opts?: number | ShuffleOptions<E>,
  ): RDD<[K, U]> {
    const env = { seqOp, combOp, zero, env: typeof opts === 'object' ? opts.env : undefined };
    return this.combineByKey<K, V, U, typeof env>(
      (v, e, tc) => e.seqOp(structuredClone(e.zero), v, e.env as E, tc),
      (c, v, e, tc) => e.seqOp(c, v, e.env as E, tc),
      (a, b, e, tc) => e.combOp(a, b, e.env as E, tc),
      { ...shuffleOpts(opts), env },
    );
  }
  groupByKey<K, V>(this: RDD<Pair<K, V>>, opts?: number | ShuffleOptions<undefined>): RDD<[K, V[]]> {
    return this.combineByKey<K, V, V[]>(
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
  sortByKey<K, V>(this: RDD<Pair<K, V>>, ascending = true, numPartitions?: number): RDD<[K, V]> {
    const n = checkPartitions(numPartitions ?? this.getNumPartitions(), 'sortByKey numPartitions');
    return shuffled<K, V>(this, new RangePartitioner(Math.max(1, n), [], ascending), null, false, ascending ? 'asc' : 'desc');
  }
  cogroup<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V[], W[]]]> {
    const part = partitionerFor(this, shuffleOpts(opts), other as RDD<unknown>);
    const tagged = this.mapValues((v) => [0, v] as [0 | 1, unknown]).union(other.mapValues((w) => [1, w] as [0 | 1, unknown]));
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
  join<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V, W]]> {
    return this.cogroup(other, opts).flatMapValues(([vs, ws]) => vs.flatMap((v) => ws.map((w) => [v, w] as [V, W])));
  }
  leftOuterJoin<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V, W | null]]> {
    return this.cogroup(other, opts).flatMapValues(([vs, ws]) =>
      vs.flatMap((v): [V, W | null][] => (ws.length === 0 ? [[v, null]] : ws.map((w) => [v, w]))),
    );
  }
  rightOuterJoin<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V | null, W]]> {
    return this.cogroup(other, opts).flatMapValues(([vs, ws]) =>
      ws.flatMap((w): [V | null, W][] => (vs.length === 0 ? [[null, w]] : vs.map((v) => [v, w]))),
    );
  }
  fullOuterJoin<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, [V | null, W | null]]> {
    return this.cogroup(other, opts).flatMapValues(([vs, ws]): [V | null, W | null][] => {
      if (vs.length === 0) return ws.map((w) => [null, w]);
      if (ws.length === 0) return vs.map((v) => [v, null]);
      return vs.flatMap((v) => ws.map((w): [V, W] => [v, w]));
    });
  }
  subtractByKey<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, opts?: number | ShuffleOptions): RDD<[K, V]> {
    return this.cogroup(other, opts).flatMap(([k, [vs, ws]]) => (ws.length === 0 ? vs.map((v) => [k, v] as [K, V]) : []));
  }
}

for (const name of Object.getOwnPropertyNames(PairRDDFunctions.prototype)) {
  if (name !== 'constructor') Object.defineProperty(RDD.prototype, name, Object.getOwnPropertyDescriptor(PairRDDFunctions.prototype, name) as PropertyDescriptor);
}

function ship<F extends (...args: never[]) => unknown>(rdd: RDD<unknown>, f: F, env: unknown, op: string): UserFn {
  return userFn(f, env, op, rdd.context.serializesFunctions) as UserFn;
}

function shuffled<K, C>(rdd: RDD<unknown>, partitioner: Partitioner, aggregator: Aggregator | null, mapSideCombine: boolean, ordering: 'asc' | 'desc' | null): RDD<[K, C]> {
  const node = new ShuffledNode(rdd, partitioner, { shuffleId: rdd.context.newShuffleId(), aggregator, mapSideCombine, ordering });
  return new RDD<[K, C]>(rdd.context, node as unknown as RddNode<[K, C]>);
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

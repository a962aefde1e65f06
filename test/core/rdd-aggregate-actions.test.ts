/**
 * Aggregating actions against plain-array models, on 1..8 partitions and on the `local` and
 * `local[2]` masters: reduce, fold, aggregate, treeAggregate, countByValue/Key, collectAsMap, lookup.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';

import { canon, check, expectSameMultiset, forMasters, groupModel, ints, key, pairs, parts, sumModel } from '../helpers/model.js';

const nonEmpty = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 40 });

function entries<K, V>(m: Map<K, V>): [K, V][] {
  return [...m.entries()];
}

forMasters((ctx) => {
  // ---- folding ---------------------------------------------------------------------------

  it('reduce sums the elements', () =>
    check(
      fc.asyncProperty(nonEmpty, parts, async (xs, n) => {
        expect(await ctx().parallelize(xs, n).reduce((a, b) => a + b)).toBe(sumModel(xs));
      }),
    ));

  it('reduce rejects on an empty RDD', async () => {
    await expect(ctx().parallelize([] as number[], 3).reduce((a, b) => a + b)).rejects.toThrow(/empty/);
  });

  it('fold applies the zero once per partition and once on the driver, like Spark', () =>
    check(
      fc.asyncProperty(ints, parts, async (xs, n) => {
        expect(await ctx().parallelize(xs, n).fold(1, (a, b) => a + b)).toBe(sumModel(xs) + n + 1);
      }),
    ));

  it('fold, aggregate and treeAggregate of an RDD without partitions return the zero', async () => {
    const empty = ctx().emptyRDD<number>();
    expect(await empty.fold(0, (a, b) => a + b)).toBe(0);
    expect(await empty.aggregate([0], (acc, x) => [acc[0]! + x], (a, b) => [a[0]! + b[0]!])).toEqual([0]);
    expect(await empty.treeAggregate(7, (acc, x) => acc + x, (a, b) => a + b)).toBe(7);
  });

  it('aggregate computes (sum, count) from a mutable zero', () =>
    check(
      fc.asyncProperty(ints, parts, async (xs, n) => {
        const got = await ctx()
          .parallelize(xs, n)
          .aggregate(
            [0, 0] as [number, number],
            (acc, x) => {
              acc[0] += x;
              acc[1] += 1;
              return acc;
            },
            (a, b): [number, number] => [a[0] + b[0], a[1] + b[1]],
          );
        expect(got).toEqual([sumModel(xs), xs.length]);
      }),
    ));

  it('treeAggregate equals aggregate for every depth', () =>
    check(
      fc.asyncProperty(ints, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 }), async (xs, n, depth) => {
        const got = await ctx()
          .parallelize(xs, n)
          .treeAggregate(
            [0, 0] as [number, number],
            (acc, x) => {
              acc[0] += x;
              acc[1] += 1;
              return acc;
            },
            (a, b): [number, number] => [a[0] + b[0], a[1] + b[1]],
            depth,
          );
        expect(got).toEqual([sumModel(xs), xs.length]);
      }),
    ));

  it('treeAggregate passes env to both functions', () =>
    check(
      fc.asyncProperty(ints, fc.integer({ min: 1, max: 20 }), async (xs, n) => {
        const got = await ctx()
          .parallelize(xs, n)
          .treeAggregate(
            0,
            (acc, x, env) => acc + x * env.k,
            (a, b, env) => a + b + env.k - env.k,
            3,
            { k: 3 },
          );
        expect(got).toBe(3 * sumModel(xs));
      }),
    ));

  // ---- counting and maps -----------------------------------------------------------------

  it('countByValue counts structurally equal elements together', () =>
    check(
      fc.asyncProperty(fc.array(key), parts, async (ks, n) => {
        const got = entries(await ctx().parallelize(ks, n).countByValue());
        expectSameMultiset(got, groupModel(ks.map((k) => [k, 1] as const)).map(([k, vs]) => [k, vs.length]));
      }),
    ));

  it('countByKey counts the pairs of each key', () =>
    check(
      fc.asyncProperty(pairs, parts, async (kvs, n) => {
        const got = entries(await ctx().parallelize(kvs, n).countByKey());
        expectSameMultiset(got, groupModel(kvs).map(([k, vs]) => [k, vs.length]));
      }),
    ));

  it('collectAsMap keeps the last value of each key in collect order', () =>
    check(
      fc.asyncProperty(pairs, parts, async (kvs, n) => {
        const got = entries(await ctx().parallelize(kvs, n).collectAsMap());
        expectSameMultiset(got, groupModel(kvs).map(([k, vs]) => [k, vs[vs.length - 1]]));
      }),
    ));

  it('lookup returns the values of a key', () =>
    check(
      fc.asyncProperty(pairs, parts, key, async (kvs, n, k) => {
        const got = await ctx().parallelize(kvs, n).lookup(k);
        expect(got).toEqual(kvs.filter((kv) => canon(kv[0]) === canon(k)).map((kv) => kv[1]));
      }),
    ));

  it('lookup on a hash-partitioned RDD reads the right partition', () =>
    check(
      fc.asyncProperty(pairs, parts, parts, key, async (kvs, n, m, k) => {
        const got = await ctx().parallelize(kvs, n).partitionBy(m).lookup(k);
        expectSameMultiset(got, kvs.filter((kv) => canon(kv[0]) === canon(k)).map((kv) => kv[1]));
      }),
    ));

  it('lookup on a sorted RDD reads the right range partition', () =>
    check(
      fc.asyncProperty(pairs, parts, parts, key, async (kvs, n, m, k) => {
        const got = await ctx().parallelize(kvs, n).sortByKey(true, m).lookup(k);
        expectSameMultiset(got, kvs.filter((kv) => canon(kv[0]) === canon(k)).map((kv) => kv[1]));
      }),
    ));

  it('lookup through mapValues of a sorted RDD that has already run', () =>
    check(
      fc.asyncProperty(pairs, parts, parts, key, async (kvs, n, m, k) => {
        const sorted = ctx().parallelize(kvs, n).sortByKey(false, m);
        await sorted.count();
        const got = await sorted.mapValues((v) => v * 2).lookup(k);
        expectSameMultiset(got, kvs.filter((kv) => canon(kv[0]) === canon(k)).map((kv) => kv[1] * 2));
      }),
    ));
});

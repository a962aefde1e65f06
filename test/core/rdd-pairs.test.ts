/**
 * Pair-RDD transformations (per-key aggregation, sorting, partitioning; joins: rdd-joins.test.ts)
 * against plain-array models, with structural keys (numbers, strings, [x, y, z] arrays, nested arrays, objects).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';

import { HashPartitioner, compareKeys } from '../../core/index.js';
import {
  check,
  expectSameMultiset,
  forMasters,
  groupModel,
  type Key,
  normalizeGroups,
  pairs,
  parts,
  sumModel,
} from '../helpers/model.js';

type KV = [Key, number];

function sumsModel(kvs: readonly KV[]): [Key, number][] {
  return groupModel(kvs).map(([k, vs]) => [k, sumModel(vs)]);
}

/** Asserts that the keys appear in structural key order (equal keys compare equal, so a sort of them is unique). */
function expectSortedByKey(kvs: readonly (readonly [unknown, unknown])[], ascending: boolean): void {
  const keys = kvs.map((kv) => kv[0]);
  expect(keys).toEqual(keys.slice().sort((a, b) => (ascending ? 1 : -1) * compareKeys(a, b)));
}

forMasters((ctx) => {
  // ---- per-value ---------------------------------------------------------------------------

  it('mapValues maps values in order and keeps keys', () =>
    check(
      fc.asyncProperty(pairs, parts, async (kvs, n) => {
        const got = await ctx()
          .parallelize(kvs, n)
          .mapValues((v) => v * 2 + 1)
          .collect();
        expect(got).toEqual(kvs.map(([k, v]) => [k, v * 2 + 1]));
      }),
    ));

  it('flatMapValues emits one pair per produced value', () =>
    check(
      fc.asyncProperty(pairs, parts, async (kvs, n) => {
        const got = await ctx()
          .parallelize(kvs, n)
          .flatMapValues((v) => Array.from({ length: Math.abs(v) % 3 }, (_, i) => v + i))
          .collect();
        expect(got).toEqual(kvs.flatMap(([k, v]) => Array.from({ length: Math.abs(v) % 3 }, (_, i) => [k, v + i])));
      }),
    ));

  it('mapValues keeps the partitioner; map and keys drop it', () => {
    const p = ctx()
      .parallelize([[1, 2]] as [number, number][], 2)
      .partitionBy(3);
    expect(p.mapValues((v) => v).partitioner?.spec).toEqual({ kind: 'hash', numPartitions: 3 });
    expect(p.map((kv) => kv).partitioner).toBeNull();
    expect(p.keys().partitioner).toBeNull();
  });

  // ---- grouping and per-key aggregation ----------------------------------------------------

  it('groupByKey collects every value of each structural key', () =>
    check(
      fc.asyncProperty(pairs, parts, async (kvs, n) => {
        const got = await ctx().parallelize(kvs, n).groupByKey().collect();
        expectSameMultiset(normalizeGroups(got), normalizeGroups(groupModel(kvs)));
      }),
    ));

  it('groupByKey honours numPartitions as a number and as an option', () =>
    check(
      fc.asyncProperty(pairs, parts, parts, async (kvs, n, m) => {
        const rdd = ctx().parallelize(kvs, n);
        for (const g of [rdd.groupByKey(m), rdd.groupByKey({ numPartitions: m })]) {
          expect(g.getNumPartitions()).toBe(m);
          expectSameMultiset(normalizeGroups(await g.collect()), normalizeGroups(groupModel(kvs)));
        }
      }),
      10,
    ));

  it('groupBy groups elements by the key function', () =>
    check(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 30 })), parts, async (xs, n) => {
        const got = await ctx()
          .parallelize(xs, n)
          .groupBy((x) => [x % 3, x % 2 === 0 ? 'even' : 'odd'])
          .collect();
        const want = groupModel(xs.map((x) => [[x % 3, x % 2 === 0 ? 'even' : 'odd'], x] as const));
        expectSameMultiset(normalizeGroups(got), normalizeGroups(want));
      }),
    ));

  it('reduceByKey sums the values of each key', () =>
    check(
      fc.asyncProperty(pairs, parts, fc.option(parts, { nil: undefined }), async (kvs, n, m) => {
        const r = ctx().parallelize(kvs, n).reduceByKey((a, b) => a + b, m);
        if (m !== undefined) expect(r.getNumPartitions()).toBe(m);
        expectSameMultiset(await r.collect(), sumsModel(kvs));
      }),
    ));

  it('reduceByKey passes env from its options', () =>
    check(
      fc.asyncProperty(pairs, parts, async (kvs, n) => {
        const got = await ctx()
          .parallelize(kvs, n)
          .reduceByKey((a, b, env) => Math.max(a, b) + env.bump - env.bump, { env: { bump: 7 }, numPartitions: 2 })
          .collect();
        expectSameMultiset(got, groupModel(kvs).map(([k, vs]) => [k, Math.max(...vs)]));
      }),
    ));

  it('foldByKey with an identity zero equals the per-key sum', () =>
    check(
      fc.asyncProperty(pairs, parts, async (kvs, n) => {
        const got = await ctx()
          .parallelize(kvs, n)
          .foldByKey(0, (a, b) => a + b)
          .collect();
        expectSameMultiset(got, sumsModel(kvs));
      }),
    ));

  it('foldByKey gives every key its own copy of a mutable zero', () =>
    check(
      fc.asyncProperty(pairs, parts, async (kvs, n) => {
        const got = await ctx()
          .parallelize(kvs, n)
          .mapValues((v) => [v])
          .foldByKey([] as number[], (a, b) => {
            a.push(...b);
            return a;
          })
          .collect();
        expectSameMultiset(normalizeGroups(got), normalizeGroups(groupModel(kvs)));
      }),
    ));

  it('aggregateByKey computes per-key (sum, count) from a mutable zero', () =>
    check(
      fc.asyncProperty(pairs, parts, fc.option(parts, { nil: undefined }), async (kvs, n, m) => {
        const got = await ctx()
          .parallelize(kvs, n)
          .aggregateByKey(
            [0, 0] as [number, number],
            (acc, v) => {
              acc[0] += v;
              acc[1] += 1;
              return acc;
            },
            (a, b): [number, number] => [a[0] + b[0], a[1] + b[1]],
            m,
          )
          .collect();
        expectSameMultiset(got, groupModel(kvs).map(([k, vs]) => [k, [sumModel(vs), vs.length]]));
      }),
    ));

  it.each([true, false])('combineByKey builds per-key lists (mapSideCombine %s)', (mapSide) =>
    check(
      fc.asyncProperty(pairs, parts, async (kvs, n) => {
        const got = await ctx()
          .parallelize(kvs, n)
          .combineByKey(
            (v) => [v],
            (c, v) => [...c, v],
            (a, b) => [...a, ...b],
            undefined,
            mapSide,
          )
          .collect();
        expectSameMultiset(normalizeGroups(got), normalizeGroups(groupModel(kvs)));
      }),
    ));

  // ---- sorting -----------------------------------------------------------------------------

  it.each([true, false])('sortByKey(ascending=%s) orders records by structural key', (ascending) =>
    check(
      fc.asyncProperty(pairs, parts, async (kvs, n) => {
        const got = await ctx().parallelize(kvs, n).sortByKey(ascending).collect();
        expectSortedByKey(got, ascending);
        expectSameMultiset(got, kvs);
      }),
    ));

  it.each([true, false])('sortByKey(ascending=%s, numPartitions) range-partitions into that many sorted partitions', (ascending) =>
    check(
      fc.asyncProperty(pairs, parts, parts, async (kvs, n, m) => {
        const sorted = ctx().parallelize(kvs, n).sortByKey(ascending, m);
        expect(sorted.getNumPartitions()).toBe(m);
        const slices = await sorted.glom().collect();
        expect(slices).toHaveLength(m);
        expectSortedByKey(slices.flat(), ascending);
        expectSameMultiset(slices.flat(), kvs);
      }),
    ));

  it('sortBy orders elements by the key function', () =>
    check(
      fc.asyncProperty(fc.array(fc.integer({ min: -50, max: 50 })), parts, fc.boolean(), async (xs, n, asc) => {
        const got = await ctx()
          .parallelize(xs, n)
          .sortBy((x) => [Math.abs(x), x], asc, 3)
          .collect();
        const want = xs.slice().sort((a, b) => (asc ? 1 : -1) * compareKeys([Math.abs(a), a], [Math.abs(b), b]));
        expect(got).toEqual(want);
      }),
    ));

  // ---- env through shuffle options ---------------------------------------------------------

  it('groupBy passes env from its options', () =>
    check(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 30 })), parts, parts, async (xs, n, m) => {
        const g = ctx()
          .parallelize(xs, n)
          .groupBy((x, env) => x % env.mod, { numPartitions: m, env: { mod: 4 } });
        expect(g.getNumPartitions()).toBe(m);
        expectSameMultiset(normalizeGroups(await g.collect()), normalizeGroups(groupModel(xs.map((x) => [x % 4, x] as const))));
      }),
      15,
    ));

  it('aggregateByKey passes env from its options', () =>
    check(
      fc.asyncProperty(pairs, parts, async (kvs, n) => {
        const got = await ctx()
          .parallelize(kvs, n)
          .aggregateByKey(0, (acc, v, env) => acc + v * env.w, (a, b) => a + b, { env: { w: 2 } })
          .collect();
        expectSameMultiset(got, sumsModel(kvs).map(([k, v]) => [k, 2 * v]));
      }),
      15,
    ));

  it('combineByKey passes env from its options', () =>
    check(
      fc.asyncProperty(pairs, parts, async (kvs, n) => {
        const got = await ctx()
          .parallelize(kvs, n)
          .combineByKey(
            (v, env) => v + env.base,
            (acc, v) => acc + v,
            (a, b, env) => a + b - env.base,
            { env: { base: 100 } },
          )
          .collect();
        expectSameMultiset(got, sumsModel(kvs).map(([k, v]) => [k, v + 100]));
      }),
      15,
    ));

  it('sortBy passes env', () =>
    check(
      fc.asyncProperty(fc.array(fc.integer({ min: -50, max: 50 })), parts, async (xs, n) => {
        const got = await ctx()
          .parallelize(xs, n)
          .sortBy((x, env) => x * env.sign, true, 2, { sign: -1 })
          .collect();
        expect(got).toEqual(xs.slice().sort((a, b) => b - a));
      }),
      15,
    ));

  it('a word-count pipeline of chained shuffles matches the model', () =>
    check(
      fc.asyncProperty(fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 5 }), { maxLength: 15 }), parts, async (docs, n) => {
        const counts = ctx()
          .parallelize(docs, n)
          .flatMap((words) => words)
          .map((w) => [w, 1] as [string, number])
          .reduceByKey((a, b) => a + b, 3);
        const byCount = await counts
          .map(([w, c]) => [c, w] as [number, string])
          .groupByKey(2)
          .mapValues((ws) => ws.slice().sort())
          .sortByKey(false)
          .collect();
        const model = groupModel(groupModel(docs.flat().map((w) => [w, 1] as const)).map(([w, ones]) => [ones.length, w] as const));
        expect(byCount.map((kv) => kv[0])).toEqual(model.map((kv) => kv[0]).sort((a, b) => b - a));
        expectSameMultiset(byCount, normalizeGroups(model));
      }),
      15,
    ));

  // ---- partitioning ------------------------------------------------------------------------

  it('partitionBy puts each pair in the partition its hash partitioner names', () =>
    check(
      fc.asyncProperty(pairs, parts, parts, async (kvs, n, m) => {
        const p = ctx().parallelize(kvs, n).partitionBy(m);
        expect(p.getNumPartitions()).toBe(m);
        const slices = await p.glom().collect();
        const hp = new HashPartitioner(m);
        slices.forEach((slice, i) => {
          for (const kv of slice) expect(hp.getPartition(kv[0])).toBe(i);
        });
        expectSameMultiset(slices.flat(), kvs);
      }),
    ));

  it('partitionBy with an equal partitioner returns the same RDD', () => {
    const p = ctx()
      .parallelize([[1, 1]] as [number, number][], 2)
      .partitionBy(4);
    expect(p.partitionBy(new HashPartitioner(4))).toBe(p);
    expect(p.partitionBy(5)).not.toBe(p);
  });

  it('reduceByKey on a partitioned RDD keeps its partitioner', () =>
    check(
      fc.asyncProperty(pairs, parts, parts, async (kvs, n, m) => {
        const p = ctx().parallelize(kvs, n).partitionBy(m);
        const r = p.reduceByKey((a, b) => a + b);
        expect(r.getNumPartitions()).toBe(m);
        expectSameMultiset(await r.collect(), sumsModel(kvs));
      }),
      10,
    ));
});

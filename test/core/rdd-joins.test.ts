/**
 * Joins (join, leftOuterJoin, rightOuterJoin, fullOuterJoin, cogroup, subtractByKey) against
 * plain-array models, with structural keys, on 1..8 partitions and on `local` and `local[2]`.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';

import { canon, check, distinctModel, expectSameMultiset, forMasters, pairs, parts, sortedCopy, type Key } from '../helpers/model.js';

type KV = [Key, number];

function matches(kvs: readonly KV[], k: Key): number[] {
  return kvs.filter((kv) => canon(kv[0]) === canon(k)).map((kv) => kv[1]);
}

function joinModel(as: readonly KV[], bs: readonly KV[]): [Key, [number, number]][] {
  return as.flatMap(([k, v]) => matches(bs, k).map((w): [Key, [number, number]] => [k, [v, w]]));
}

function leftModel(as: readonly KV[], bs: readonly KV[]): [Key, [number, number | null]][] {
  return as.flatMap(([k, v]): [Key, [number, number | null]][] => {
    const ws = matches(bs, k);
    return ws.length === 0 ? [[k, [v, null]]] : ws.map((w) => [k, [v, w]]);
  });
}

function swap<V, W>(rows: [Key, [V, W]][]): [Key, [W, V]][] {
  return rows.map(([k, [v, w]]) => [k, [w, v]]);
}

forMasters((ctx) => {
  // ---- joins -------------------------------------------------------------------------------

  it('join pairs every value of a key with every value of the other side', () =>
    check(
      fc.asyncProperty(pairs, pairs, parts, parts, async (as, bs, n, m) => {
        const got = await ctx().parallelize(as, n).join(ctx().parallelize(bs, m)).collect();
        expectSameMultiset(got, joinModel(as, bs));
      }),
    ));

  it('join honours numPartitions', () =>
    check(
      fc.asyncProperty(pairs, pairs, parts, parts, async (as, bs, n, m) => {
        const j = ctx().parallelize(as, n).join(ctx().parallelize(bs, 2), { numPartitions: m });
        expect(j.getNumPartitions()).toBe(m);
        expectSameMultiset(await j.collect(), joinModel(as, bs));
      }),
      10,
    ));

  it('leftOuterJoin keeps unmatched left values with null', () =>
    check(
      fc.asyncProperty(pairs, pairs, parts, parts, async (as, bs, n, m) => {
        const got = await ctx().parallelize(as, n).leftOuterJoin(ctx().parallelize(bs, m)).collect();
        expectSameMultiset(got, leftModel(as, bs));
      }),
    ));

  it('rightOuterJoin keeps unmatched right values with null', () =>
    check(
      fc.asyncProperty(pairs, pairs, parts, parts, async (as, bs, n, m) => {
        const got = await ctx().parallelize(as, n).rightOuterJoin(ctx().parallelize(bs, m)).collect();
        expectSameMultiset(got, swap(leftModel(bs, as)));
      }),
    ));

  it('fullOuterJoin keeps unmatched values of both sides with null', () =>
    check(
      fc.asyncProperty(pairs, pairs, parts, parts, async (as, bs, n, m) => {
        const got = await ctx().parallelize(as, n).fullOuterJoin(ctx().parallelize(bs, m)).collect();
        const onlyRight = bs.filter(([k]) => matches(as, k).length === 0).map(([k, w]): [Key, [null, number]] => [k, [null, w]]);
        expectSameMultiset(got, [...leftModel(as, bs), ...onlyRight]);
      }),
    ));

  it('cogroup lists the values of each key on both sides', () =>
    check(
      fc.asyncProperty(pairs, pairs, parts, parts, async (as, bs, n, m) => {
        const got = await ctx().parallelize(as, n).cogroup(ctx().parallelize(bs, m)).collect();
        const keys = distinctModel([...as, ...bs].map((kv) => kv[0]));
        const want = keys.map((k) => [k, [sortedCopy(matches(as, k)), sortedCopy(matches(bs, k))]]);
        expectSameMultiset(
          got.map(([k, [vs, ws]]) => [k, [sortedCopy(vs), sortedCopy(ws)]]),
          want,
        );
      }),
    ));

  it('subtractByKey keeps pairs whose key the other side lacks', () =>
    check(
      fc.asyncProperty(pairs, pairs, parts, parts, async (as, bs, n, m) => {
        const got = await ctx().parallelize(as, n).subtractByKey(ctx().parallelize(bs, m)).collect();
        expectSameMultiset(got, as.filter(([k]) => matches(bs, k).length === 0));
      }),
    ));
});

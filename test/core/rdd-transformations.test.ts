/**
 * Narrow transformations, set operations, sampling and zips, each checked against a plain-array
 * model on 1..8 partitions and on the `local` and `local[2]` masters (repartitioning and persistence:
 * rdd-partitioning.test.ts).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';

import { ConfigError } from '../../core/index.js';
import {
  check,
  distinctModel,
  expectSameMultiset,
  forMasters,
  ints,
  key,
  parts,
  slicesModel,
  sumModel,
} from '../helpers/model.js';

/** Whether `sub` can be obtained from `xs` by deleting elements (order kept). */
function isSubsequence(sub: readonly number[], xs: readonly number[]): boolean {
  let j = 0;
  for (let i = 0; i < xs.length && j < sub.length; i++) if (xs[i] === sub[j]) j++;
  return j === sub.length;
}

forMasters(
  (ctx) => {
    // ---- one-to-one ------------------------------------------------------------------------

    it('map applies the function in order', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          expect(await ctx().parallelize(xs, n).map((x) => x * 3 - 1).collect()).toEqual(xs.map((x) => x * 3 - 1));
        }),
      ));

    it('map passes env and the task context', () =>
      check(
        fc.asyncProperty(ints, parts, fc.integer({ min: -5, max: 5 }), async (xs, n, k) => {
          const got = await ctx()
            .parallelize(xs, n)
            .map((x, env, tc) => [x * env.k + 0, tc.partitionId], { k })
            .collect();
          const want = slicesModel(xs, n).flatMap((slice, p) => slice.map((x) => [x * k + 0, p]));
          expect(got).toEqual(want);
        }),
      ));

    it('flatMap concatenates the produced iterables in order', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const got = await ctx()
            .parallelize(xs, n)
            .flatMap((x) => Array.from({ length: Math.abs(x) % 3 }, (_, i) => x + i))
            .collect();
          expect(got).toEqual(xs.flatMap((x) => Array.from({ length: Math.abs(x) % 3 }, (_, i) => x + i)));
        }),
      ));

    it('filter keeps matching elements in order', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          expect(await ctx().parallelize(xs, n).filter((x) => x % 2 === 0).collect()).toEqual(xs.filter((x) => x % 2 === 0));
        }),
      ));

    it('mapPartitions sees each slice once, in order', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const got = await ctx()
            .parallelize(xs, n)
            .mapPartitions((it) => {
              const items = [...it];
              return [[items.length, items.reduce((a, b) => a + b, 0)]];
            })
            .collect();
          expect(got).toEqual(slicesModel(xs, n).map((s) => [s.length, sumModel(s)]));
        }),
      ));

    it('mapPartitions accepts a generator function', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const got = await ctx()
            .parallelize(xs, n)
            .mapPartitions(function* (it) {
              for (const x of it) if (x > 0) yield x;
            })
            .collect();
          expect(got).toEqual(xs.filter((x) => x > 0));
        }),
      ));

    it('mapPartitionsWithIndex passes the partition index', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const got = await ctx()
            .parallelize(xs, n)
            .mapPartitionsWithIndex((i, it) => Array.from(it, (x) => [i, x]))
            .collect();
          expect(got).toEqual(slicesModel(xs, n).flatMap((s, i) => s.map((x) => [i, x])));
        }),
      ));

    it('glom returns the contiguous slices of parallelize', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          expect(await ctx().parallelize(xs, n).glom().collect()).toEqual(slicesModel(xs, n));
        }),
      ));

    it('keyBy pairs each element with its key', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const got = await ctx()
            .parallelize(xs, n)
            .keyBy((x) => [Math.abs(x) % 3, 'k'])
            .collect();
          expect(got).toEqual(xs.map((x) => [[Math.abs(x) % 3, 'k'], x]));
        }),
      ));

    it('keys projects pairs to their keys in order', () =>
      check(
        fc.asyncProperty(fc.array(fc.tuple(key, fc.integer())), parts, async (kvs, n) => {
          expect(await ctx().parallelize(kvs, n).keys().collect()).toEqual(kvs.map((kv) => kv[0]));
        }),
      ));

    it('values projects pairs to their values in order', () =>
      check(
        fc.asyncProperty(fc.array(fc.tuple(key, fc.integer())), parts, async (kvs, n) => {
          expect(await ctx().parallelize(kvs, n).values().collect()).toEqual(kvs.map((kv) => kv[1]));
        }),
      ));

    // ---- unions and set operations ---------------------------------------------------------

    it('union concatenates partitions and records in order', () =>
      check(
        fc.asyncProperty(ints, parts, ints, parts, async (xs, n, ys, m) => {
          const u = ctx().parallelize(xs, n).union(ctx().parallelize(ys, m));
          expect(u.getNumPartitions()).toBe(n + m);
          expect(await u.collect()).toEqual([...xs, ...ys]);
        }),
      ));

    it('union of an RDD with itself repeats it', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const rdd = ctx().parallelize(xs, n);
          expect(await rdd.union(rdd).collect()).toEqual([...xs, ...xs]);
        }),
      ));

    it('cartesian of an RDD with itself pairs every two elements', () =>
      check(
        fc.asyncProperty(fc.array(fc.integer(), { maxLength: 10 }), parts, async (xs, n) => {
          const rdd = ctx().parallelize(xs, n);
          expectSameMultiset(await rdd.cartesian(rdd).collect(), xs.flatMap((a) => xs.map((b) => [a, b])));
        }),
        15,
      ));

    it('ctx.union of three RDDs equals the concatenation', () =>
      check(
        fc.asyncProperty(ints, ints, ints, parts, async (xs, ys, zs, n) => {
          const c = ctx();
          expect(await c.union(c.parallelize(xs, n), c.parallelize(ys, 2), c.parallelize(zs, 1)).collect()).toEqual([...xs, ...ys, ...zs]);
        }),
      ));

    it('distinct keeps one copy of each structurally equal element', () =>
      check(
        fc.asyncProperty(fc.array(key, { maxLength: 30 }), parts, fc.option(parts, { nil: undefined }), async (ks, n, m) => {
          const d = ctx().parallelize(ks, n).distinct(m);
          if (m !== undefined) expect(d.getNumPartitions()).toBe(m);
          expectSameMultiset(await d.collect(), distinctModel(ks));
        }),
      ));

    it('intersection returns the distinct common elements', () =>
      check(
        fc.asyncProperty(fc.array(key, { maxLength: 20 }), fc.array(key, { maxLength: 20 }), parts, parts, async (as, bs, n, m) => {
          const got = await ctx().parallelize(as, n).intersection(ctx().parallelize(bs, m)).collect();
          const inB = new Set(bs.map((b) => JSON.stringify(b)));
          expectSameMultiset(got, distinctModel(as.filter((a) => inB.has(JSON.stringify(a)))));
        }),
      ));

    it('subtract removes every element present in the other RDD, keeping duplicates of the rest', () =>
      check(
        fc.asyncProperty(fc.array(key, { maxLength: 20 }), fc.array(key, { maxLength: 20 }), parts, parts, async (as, bs, n, m) => {
          const got = await ctx().parallelize(as, n).subtract(ctx().parallelize(bs, m)).collect();
          const inB = new Set(bs.map((b) => JSON.stringify(b)));
          expectSameMultiset(got, as.filter((a) => !inB.has(JSON.stringify(a))));
        }),
      ));

    it('cartesian returns every pair, over n * m partitions', () =>
      check(
        fc.asyncProperty(fc.array(fc.integer(), { maxLength: 8 }), fc.array(fc.string({ maxLength: 2 }), { maxLength: 8 }), parts, parts, async (as, bs, n, m) => {
          const c = ctx().parallelize(as, n).cartesian(ctx().parallelize(bs, m));
          expect(c.getNumPartitions()).toBe(n * m);
          expectSameMultiset(await c.collect(), as.flatMap((a) => bs.map((b) => [a, b])));
        }),
        15,
      ));

    // ---- sampling --------------------------------------------------------------------------

    it('sample without replacement returns a subsequence', () =>
      check(
        fc.asyncProperty(ints, parts, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), async (xs, n, f, seed) => {
          const got = await ctx().parallelize(xs, n).sample(false, f, seed).collect();
          expect(isSubsequence(got, xs)).toBe(true);
        }),
      ));

    it('sample with replacement only draws elements of the input', () =>
      check(
        fc.asyncProperty(ints, parts, fc.double({ min: 0, max: 3, noNaN: true }), fc.integer(), async (xs, n, f, seed) => {
          const got = await ctx().parallelize(xs, n).sample(true, f, seed).collect();
          for (const x of got) expect(xs).toContain(x);
        }),
      ));

    it('sample is deterministic for a fixed seed', () =>
      check(
        fc.asyncProperty(ints, parts, fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), async (xs, n, repl, f, seed) => {
          const a = await ctx().parallelize(xs, n).sample(repl, f, seed).collect();
          const rdd = ctx().parallelize(xs, n).sample(repl, f, seed);
          expect(await rdd.collect()).toEqual(a);
          expect(await rdd.collect()).toEqual(a);
        }),
      ));

    it('sample with fraction 0 is empty, with or without replacement', () =>
      check(
        fc.asyncProperty(ints, parts, fc.boolean(), fc.integer(), async (xs, n, repl, seed) => {
          expect(await ctx().parallelize(xs, n).sample(repl, 0, seed).collect()).toEqual([]);
        }),
      ));

    it('sample without replacement and fraction 1 keeps everything in order', () =>
      check(
        fc.asyncProperty(ints, parts, fc.integer(), async (xs, n, seed) => {
          expect(await ctx().parallelize(xs, n).sample(false, 1, seed).collect()).toEqual(xs);
        }),
      ));

    it('sample rejects a fraction above 1 without replacement', () => {
      expect(() => ctx().parallelize([1, 2], 1).sample(false, 1.5, 1)).toThrow(ConfigError);
    });

    // ---- zips ------------------------------------------------------------------------------

    it('zip pairs elements at the same position', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const ys = xs.map((x) => `s${x}`);
          const got = await ctx().parallelize(xs, n).zip(ctx().parallelize(ys, n)).collect();
          expect(got).toEqual(xs.map((x, i) => [x, ys[i]]));
        }),
      ));

    it('zip with a map of itself pairs each element with its image', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const rdd = ctx().parallelize(xs, n);
          expect(await rdd.zip(rdd.map((x) => 100 - x)).collect()).toEqual(xs.map((x) => [x, 100 - x]));
        }),
      ));

    it('zip rejects partitions of different sizes', async () => {
      const c = ctx();
      await expect(c.parallelize([1, 2, 3], 1).zip(c.parallelize([1, 2], 1)).collect()).rejects.toThrow(/same number of records/);
    });

    it('zip throws for different partition counts', () => {
      const c = ctx();
      expect(() => c.parallelize([1, 2], 2).zip(c.parallelize([1, 2], 1))).toThrow(ConfigError);
    });

    it('zipWithIndex numbers elements 0..n-1 in order', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const got = await ctx()
            .parallelize(xs, n)
            .filter((x) => x % 3 !== 0)
            .zipWithIndex()
            .collect();
          expect(got).toEqual(xs.filter((x) => x % 3 !== 0).map((x, i) => [x, i]));
        }),
      ));

    it('zipWithIndex after a shuffle numbers the shuffled records in collect order', () =>
      check(
        fc.asyncProperty(ints, parts, parts, async (xs, n, m) => {
          const sorted = ctx()
            .parallelize(xs, n)
            .map((x) => [x, 1] as [number, number])
            .sortByKey(false, m);
          const order = await sorted.collect();
          expect(await sorted.zipWithIndex().collect()).toEqual(order.map((kv, i) => [kv, i]));
        }),
      ));

    it('zipWithUniqueId gives distinct ids', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const ids = (await ctx().parallelize(xs, n).zipWithUniqueId().collect()).map((p) => p[1]);
          expect(new Set(ids).size).toBe(xs.length);
        }),
      ));

    it('zipWithUniqueId gives item i of partition k the id i * n + k', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const rdd = ctx()
            .parallelize(xs, n)
            .filter((x) => x > -10);
          const slices = await rdd.glom().collect();
          const want = slices.flatMap((s, k) => s.map((x, i) => [x, i * n + k]));
          expect(await rdd.zipWithUniqueId().collect()).toEqual(want);
        }),
      ));
  },
);

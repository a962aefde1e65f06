/**
 * Actions against plain-array models, on 1..8 partitions and on the `local` and `local[2]` masters:
 * collecting, ordering, sampling, side effects and text output (aggregating actions:
 * rdd-aggregate-actions.test.ts; numeric ones: rdd-numeric-actions.test.ts).
 */
import fc from 'fast-check';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

import { compareKeys } from '../../core/index.js';
import {
  check,
  expectSameMultiset,
  forMasters,
  ints,
  key,
  pairs,
  parts,
  slicesModel,
  sumModel,
} from '../helpers/model.js';

const outRoot = mkdtempSync(join(tmpdir(), 'voxelflow-actions-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));
let outCount = 0;
const freshDir = (): string => join(outRoot, `out-${outCount++}`);

const nonEmpty = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 40 });

forMasters((ctx) => {
  // ---- retrieving ------------------------------------------------------------------------

  it('collect returns every element in partition order', () =>
    check(
      fc.asyncProperty(ints, parts, async (xs, n) => {
        expect(await ctx().parallelize(xs, n).collect()).toEqual(xs);
      }),
    ));

  it('count equals the array length', () =>
    check(
      fc.asyncProperty(ints, parts, async (xs, n) => {
        expect(await ctx().parallelize(xs, n).count()).toBe(xs.length);
        expect(await ctx().parallelize(xs, n).filter((x) => x > 0).count()).toBe(xs.filter((x) => x > 0).length);
      }),
    ));

  it('first returns the first element', () =>
    check(
      fc.asyncProperty(ints, parts, async (xs, n) => {
        const rdd = ctx()
          .parallelize(xs, n)
          .filter((x) => x > 5);
        const want = xs.filter((x) => x > 5);
        if (want.length === 0) await expect(rdd.first()).rejects.toThrow(/empty/);
        else expect(await rdd.first()).toBe(want[0]);
      }),
    ));

  it('take(k) returns the first k elements, scanning past empty partitions', () =>
    check(
      fc.asyncProperty(ints, parts, fc.integer({ min: 0, max: 45 }), async (xs, n, k) => {
        const got = await ctx()
          .parallelize(xs, n)
          .filter((x) => x > 8)
          .take(k);
        expect(got).toEqual(xs.filter((x) => x > 8).slice(0, k));
      }),
    ));

  it('isEmpty says whether there is any element', () =>
    check(
      fc.asyncProperty(ints, parts, async (xs, n) => {
        expect(
          await ctx()
            .parallelize(xs, n)
            .filter((x) => x > 15)
            .isEmpty(),
        ).toBe(!xs.some((x) => x > 15));
      }),
    ));

  it('isEmpty is true for an RDD without partitions', async () => {
    expect(await ctx().emptyRDD<number>().isEmpty()).toBe(true);
  });

  it('takeOrdered(k) returns the k smallest in order', () =>
    check(
      fc.asyncProperty(ints, parts, fc.integer({ min: 0, max: 45 }), async (xs, n, k) => {
        expect(await ctx().parallelize(xs, n).takeOrdered(k)).toEqual(xs.slice().sort((a, b) => a - b).slice(0, k));
      }),
    ));

  it('takeOrdered orders structural keys by their key order', () =>
    check(
      fc.asyncProperty(fc.array(key), parts, fc.integer({ min: 0, max: 10 }), async (ks, n, k) => {
        expect(await ctx().parallelize(ks, n).takeOrdered(k)).toEqual(ks.slice().sort(compareKeys).slice(0, k));
      }),
    ));

  it('takeOrdered takes a comparator with env', () =>
    check(
      fc.asyncProperty(ints, parts, fc.integer({ min: 0, max: 10 }), async (xs, n, k) => {
        const got = await ctx()
          .parallelize(xs, n)
          .takeOrdered(k, (a, b, env) => env.sign * (a - b), { sign: -1 });
        expect(got).toEqual(xs.slice().sort((a, b) => b - a).slice(0, k));
      }),
    ));

  it('top(k) returns the k largest in descending order', () =>
    check(
      fc.asyncProperty(ints, parts, fc.integer({ min: 0, max: 45 }), async (xs, n, k) => {
        expect(await ctx().parallelize(xs, n).top(k)).toEqual(xs.slice().sort((a, b) => b - a).slice(0, k));
      }),
    ));

  it('top with a comparator returns the k largest under it', () =>
    check(
      fc.asyncProperty(ints, parts, fc.integer({ min: 0, max: 10 }), async (xs, n, k) => {
        const cmp = (a: number, b: number): number => Math.abs(a) - Math.abs(b) || a - b;
        const got = await ctx().parallelize(xs, n).top(k, (a, b) => Math.abs(a) - Math.abs(b) || a - b);
        expect(got).toEqual(xs.slice().sort((a, b) => cmp(b, a)).slice(0, k));
      }),
    ));

  it('max and min use the natural or the given order', () =>
    check(
      fc.asyncProperty(nonEmpty, parts, async (xs, n) => {
        const rdd = ctx().parallelize(xs, n);
        expect(await rdd.max()).toBe(Math.max(...xs));
        expect(await rdd.min()).toBe(Math.min(...xs));
        expect(await rdd.max((a, b) => b - a)).toBe(Math.min(...xs));
        expect(await rdd.min((a, b) => b - a)).toBe(Math.max(...xs));
      }),
    ));

  it('max and min of structural keys follow the key order', () =>
    check(
      fc.asyncProperty(fc.array(key, { minLength: 1 }), parts, async (ks, n) => {
        const sorted = ks.slice().sort(compareKeys);
        const rdd = ctx().parallelize(ks, n);
        expect(await rdd.max()).toEqual(sorted[sorted.length - 1]);
        expect(await rdd.min()).toEqual(sorted[0]);
      }),
    ));

  it('max and min reject on an empty RDD', async () => {
    const empty = ctx().parallelize([] as number[], 3);
    await expect(empty.max()).rejects.toThrow(/empty/);
    await expect(empty.min()).rejects.toThrow(/empty/);
  });

  // ---- takeSample ------------------------------------------------------------------------

  it('takeSample without replacement draws min(num, count) distinct elements', () =>
    check(
      fc.asyncProperty(fc.integer({ min: 0, max: 40 }), parts, fc.integer({ min: 0, max: 50 }), fc.integer(), async (size, n, num, seed) => {
        const xs = Array.from({ length: size }, (_, i) => i * 10);
        const got = await ctx().parallelize(xs, n).takeSample(false, num, seed);
        expect(got).toHaveLength(Math.min(num, size));
        expect(new Set(got).size).toBe(got.length);
        for (const x of got) expect(xs).toContain(x);
      }),
    ));

  it('takeSample with replacement draws exactly num elements of a non-empty RDD', () =>
    check(
      fc.asyncProperty(nonEmpty, parts, fc.integer({ min: 0, max: 50 }), fc.integer(), async (xs, n, num, seed) => {
        const got = await ctx().parallelize(xs, n).takeSample(true, num, seed);
        expect(got).toHaveLength(num);
        for (const x of got) expect(xs).toContain(x);
      }),
    ));

  it('takeSample is deterministic for a fixed seed', () =>
    check(
      fc.asyncProperty(ints, parts, fc.boolean(), fc.integer({ min: 0, max: 20 }), fc.integer(), async (xs, n, repl, num, seed) => {
        const rdd = ctx().parallelize(xs, n);
        expect(await rdd.takeSample(repl, num, seed)).toEqual(await rdd.takeSample(repl, num, seed));
      }),
    ));

  it('takeSample of an empty RDD is empty', async () => {
    expect(await ctx().parallelize([] as number[], 2).takeSample(true, 5, 1)).toEqual([]);
    expect(await ctx().parallelize([] as number[], 2).takeSample(false, 5, 1)).toEqual([]);
  });

  // ---- side effects ----------------------------------------------------------------------

  it('foreach runs on every element (sum accumulator)', () =>
    check(
      fc.asyncProperty(ints, parts, async (xs, n) => {
        const acc = ctx().accumulator(0);
        await ctx()
          .parallelize(xs, n)
          .foreach((x, env) => env.acc.add(x), { acc });
        expect(acc.value).toBe(sumModel(xs));
      }),
    ));

  it('foreach sees every element once (list accumulator)', () =>
    check(
      fc.asyncProperty(ints, parts, async (xs, n) => {
        const acc = ctx().accumulator<number>([]);
        await ctx()
          .parallelize(xs, n)
          .foreach((x, env) => env.acc.add(x), { acc });
        expectSameMultiset(acc.value, xs);
      }),
    ));

  it('foreachPartition gets one iterator per partition', () =>
    check(
      fc.asyncProperty(ints, parts, async (xs, n) => {
        const acc = ctx().accumulator<number[]>([]);
        await ctx()
          .parallelize(xs, n)
          .foreachPartition(
            (it, env, tc) => {
              let sum = 0;
              for (const x of it) sum += x;
              env.acc.add([tc.partitionId, sum]);
            },
            { acc },
          );
        expectSameMultiset(
          acc.value,
          slicesModel(xs, n).map((s, i) => [i, sumModel(s)]),
        );
      }),
    ));

  // ---- text output -----------------------------------------------------------------------

  it('saveAsTextFile writes one part per partition that textFile reads back', () =>
    check(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }).filter((s) => !/[\r\n]/.test(s))), parts, async (lines, n) => {
        const dir = freshDir();
        await ctx().parallelize(lines, n).saveAsTextFile(dir);
        const names = readdirSync(dir).sort();
        expect(names).toEqual(['_SUCCESS', ...Array.from({ length: n }, (_, i) => `part-${String(i).padStart(5, '0')}`)]);
        expect(await ctx().textFile(dir, 3).collect()).toEqual(lines);
      }),
      15,
    ));

  it('saveAsTextFile writes non-strings as JSON lines', () =>
    check(
      fc.asyncProperty(pairs, parts, async (kvs, n) => {
        const dir = freshDir();
        await ctx().parallelize(kvs, n).saveAsTextFile(dir);
        const back = (await ctx().textFile(dir).collect()).map((line) => JSON.parse(line) as unknown);
        expect(back).toEqual(kvs);
      }),
      15,
    ));

  it('saveAsTextFile of an RDD without partitions writes an empty output', async () => {
    const dir = freshDir();
    await ctx().emptyRDD<string>().saveAsTextFile(dir);
    expect(readdirSync(dir)).toEqual(['_SUCCESS']);
  });

  it('saveAsTextFile refuses an existing directory', async () => {
    const dir = freshDir();
    await ctx().parallelize(['a'], 1).saveAsTextFile(dir);
    expect(existsSync(join(dir, '_SUCCESS'))).toBe(true);
    await expect(ctx().parallelize(['b'], 1).saveAsTextFile(dir)).rejects.toThrow(/already exists/);
  });

});

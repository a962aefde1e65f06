/**
 * Actions against plain-array models, on 1..8 partitions and on the `local` and `local[2]` masters:
 * collecting, ordering, sampling, folding, counting, statistics, text output and the approximate
 * actions.
 */
import fc from 'fast-check';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

import { compareKeys } from '../../core/index.js';
import {
  canon,
  check,
  expectSameMultiset,
  forMasters,
  groupModel,
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

/** Population statistics of a non-empty array. */
function statsModel(xs: readonly number[]): { mean: number; variance: number } {
  const mean = sumModel(xs) / xs.length;
  return { mean, variance: sumModel(xs.map((x) => (x - mean) ** 2)) / xs.length };
}

/** Counts per bucket; buckets are [e_i, e_i+1) except the last, which is closed. */
function histogramModel(xs: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const x of xs) {
    for (let i = 0; i < counts.length; i++) {
      const last = i === counts.length - 1;
      if (x >= (edges[i] as number) && (x < (edges[i + 1] as number) || (last && x === edges[i + 1]))) {
        counts[i] = (counts[i] as number) + 1;
        break;
      }
    }
  }
  return counts;
}

function entries<K, V>(m: Map<K, V>): [K, V][] {
  return [...m.entries()];
}

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

  // ---- statistics ------------------------------------------------------------------------

  it('sum equals the array sum (0 when empty)', () =>
    check(
      fc.asyncProperty(ints, parts, async (xs, n) => {
        expect(await ctx().parallelize(xs, n).sum()).toBeCloseTo(sumModel(xs), 9);
      }),
    ));

  it('sum of integers is exact, however the partitions are cut', () =>
    check(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 40 }), parts, async (xs, n) => {
        expect(await ctx().parallelize(xs, n).sum()).toBe(sumModel(xs));
      }),
    ));

  it('mean, variance and stdev match the population formulas', () =>
    check(
      fc.asyncProperty(nonEmpty, parts, async (xs, n) => {
        const rdd = ctx().parallelize(xs, n);
        const m = statsModel(xs);
        expect(await rdd.mean()).toBeCloseTo(m.mean, 9);
        expect(await rdd.variance()).toBeCloseTo(m.variance, 9);
        expect(await rdd.stdev()).toBeCloseTo(Math.sqrt(m.variance), 9);
      }),
    ));

  it('sampleVariance and sampleStdev divide by count - 1', () =>
    check(
      fc.asyncProperty(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 2, maxLength: 40 }), parts, async (xs, n) => {
        const rdd = ctx().parallelize(xs, n);
        const sv = (statsModel(xs).variance * xs.length) / (xs.length - 1);
        expect(await rdd.sampleVariance()).toBeCloseTo(sv, 9);
        expect(await rdd.sampleStdev()).toBeCloseTo(Math.sqrt(sv), 9);
      }),
    ));

  it('stats gives count, mean, min, max and variance in one pass', () =>
    check(
      fc.asyncProperty(nonEmpty, parts, async (xs, n) => {
        const s = await ctx().parallelize(xs, n).stats();
        const m = statsModel(xs);
        expect(s.count).toBe(xs.length);
        expect(s.mean).toBeCloseTo(m.mean, 9);
        expect(s.variance).toBeCloseTo(m.variance, 9);
        expect(s.max).toBe(Math.max(...xs));
        expect(s.min).toBe(Math.min(...xs));
      }),
    ));

  it('mean and variance of an empty RDD are NaN, its sum 0', async () => {
    const empty = ctx().parallelize([] as number[], 2);
    expect(await empty.sum()).toBe(0);
    expect(await empty.mean()).toBeNaN();
    expect(await empty.variance()).toBeNaN();
  });

  it('histogram(b) spaces b buckets evenly over [min, max]', () =>
    check(
      fc.asyncProperty(nonEmpty, parts, fc.integer({ min: 1, max: 6 }), async (xs, n, b) => {
        const [edges, counts] = await ctx().parallelize(xs, n).histogram(b);
        const lo = Math.min(...xs);
        const hi = Math.max(...xs);
        if (lo === hi) {
          expect(edges).toEqual([lo, hi]);
          expect(counts).toEqual([xs.length]);
          return;
        }
        expect(edges).toHaveLength(b + 1);
        expect(edges[0]).toBe(lo);
        expect(edges[b]).toBe(hi);
        edges.forEach((e, i) => expect(e).toBeCloseTo(lo + ((hi - lo) * i) / b, 9));
        expect(counts).toEqual(histogramModel(xs, edges));
        expect(sumModel(counts)).toBe(xs.length);
      }),
    ));

  it('histogram(edges) counts values per given bucket, the last one closed', () =>
    check(
      fc.asyncProperty(ints, parts, fc.uniqueArray(fc.integer({ min: -25, max: 25 }), { minLength: 2, maxLength: 6 }), async (xs, n, raw) => {
        const edges = raw.slice().sort((a, b) => a - b);
        const [gotEdges, counts] = await ctx().parallelize(xs, n).histogram(edges);
        expect(gotEdges).toEqual(edges);
        expect(counts).toEqual(histogramModel(xs, edges));
      }),
    ));

  it('histogram rejects unsorted edges and empty RDDs', async () => {
    await expect(ctx().parallelize([1, 2], 1).histogram([3, 1])).rejects.toThrow(TypeError);
    await expect(ctx().parallelize([] as number[], 1).histogram(3)).rejects.toThrow(/empty/);
  });

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

  // ---- approximate actions ---------------------------------------------------------------

  it('countApprox with a generous timeout is final and exact', () =>
    check(
      fc.asyncProperty(ints, parts, async (xs, n) => {
        const r = await ctx().parallelize(xs, n).countApprox(60_000);
        expect(r).toMatchObject({ count: xs.length, low: xs.length, high: xs.length, isFinal: true });
        expect((await r.final).count).toBe(xs.length);
      }),
      10,
    ));

  it('sumApprox and meanApprox with a generous timeout are final and exact', () =>
    check(
      fc.asyncProperty(nonEmpty, parts, async (xs, n) => {
        const rdd = ctx().parallelize(xs, n);
        const s = await rdd.sumApprox(60_000, 0.9);
        expect(s.isFinal).toBe(true);
        expect(s.sum).toBeCloseTo(sumModel(xs), 9);
        expect(s.low).toBe(s.sum);
        expect(s.high).toBe(s.sum);
        const m = await rdd.meanApprox(60_000);
        expect(m.isFinal).toBe(true);
        expect(m.mean).toBeCloseTo(statsModel(xs).mean, 9);
        expect((await m.final).mean).toBe(m.mean);
      }),
      10,
    ));

  // 64 equal partitions of 20 000 numbers: the job takes dozens of event-loop turns and several
  // milliseconds, so a 0 ms timeout fires first. With equal partitions the count interval provably
  // holds the true count: its estimate overshoots by (1 - p) / p, less than z standard deviations.
  const big = 64 * 20_000;

  it('countApprox with timeout 0 resolves early, with bounds around the final count', async () => {
    const r = await ctx().range(0, big, 1, 64).countApprox(0);
    expect(r.isFinal).toBe(false);
    expect(r.low).toBeLessThanOrEqual(r.count);
    expect(r.count).toBeLessThanOrEqual(r.high);
    const final = await r.final;
    expect(final).toMatchObject({ count: big, low: big, high: big, isFinal: true });
    expect(r.low).toBeLessThanOrEqual(big);
    expect(big).toBeLessThanOrEqual(r.high);
  });

  it('sumApprox and meanApprox with timeout 0 resolve early and finish exact', async () => {
    const rdd = ctx().range(0, big, 1, 64);
    const s = await rdd.sumApprox(0);
    expect(s.isFinal).toBe(false);
    expect(s.low).toBeLessThanOrEqual(s.high);
    expect((await s.final).sum).toBe(((big - 1) * big) / 2);
    const m = await rdd.meanApprox(0);
    expect(m.isFinal).toBe(false);
    expect(m.low).toBeLessThanOrEqual(m.high);
    expect((await m.final).mean).toBeCloseTo((big - 1) / 2, 6);
  });

  it('approximate actions on an RDD without partitions are final at once', async () => {
    const empty = ctx().emptyRDD<number>();
    expect(await empty.countApprox(1000)).toMatchObject({ count: 0, low: 0, high: 0, isFinal: true });
    expect(await empty.sumApprox(1000)).toMatchObject({ sum: 0, isFinal: true });
    expect((await empty.meanApprox(1000)).mean).toBeNaN();
    expect((await ctx().parallelize([] as number[], 3).meanApprox(1000)).mean).toBeNaN();
  });

  it('approximate actions reject a confidence outside (0, 1)', async () => {
    await expect(ctx().parallelize([1], 1).countApprox(10, 1)).rejects.toThrow(TypeError);
  });
});

/**
 * Numeric actions against plain-array models, on 1..8 partitions and on the `local` and `local[2]`
 * masters: sum, mean, variance and stats, histograms, and the approximate actions.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';

import { ConfigError } from '../../core/index.js';
import { check, forMasters, ints, parts, sumModel } from '../helpers/model.js';

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

forMasters((ctx) => {
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
    await expect(ctx().parallelize([1, 2], 1).histogram([3, 1])).rejects.toThrow(ConfigError);
    await expect(ctx().parallelize([] as number[], 1).histogram(3)).rejects.toThrow(/empty/);
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
    await expect(ctx().parallelize([1], 1).countApprox(10, 1)).rejects.toThrow(ConfigError);
  });
});

/**
 * Approximate answers. The estimators are checked for coverage in repeated seeded trials: partitions
 * that are samples with different means and sizes, a random subset of them finished, and the exact
 * value must lie in the interval about as often as the confidence says. Spark's row-level
 * evaluator is run on the same trials to show why partitions are treated as clusters. Then the
 * actions: an estimate at the timeout, the exact value in `final`, and per-sample estimates.
 */
import { describe, expect, it } from 'vitest';
import { type Context, StatCounter, approxMean } from '../../index.js';
import { estimateCount, estimateMean, partitionOrder, type ClusterPartial } from '../../table/table-approx.js';
import { normal, rng } from './helpers.js';
import { contextPerFile } from '../helpers/context.js';

/** 60 partitions, each a sample with its own mean (between-sample spread) and size. */
function partitions(seed: number): { parts: ClusterPartial[]; values: number[][] } {
  const rand = rng(seed);
  const values = Array.from({ length: 60 }, () => {
    const mean = 100 + normal(rand) * 15;
    const n = 50 + Math.floor(rand() * 150);
    return Array.from({ length: n }, () => mean + normal(rand) * 10);
  });
  const parts = values.map((v) => ({ n: v.length, sum: v.reduce((a, b) => a + b, 0), sumSq: v.reduce((a, b) => a + b * b, 0) }));
  return { parts, values };
}

function subset<T>(items: readonly T[], m: number, rand: () => number): T[] {
  const idx = items.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, m).map((i) => items[i]!);
}

describe('estimators', () => {
  const TRIALS = 400;

  it('the mean interval holds the exact mean at the stated confidence; the row-level one does not', () => {
    const rand = rng(17);
    let hits = 0;
    let rowLevelHits = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const { parts, values } = partitions(1000 + trial);
      const exact = parts.reduce((a, p) => a + p.sum, 0) / parts.reduce((a, p) => a + p.n, 0);
      const pick = subset(parts.map((p, i) => [p, i] as const), 20, rand);
      const e = estimateMean(pick.map(([p]) => p), 60, 0.95);
      if (e.low <= exact && exact <= e.high) hits++;
      const st = new StatCounter();
      for (const [, i] of pick) for (const v of values[i]!) st.merge(v);
      const spark = approxMean(st, 20, 60, 0.95);
      if (spark.low <= exact && exact <= spark.high) rowLevelHits++;
    }
    // Binomial(400, 0.95) lies above 0.92·400 with probability > 0.99; the trials are seeded.
    expect(hits / TRIALS).toBeGreaterThan(0.92);
    expect(rowLevelHits / TRIALS).toBeLessThan(0.6);
  });

  it('the count interval holds the exact count at the stated confidence', () => {
    const rand = rng(23);
    let hits = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const { parts } = partitions(5000 + trial);
      const exact = parts.reduce((a, p) => a + p.n, 0);
      const e = estimateCount(subset(parts, 15, rand).map((p) => p.n), 60, 0.9);
      if (e.low <= exact && exact <= e.high) hits++;
    }
    expect(hits / TRIALS).toBeGreaterThan(0.86);
  });

  it('runs partitions in a seeded random order, so samples stored in order do not bias the estimate', () => {
    let shuffledHits = 0;
    let inOrderHits = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      // Partitions stored sorted by their sample's mean, as files named by sample often are.
      const parts = partitions(9000 + trial).parts.sort((a, b) => a.sum / a.n - b.sum / b.n);
      const exact = parts.reduce((a, p) => a + p.sum, 0) / parts.reduce((a, p) => a + p.n, 0);
      const shuffled = estimateMean(partitionOrder(60, trial).slice(0, 20).map((i) => parts[i]!), 60, 0.95);
      const inOrder = estimateMean(parts.slice(0, 20), 60, 0.95);
      if (shuffled.low <= exact && exact <= shuffled.high) shuffledHits++;
      if (inOrder.low <= exact && exact <= inOrder.high) inOrderHits++;
    }
    expect(shuffledHits / TRIALS).toBeGreaterThan(0.92);
    expect(inOrderHits / TRIALS).toBeLessThan(0.05);
  });

  it('is exact once every partition is in', () => {
    const { parts } = partitions(1);
    const exact = parts.reduce((a, p) => a + p.sum, 0) / parts.reduce((a, p) => a + p.n, 0);
    expect(estimateMean(parts, 60, 0.95)).toEqual({ value: exact, low: exact, high: exact, confidence: 1 });
  });
});

describe('meanApprox and countApprox', () => {
  let ctx: Context;
  contextPerFile({ master: 'local[2]' }, (c) => (ctx = c));

  const table = () => {
    const rand = rng(3);
    const sample = Array.from({ length: 4000 }, (_, i) => ['A', 'B', 'C', 'D'][Math.floor(i / 1000)]!);
    const v = sample.map((s) => (s === 'A' ? 10 : s === 'B' ? 20 : s === 'C' ? 30 : 40) + normal(rand));
    return { t: ctx.createTable({ sample, v }, 16), v, sample };
  };

  it('resolves with an interval at the timeout and the exact mean in final', async () => {
    const { t, v } = table();
    const exact = v.reduce((a, b) => a + b, 0) / v.length;
    const first = await t.meanApprox('v', { timeoutMs: 0, confidence: 0.95 });
    expect(first.partitions).toBe(16);
    expect(first.low).toBeLessThanOrEqual(first.high);
    const final = await first.final;
    expect(final).toMatchObject({ isFinal: true, partitionsDone: 16, confidence: 1 });
    expect(final.value).toBeCloseTo(exact, 10);
  });

  it('with a long timeout resolves final and exact', async () => {
    const { t, v } = table();
    const r = await t.meanApprox('v', { timeoutMs: 60_000 });
    expect(r.isFinal).toBe(true);
    expect(r.value).toBeCloseTo(v.reduce((a, b) => a + b, 0) / v.length, 10);
    expect((await t.countApprox({ timeoutMs: 60_000 })).value).toBe(4000);
  });

  it('estimates each sample from its own rows (stratified by the sample column)', async () => {
    const { t, v, sample } = table();
    const r = await (await t.meanApprox('v', { timeoutMs: 60_000, by: 'sample' })).final;
    const strata = [...(r.strata ?? [])].sort((a, b) => String(a.key).localeCompare(String(b.key)));
    expect(strata.map((s) => s.key)).toEqual(['A', 'B', 'C', 'D']);
    strata.forEach((s) => {
      const mine = v.filter((_, i) => sample[i] === s.key);
      expect(s.value).toBeCloseTo(mine.reduce((a, b) => a + b, 0) / mine.length, 10);
    });
  });

  it('rejects a confidence outside (0, 1)', async () => {
    await expect(table().t.meanApprox('v', { confidence: 1 })).rejects.toThrow('approx: confidence must be in (0, 1), got 1');
  });
});

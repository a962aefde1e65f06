/**
 * Column statistics against hand-computed values and brute-force references: describe (pandas'
 * definitions: std with n − 1, linearly interpolated quartiles), the exact distributed quantile
 * search (including heavy ties and bins refined again), groupBy.agg, corr/cov, and the
 * within/between-sample comparison.
 */
import { describe, expect, it } from 'vitest';
import '../../index.js';
import type { Context } from '../../index.js';
import { exactQuantiles } from '../../table/quantiles.js';
import { forMasters } from '../helpers/model.js';
import { normal, rng } from './helpers.js';

/** numpy.percentile's default (linear) on sorted values. */
function percentile(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const frac = pos - lo;
  return frac === 0 ? (sorted[lo] as number) : (sorted[lo] as number) + ((sorted[lo + 1] as number) - (sorted[lo] as number)) * frac;
}

const samples = (ctx: Context) =>
  ctx.createTable(
    {
      sample: ['A', 'A', 'A', 'B', 'B', 'C', 'C', 'C'],
      x: [1, 2, 3, 10, 12, 20, 21, 25],
      y: [2, 4, 6, 20, 24, 40, 42, Number.NaN],
    },
    3,
  );

forMasters((ctx) => {
  describe('describe', () => {
    it('gives pandas-style count, mean, std, min, quartiles and max', async () => {
      const [x, y] = await samples(ctx()).describe();
      // x = 1 2 3 10 12 20 21 25: mean 94/8, quartile positions 1.75, 3.5, 5.25.
      expect(x).toMatchObject({ column: 'x', count: 8, min: 1, max: 25, mean: 11.75, q25: 2.75, median: 11, q75: 20.25 });
      const m = 11.75;
      const sq = [1, 2, 3, 10, 12, 20, 21, 25].reduce((a, v) => a + (v - m) ** 2, 0);
      expect(x?.std).toBeCloseTo(Math.sqrt(sq / 7), 12);
      // y without its missing value: 2 4 6 20 24 40 42, positions 1.5, 3, 4.5.
      expect(y).toMatchObject({ column: 'y', count: 7, min: 2, max: 42, q25: 5, median: 20, q75: 32 });
    });

    it('matches a sort of all values on random data with many ties', async () => {
      const rand = rng(11);
      const values = Array.from({ length: 5000 }, () => (rand() < 0.3 ? 7 : Math.round(normal(rand) * 100) / 10));
      const t = ctx().createTable({ v: values, w: values.map((v) => -v * 3) }, 5);
      const sorted = values.slice().sort((a, b) => a - b);
      const [v] = await t.describe(['v']);
      expect([v?.q25, v?.median, v?.q75]).toEqual([0.25, 0.5, 0.75].map((q) => percentile(sorted, q)));
    });

    it('refines a bin that is too full to collect, and still finds the exact order statistics', async () => {
      const rand = rng(5);
      const values = Array.from({ length: 3000 }, () => rand() ** 4 * 1000);
      const t = ctx().createTable({ v: values }, 4);
      const s = await t.stats('v');
      const sorted = values.slice().sort((a, b) => a - b);
      const probs = [0, 0.1, 0.333, 0.5, 0.9, 0.999, 1];
      const got = await exactQuantiles(t.rdd, [0], [s], probs, 3);
      expect(got[0]).toEqual(probs.map((q) => percentile(sorted, q)));
    });
  });

  describe('groupBy.agg', () => {
    it('aggregates per group, sorted by key', async () => {
      const g = samples(ctx()).groupBy('sample').agg({ x: ['mean', 'sum', 'count', 'min', 'max'], y: 'std' });
      expect(g.columns).toEqual(['sample', 'mean(x)', 'sum(x)', 'count(x)', 'min(x)', 'max(x)', 'std(y)']);
      const rows = await g.take(10);
      expect(rows.map((r) => [r['sample'], r['mean(x)'], r['sum(x)'], r['count(x)'], r['min(x)'], r['max(x)']])).toEqual([
        ['A', 2, 6, 3, 1, 3],
        ['B', 11, 22, 2, 10, 12],
        ['C', 22, 66, 3, 20, 25],
      ]);
      expect(rows[0]?.['std(y)']).toBeCloseTo(2, 12);
      expect(rows[1]?.['std(y)']).toBeCloseTo(Math.SQRT2 * 2, 12);
      expect(rows[2]?.['std(y)']).toBeCloseTo(Math.SQRT2, 12);
    });

    it('groups by a numeric column, with missing keys last', async () => {
      const t = ctx().createTable({ k: [2, 1, 2, Number.NaN], v: [1, 2, 3, 4] }, 2);
      expect(await t.groupBy('k').agg({ v: 'sum' }).take(5)).toEqual([
        { k: 1, 'sum(v)': 2 },
        { k: 2, 'sum(v)': 4 },
        { k: Number.NaN, 'sum(v)': 4 },
      ]);
    });
  });

  describe('corr and cov', () => {
    it('equal the textbook formulas over complete rows', async () => {
      const t = ctx().createTable({ a: [1, 2, 3, 4, 5], b: [2, 1, 4, 3, Number.NaN], c: [5, 4, 3, 2, 1] }, 2);
      const r = await t.corr(['a', 'b', 'c']);
      expect(r.count).toBe(4);
      // Over rows 1..4: a = 1 2 3 4, b = 2 1 4 3, c = 5 4 3 2.
      expect(r.matrix[0]?.[1]).toBeCloseTo(0.6, 12);
      expect(r.matrix[0]?.[2]).toBeCloseTo(-1, 12);
      expect(r.matrix[1]?.[1]).toBe(1);
      const c = await t.cov(['a', 'b']);
      expect(c.matrix[0]?.[0]).toBeCloseTo(5 / 3, 12);
      expect(c.matrix[0]?.[1]).toBeCloseTo(1, 12);
    });
  });

  describe('withinBetween', () => {
    it('gives the pooled within-sample std, the std of sample means, and their ratio', async () => {
      const [x] = await samples(ctx()).withinBetween('sample', ['x']);
      // Within: M2 = 2 (A) + 2 (B) + 14 (C) = 18 over 8 − 3 = 5 degrees of freedom.
      // Between: the means 2, 11, 22 (grand mean 35/3) have std sqrt((29² + 2² + 31²) / 9 / 2) = sqrt(301/3).
      expect(x?.samples).toBe(3);
      expect(x?.within).toBeCloseTo(Math.sqrt(18 / 5), 12);
      expect(x?.between).toBeCloseTo(Math.sqrt(301 / 3), 12);
      expect(x?.ratio).toBeCloseTo(Math.sqrt(18 / 5) / Math.sqrt(301 / 3), 12);
    });
  });
});

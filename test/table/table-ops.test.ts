/**
 * Table verbs and sinks on small tables with hand-derived answers: select, filter and withColumn
 * (expressions and row functions, which are shipped to worker threads with their env), count,
 * take, collect to Arrow, write/read round trips in CSV and Arrow IPC, tables from driver columns
 * and from labeled images' shape statistics.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { col, isTableError, lit, type Context } from '../../index.js';
import { forMasters } from '../helpers/model.js';
import { tempFiles } from './helpers.js';

const files = tempFiles();

const cells = (ctx: Context) =>
  ctx.createTable(
    {
      sample: ['A', 'A', 'B', 'B', null, 'C'],
      volume: [10, 20, 30, Number.NaN, 50, 60],
      area: [1, 2, 3, 4, 5, 6],
    },
    3,
  );

forMasters((ctx) => {
  describe('verbs', () => {
    it('select keeps the named columns in the given order', async () => {
      const t = cells(ctx()).select('area', 'sample');
      expect(t.columns).toEqual(['area', 'sample']);
      expect(await t.take(2)).toEqual([
        { area: 1, sample: 'A' },
        { area: 2, sample: 'A' },
      ]);
    });

    it('filter by expression: comparisons with missing values are false', async () => {
      const t = cells(ctx()).filter(col('volume').gt(15).and(col('area').lt(6)));
      expect((await t.take(10)).map((r) => r['area'])).toEqual([2, 3, 5]);
    });

    it('filter by string equality and by isNull', async () => {
      expect((await cells(ctx()).filter(col('sample').eq('B')).take(10)).map((r) => r['area'])).toEqual([3, 4]);
      expect((await cells(ctx()).filter(col('sample').isNull()).take(10)).map((r) => r['area'])).toEqual([5]);
      expect((await cells(ctx()).filter(col('volume').isNull().not()).count())).toBe(5);
    });

    it('filter by a row function with its values in env', async () => {
      const t = cells(ctx()).filter((row, env) => row['sample'] === env.keep && (row['area'] as number) > env.min, { keep: 'A', min: 1 });
      expect(await t.take(10)).toEqual([{ sample: 'A', volume: 20, area: 2 }]);
    });

    it('withColumn by expression appends a column; by row function replaces one of the same name', async () => {
      const t = cells(ctx()).withColumn('density', col('volume').div(col('area')).add(lit(1)));
      expect(t.columns).toEqual(['sample', 'volume', 'area', 'density']);
      expect((await t.take(6)).map((r) => r['density'])).toEqual([11, 11, 11, Number.NaN, 11, 11]);
      const u = cells(ctx()).withColumn('area', (row, env) => (row['area'] as number) * env.k, { k: 10 });
      expect(u.columns).toEqual(['sample', 'volume', 'area']);
      expect((await u.take(6)).map((r) => r['area'])).toEqual([10, 20, 30, 40, 50, 60]);
    });

    it('count, stats and mean skip missing values', async () => {
      const t = cells(ctx());
      expect(await t.count()).toBe(6);
      expect(await t.mean('volume')).toBe(34);
      const s = await t.stats('volume');
      expect(s).toMatchObject({ count: 5, min: 10, max: 60, sum: 170 });
      expect(s.std).toBeCloseTo(Math.sqrt(((10 - 34) ** 2 + (20 - 34) ** 2 + (30 - 34) ** 2 + (50 - 34) ** 2 + (60 - 34) ** 2) / 4), 12);
    });

    it('collect gives an Arrow table with the same rows', async () => {
      const arrow = await cells(ctx()).collect();
      expect(arrow.numRows).toBe(6);
      expect(arrow.getChild('sample')?.toArray()).toEqual(['A', 'A', 'B', 'B', null, 'C']);
      expect(Array.from(arrow.getChild('area')?.toArray() as Float64Array)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('writes and reads back CSV and Arrow IPC files unchanged', async () => {
      const t = cells(ctx()).withColumn('ratio', col('volume').div(7));
      const rows = await t.take(10);
      const csv = `${files.dir}/out-${Math.random().toString(36).slice(2)}.csv`;
      await t.write(csv);
      expect(await ctx().readCsv(csv).take(10)).toEqual(rows);
      const arrow = csv.replace(/\.csv$/, '.arrow');
      await t.write(arrow);
      const back = ctx().readArrow(arrow);
      expect(back.fields).toEqual(t.fields);
      expect(await back.take(10)).toEqual(rows);
      // An existing file is refused without overwrite (and left as it was), replaced with it.
      await expect(t.write(csv)).rejects.toThrow(/out-.*\.csv: already exists; pass \{ overwrite: true \}/);
      expect(await ctx().readCsv(csv).take(10)).toEqual(rows);
      await t.select('sample').write(csv, { overwrite: true });
      expect((await ctx().readCsv(csv).take(1))[0]).toEqual({ sample: rows[0]?.['sample'] });
      expect(readdirSync(files.dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    });

    it('rejects unknown columns on the driver with the columns there are', () => {
      const t = cells(ctx());
      expect(() => t.select('nope')).toThrow("select: no column 'nope'; use one of: sample, volume, area");
      expect(() => t.filter(col('nope').gt(1))).toThrow(/filter: no column 'nope'/);
      expect(() => t.groupBy('sample').agg({ sample: 'mean' })).toThrow(/agg: column 'sample' holds strings/);
      const err = (() => {
        try {
          t.groupBy('nope');
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(isTableError(err)).toBe(true);
    });
  });

  describe('bad arguments', () => {
    it('write names the path when the extension is unknown', async () => {
      await expect(cells(ctx()).write(`${files.dir}/out.xlsx`)).rejects.toThrow(/out\.xlsx: unknown output format; end the path with \.csv or \.arrow/);
    });

    it('readArrow names the file whose schema differs from the first', async () => {
      const a = `${files.dir}/schema-a-${Math.random().toString(36).slice(2)}.arrow`;
      const b = a.replace('schema-a', 'schema-b');
      await cells(ctx()).write(a);
      await cells(ctx()).select('area').write(b);
      await expect(ctx().readArrow(`${a},${b}`).count()).rejects.toThrow(`${b}: schema area:f64 differs from the first file's`);
    });

    it('arithmetic on text fails with the expression', async () => {
      await expect(cells(ctx()).withColumn('x', col('sample').add(1)).count()).rejects.toThrow('expression: add(col("sample"), 1) applies add to text; text supports eq and ne only');
    });

    it('kmeans and pca check their options', async () => {
      await expect(cells(ctx()).kmeans({ k: 0 })).rejects.toThrow('kmeans: k must be a positive integer, got 0');
      await expect(cells(ctx()).pca({ k: 3, columns: ['volume', 'area'] })).rejects.toThrow('pca: k must be an integer in 1..2');
    });
  });

  describe('shapeStats source', () => {
    it('turns labeled cells into one row per label with no CSV round trip', async () => {
      // Two cells: a 2-voxel bar and a single voxel, in a 1×3×4 image.
      const data = new Uint8Array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
      const labels = ctx().images.fromArray(data, [1, 3, 4]).threshold({ above: 0 }).labelComponents();
      const rows = await labels.shapeStats();
      const t = ctx().tableFromShapeStats(rows, { sample: 'S1' });
      expect(t.columns).toContain('centroid_x');
      const got = await t.select('label', 'voxels', 'centroid_x', 'centroid_y', 'sample').take(5);
      expect(got).toEqual([
        { label: 1, voxels: 2, centroid_x: 0.5, centroid_y: 0, sample: 'S1' },
        { label: 2, voxels: 1, centroid_x: 3, centroid_y: 2, sample: 'S1' },
      ]);
    });
  });
});

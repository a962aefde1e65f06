/**
 * The driver's statistics table: typed-array batches of merged partial rows, read back as ShapeRow
 * objects one at a time; and the --stats CSV written from it in chunks equals the CSV of its rows.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statsCsv, writeStatsCsv } from '../../cli/stats-csv.js';
import { ShapeTable } from '../../imaging/index.js';
import { F, ROW, shapeRow } from '../../imaging/labeling/partials.js';

/** The partial row of a one-voxel component at (x, y, z) with intensity v, repeated `n` times. */
function partial(x: number, y: number, z: number, v: number, n = 1): Float64Array {
  const r = new Float64Array(ROW);
  r[F.count] = n;
  r[F.sumX] = n * x;
  r[F.sumY] = n * y;
  r[F.sumZ] = n * z;
  r[F.sumXX] = n * x * x;
  r[F.sumYY] = n * y * y;
  r[F.sumZZ] = n * z * z;
  r[F.sumXY] = n * x * y;
  r[F.sumXZ] = n * x * z;
  r[F.sumYZ] = n * y * z;
  r[F.minX] = r[F.maxX] = x;
  r[F.minY] = r[F.maxY] = y;
  r[F.minZ] = r[F.maxZ] = z;
  r[F.sumI] = n * v;
  r[F.firstIndex] = x + 10 * y + 100 * z;
  return r;
}

/** Labels lo.. with the given partial rows, as one batch. */
function batch(lo: number, rows: Float64Array[]): { lo: number; rows: Float64Array } {
  const out = new Float64Array(rows.length * ROW);
  rows.forEach((r, i) => out.set(r, i * ROW));
  return { lo, rows: out };
}

describe('ShapeTable', () => {
  const rows = [partial(1, 2, 3, 10, 4), partial(0, 0, 0, 5, 7), partial(9, 8, 7, 1, 7), partial(4, 4, 4, 2, 1), partial(2, 2, 2, 3, 6)];
  // Out of order on purpose: the table sorts batches by their first label.
  const table = new ShapeTable([batch(4, rows.slice(3)), batch(1, rows.slice(0, 3))]);

  it('reads the rows of labels 1..N in order, as shapeRow makes them', () => {
    expect(table.length).toBe(5);
    expect(table.toRows()).toEqual(rows.map((r, i) => shapeRow(i + 1, r)));
    expect(table.row(4)).toEqual(shapeRow(4, rows[3]!));
    expect(Array.from(table.partial(5))).toEqual(Array.from(rows[4]!));
    expect(() => table.row(6)).toThrow(/no label 6 in a table of 5/);
  });

  it('sums the voxels, lists the counts and finds the largest components, ties by label', () => {
    expect(table.voxels()).toBe(4 + 7 + 7 + 1 + 6);
    expect(table.voxelCounts()).toEqual([4, 7, 7, 1, 6]);
    expect(table.largest(3).map((r) => r.label)).toEqual([2, 3, 5]);
    expect(table.largest(10).map((r) => r.label)).toEqual([2, 3, 5, 1, 4]);
  });

  it('replaces the intensity sums without touching the original', () => {
    const other = table.withIntensitySums(new Map([[1, 40], [3, 70]]));
    expect(other.toRows().map((r) => r.meanIntensity)).toEqual([10, 0, 10, 0, 0]);
    expect(table.row(1).meanIntensity).toBe(10);
  });

  it('builds from [label, row] pairs and refuses batches that leave a gap', () => {
    expect(ShapeTable.fromPairs(rows.map((r, i) => [i + 1, r] as const)).toRows()).toEqual(table.toRows());
    expect(new ShapeTable([]).length).toBe(0);
    expect(() => new ShapeTable([batch(1, rows.slice(0, 2)), batch(4, rows.slice(3))])).toThrow(/starts at label 4, expected 3/);
  });
});

describe('writeStatsCsv', () => {
  it('writes, a chunk of lines at a time, the CSV that statsCsv makes of the same rows', () => {
    // More rows than one write holds (65536), in three batches.
    const n = 70_001;
    const all = Array.from({ length: n }, (_, i) => partial(i % 97, (i * 7) % 31, i % 5, (i % 13) / 3, 1 + (i % 4)));
    const table = new ShapeTable([batch(1, all.slice(0, 30_000)), batch(30_001, all.slice(30_000, 65_540)), batch(65_541, all.slice(65_540))]);
    const dir = mkdtempSync(join(tmpdir(), 'voxelflow-stats-csv-'));
    try {
      const path = join(dir, 'stats.csv');
      writeStatsCsv(path, table);
      const text = readFileSync(path, 'utf8');
      expect(text).toBe(statsCsv(table.toRows()));
      expect(text.split('\n').length).toBe(n + 2);
      const empty = join(dir, 'empty.csv');
      writeStatsCsv(empty, new ShapeTable([]));
      expect(readFileSync(empty, 'utf8')).toBe(statsCsv([]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** `voxelflow table describe|kmeans`: readable tables, JSON, and one-line errors with exit codes. */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempFiles } from './helpers.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');
const files = tempFiles();
files.write('s1.csv', 'sample,a,b\nA,1,2\nA,2,4\nA,3,6\n');
files.write('s2.csv', 'sample,a,b\nB,10,20\nB,12,24\n');
const glob = join(files.dir, 's*.csv');

function voxelflow(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, 'table', ...args, '--master', 'local[2]'], { encoding: 'utf8', timeout: 55_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function expectOneLineError(r: { code: number | null; err: string }, code: number, text: string): void {
  expect(r.code).toBe(code);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toContain(text);
  expect(r.err).not.toMatch(/\n\s+at /);
}

describe('voxelflow table', () => {
  it('describe prints the statistics and, with --by, the within/between comparison', () => {
    const r = voxelflow('describe', glob, '--by', 'sample');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^column\s+count\s+mean\s+std\s+min\s+25%\s+50%\s+75%\s+max$/);
    expect(lines[2]?.split(/\s+/)).toEqual(['a', '5', '5.6', '5.02991', '1', '2', '3', '10', '12']);
    expect(r.out).toContain('within vs between samples (by sample):');
  });

  it('describe --json gives the numbers', () => {
    const r = voxelflow('describe', glob, '--json', '--columns', 'b');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { rows: number; describe: { column: string; mean: number; median: number }[] };
    expect(out.rows).toBe(5);
    expect(out.describe).toMatchObject([{ column: 'b', mean: 11.2, median: 6 }]);
  });

  it('kmeans prints the clustering', () => {
    const text = voxelflow('kmeans', glob, '--k', '2', '--columns', 'a,b');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^k-means: k = 2, 5 rows, \d+ iterations? \(converged\)\ncost: [\d.]+/);
  });

  it('kmeans --json gives centers as numbers', () => {
    const r = voxelflow('kmeans', glob, '--k', '2', '--columns', 'a,b', '--json');
    const out = JSON.parse(r.out) as { centers: number[][] };
    const sorted = out.centers.slice().sort((x, y) => x[0]! - y[0]!);
    expect(sorted).toEqual([
      [2, 4],
      [11, 22],
    ]);
  });

  it('misuse is one line and exit 2', () => {
    expectOneLineError(voxelflow('kmeans', glob), 2, 'kmeans needs --k');
    expectOneLineError(voxelflow('plot', glob), 2, "unknown verb 'plot'");
    expectOneLineError(voxelflow('describe', glob, '--bogus'), 2, "run 'voxelflow table --help'");
  });

  it('bad input is one line naming the file (and line), exit 1', () => {
    expectOneLineError(voxelflow('describe', join(files.dir, 'none-*.csv')), 1, 'no .csv file matches');
    // Types come from the first file's first rows; the second file then has text in a number column.
    files.write('m1.csv', 'a,b\n1,2\n');
    const bad = files.write('m2.csv', 'a,b\n1,2\n3,x\n');
    expectOneLineError(voxelflow('describe', join(files.dir, 'm*.csv')), 1, `${bad}:3: column 'b' holds "x", not a number`);
  });
});

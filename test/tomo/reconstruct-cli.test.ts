/**
 * `voxelflow reconstruct` as a user runs it: a scan reconstructed, labeled and measured in one run with
 * the centre reported, and bad input refused with one line that names the file and the fix (exit 2,
 * no stack trace).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeImage } from '../../imaging/io/index.js';
import { cliSandbox } from '../cli/cli-sandbox.js';
import { writeScan } from './fixtures.js';

const { dir, voxelflow } = cliSandbox('voxelflow-reconstruct-');
const scan = writeScan(dir, { size: 48, rows: 6, angles: 90, shift: 2 });

/** The run failed as a usage error: exit 2, one line on stderr matching `pattern`. */
function expectOneLine(r: ReturnType<typeof voxelflow>, pattern: RegExp): void {
  expect(r.code, r.err).toBe(2);
  const lines = r.err.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
}

describe('voxelflow reconstruct', () => {
  it('reconstructs, labels and measures in one run, and reports the centre it found', () => {
    const r = voxelflow('reconstruct', 'proj.npy', '--flats', 'flats.npy', '--darks', 'darks.npy', '--angles', '0:180', '--above', '0.025', '--out', 'rec.npy', '--stats', 'stats.csv', '--master', 'local[2]', '--json', '--quiet');
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out) as { shape: number[]; center: number; components: number; timings_ms: Record<string, number> };
    expect(summary.shape).toEqual([6, 48, 48]);
    expect(Math.abs(summary.center - scan.center)).toBeLessThan(0.25);
    expect(summary.components).toBeGreaterThan(0);
    expect(summary.timings_ms['total']).toBeGreaterThan(0);
  });

  it('prints the centre it was given', () => {
    const r = voxelflow('reconstruct', 'proj.npy', '--flats', 'flats.npy', '--angles', '0:180', '--center', '25.5', '--out', 'given.npy', '--master', 'local[1]', '--quiet');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/center\s+25\.5/);
    expect(r.err).toMatch(/centre 25\.50 columns \(given\)/);
  });

  it('refuses an angle count different from the projections', () => {
    writeImage(join(dir, 'theta.npy'), { data: new Float64Array(89), shape: [1, 1, 89], dtype: 'f64' });
    const r = voxelflow('reconstruct', 'proj.npy', '--flats', 'flats.npy', '--theta', 'theta.npy', '--out', 'x.npy');
    expectOneLine(r, /proj\.npy: has 90 projections but .*theta\.npy gives 89 angles; give one angle per projection/);
  });

  it('refuses flats of another frame shape, naming the flats', () => {
    writeImage(join(dir, 'small-flats.npy'), { data: new Float32Array(2 * 6 * 40), shape: [2, 6, 40], dtype: 'f32' });
    const r = voxelflow('reconstruct', 'proj.npy', '--flats', 'small-flats.npy', '--angles', '0:180', '--out', 'x.npy');
    expectOneLine(r, /small-flats\.npy: frames are 40 x 6 \(columns x rows\) but the projections' are 48 x 6/);
  });

  it('refuses a scan without flats unless --no-flat says so', () => {
    expectOneLine(voxelflow('reconstruct', 'proj.npy', '--angles', '0:180', '--out', 'x.npy'), /proj\.npy: the scan has no flat \(open-beam\) frames; give --flats FILE .* or pass --no-flat/);
    expect(voxelflow('reconstruct', 'proj.npy', '--no-flat', '--angles', '0:180', '--center', '24', '--out', 'noflat.npy', '--master', 'local[1]', '--quiet').code).toBe(0);
  });

  it('refuses a scan whose angles are not given', () => {
    expectOneLine(voxelflow('reconstruct', 'proj.npy', '--flats', 'flats.npy', '--out', 'x.npy'), /the angles of the projections are not known; give --angles A0:A1/);
  });

  it('refuses an HDF5 file that is not one, and a bad filter, in one line', () => {
    writeFileSync(join(dir, 'broken.h5'), 'not hdf5');
    expectOneLine(voxelflow('reconstruct', 'broken.h5', '--out', 'x.npy'), /broken\.h5: cannot be opened as HDF5/);
    expectOneLine(voxelflow('reconstruct', 'proj.npy', '--filter', 'box', '--out', 'x.npy'), /--filter must be one of ramp, shepp-logan/);
  });
});

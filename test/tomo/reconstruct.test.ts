/**
 * Reconstruction without Python: exact projections of ellipsoids reconstructed through ctx.tomo on
 * worker threads against the phantom itself; dark/flat correction with gain, offset and beam drift
 * against the exact line integrals; the automatic centre of shifted, noisy scans.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Context } from '../../core/index.js';
import '../../imaging/index.js';
import { correctedRows, findCenter, openScan, rasterizePhantom } from '../../tomo/index.js';
import { rmsInCircle, writeScan } from './fixtures.js';
import { contextPerFile } from '../helpers/context.js';

const dir = mkdtempSync(join(tmpdir(), 'voxelflow-tomo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reconstruction of analytic projections', () => {
  let ctx: Context;
  contextPerFile({ master: 'local[2]' }, (c) => (ctx = c));

  it('reproduces the ellipsoid phantom within 4% of its range (RMS, 256 angles) on worker threads', async () => {
    const size = 96;
    const rows = 6;
    const scan = writeScan(mkdtempSync(join(dir, 'analytic-')), { size, rows, angles: 256 });
    const rec = await ctx.tomo.read(scan.projections, { flats: scan.flats, darks: scan.darks, angles: [0, 180], center: scan.center, rowsPerBlock: 2 });
    expect(rec.image.shape).toEqual([rows, size, size]);
    expect(rec.image.numBlocks).toBe(3);
    const volume = await rec.image.toArray();
    const truth = rasterizePhantom(scan.phantom, rows, size);
    const range = Math.max(...truth) - Math.min(...truth);
    const { rms } = rmsInCircle(volume.data as Float32Array, truth, rows, size, size / 2 - 2);
    expect(rms / range).toBeLessThan(0.04);
  });

  it('reconstructs only the rows asked for, as slices of the whole', async () => {
    const scan = writeScan(mkdtempSync(join(dir, 'rows-')), { size: 48, rows: 8, angles: 60 });
    const options = { flats: scan.flats, darks: scan.darks, angles: [0, 180] as const, center: 24 };
    const whole = await (await ctx.tomo.read(scan.projections, options)).image.toArray();
    const part = await (await ctx.tomo.read(scan.projections, { ...options, rows: [3, 5] })).image.toArray();
    expect(Array.from(part.data)).toEqual(Array.from((whole.data as Float32Array).subarray(3 * 48 * 48, 5 * 48 * 48)));
  });
});

describe('dark/flat correction', () => {
  it('removes a per-pixel gain, a dark offset and a linear beam drift to 1e-5 with flats before and after', async () => {
    const scan = writeScan(mkdtempSync(join(dir, 'flat-')), { size: 32, rows: 4, angles: 20, drift: 0.7 });
    const opened = await openScan(scan.projections, { flats: scan.flats, flatsAfter: scan.flatsAfter, darks: scan.darks, angles: [0, 180] });
    for (const average of ['mean', 'median'] as const) {
      const got = correctedRows(opened, { average, dezinger: null }, 0, 4);
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - scan.lineIntegrals[i]!));
      expect(worst).toBeLessThanOrEqual(1e-5);
    }
    // Without the flats after, the drift stays in the data: the check above is not vacuous.
    const before = correctedRows(await openScan(scan.projections, { flats: scan.flats, darks: scan.darks, angles: [0, 180] }), { average: 'mean', dezinger: null }, 0, 4);
    const last = before.length - 1;
    expect(before[last]! - scan.lineIntegrals[last]!).toBeCloseTo(-Math.log(0.7), 4);
  });

  it('keeps zero and negative counts finite (guarded -log)', async () => {
    const scan = writeScan(mkdtempSync(join(dir, 'guard-')), { size: 16, rows: 2, angles: 4 });
    const opened = await openScan(scan.projections, { noFlat: true, angles: [0, 180] });
    const got = correctedRows(opened, { average: 'mean', dezinger: null }, 0, 2);
    expect(got.every(Number.isFinite)).toBe(true);
  });
});

describe('automatic centre', () => {
  for (const shift of [3.4, -7.75]) {
    it(`finds an axis shifted by ${shift} px within 0.25 px, with 1% noise`, async () => {
      const scan = writeScan(mkdtempSync(join(dir, 'center-')), { size: 128, rows: 8, angles: 180, shift, noise: 0.01, seed: 7 });
      const opened = await openScan(scan.projections, { flats: scan.flats, darks: scan.darks, angles: [0, 180] });
      const found = findCenter(opened, { average: 'mean', dezinger: null });
      expect(Math.abs(found.center - scan.center)).toBeLessThanOrEqual(0.25);
    });
  }

  it('refuses a scan without a projection near 180 degrees, naming the fix', async () => {
    const scan = writeScan(mkdtempSync(join(dir, 'short-')), { size: 16, rows: 2, angles: 8 });
    const opened = await openScan(scan.projections, { flats: scan.flats, angles: [0, 90] });
    expect(() => findCenter(opened, { average: 'mean', dezinger: null })).toThrow(/--center C/);
  });
});

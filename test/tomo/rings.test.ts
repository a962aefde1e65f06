/**
 * Ring removal (Vo's sorting-based stripe removal): against a numpy/scipy transcription of algotom's
 * `remove_stripe_based_sorting(sinogram, size, dim=1)` (skipped, saying why, without numpy and scipy),
 * and, with nothing installed, a detector column whose response the flats do not capture: its ring in
 * the reconstruction is mostly removed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Context } from '../../core/index.js';
import '../../imaging/index.js';
import { readImage, writeImage } from '../../imaging/io/index.js';
import { kernels } from '../../tomo/kernels/dispatch.js';
import { rasterizePhantom } from '../../tomo/index.js';
import { seededRandom } from '../../tomo/simulate-scan.js';
import { findPython, PYTHONS } from '../helpers/python.js';
import { skipName } from '../helpers/skip.js';
import { writeScan } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'voxelflow-rings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const python = findPython('numpy', 'scipy');
const missing = python === null ? `no Python with numpy and scipy among ${PYTHONS.join(', ')}` : null;

const SCRIPT = `
import sys, numpy as np
from scipy import ndimage
sino = np.load(sys.argv[1])[0]
size = int(sys.argv[3])
index = np.argsort(sino, axis=0, kind='stable')
s = np.take_along_axis(sino, index, axis=0)
s = ndimage.median_filter(s, (1, size))
out = np.zeros_like(sino)
np.put_along_axis(out, index, s, axis=0)
np.save(sys.argv[2], out[None])
`;
import { contextPerFile } from '../helpers/context.js';

describe.skipIf(missing !== null)(skipName('ring removal against numpy/scipy', missing), () => {
  it("equals algotom's sorting-based stripe removal", () => {
    const angles = 40;
    const cols = 57;
    const random = seededRandom(11);
    const sinogram = Float32Array.from({ length: angles * cols }, (_, i) => Math.sin(i / 7) + random() + ((i % cols) === 20 ? 0.8 : 0));
    const input = join(dir, 'sino.npy');
    const output = join(dir, 'sino-ref.npy');
    writeImage(input, { data: sinogram, shape: [1, angles, cols], dtype: 'f32' });
    for (const size of [5, 21]) {
      const r = spawnSync(python!, ['-c', SCRIPT, input, output, String(size)], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const got = new Float32Array(angles * cols);
      kernels.removeStripes(sinogram, angles, cols, size, got);
      expect(Array.from(got)).toEqual(Array.from(readImage(output).data));
    }
  });
});

describe('ring removal in a reconstruction', () => {
  let ctx: Context;
  contextPerFile({ master: 'local[2]' }, (c) => (ctx = c));

  it('removes most of the ring of a column the flats do not correct', async () => {
    const size = 64;
    const rows = 2;
    const scan = writeScan(join(dir), { size, rows, angles: 120 });
    // Column 40 reads 10% high in every projection but not in the flats: a ring of radius 8.
    const proj = readImage(scan.projections);
    const data = proj.data as Float32Array;
    for (let i = 40; i < data.length; i += size) data[i] = data[i]! * 1.1;
    writeImage(scan.projections, proj, { overwrite: true });
    const truth = rasterizePhantom(scan.phantom, rows, size);
    // RMS error against the phantom on the ring's annulus (radius 8 +- 1.5 around the axis).
    const ringError = async (rings: number | null): Promise<number> => {
      const rec = await ctx.tomo.read(scan.projections, { flats: scan.flats, darks: scan.darks, angles: [0, 180], center: size / 2, rings });
      const v = (await rec.image.toArray()).data as Float32Array;
      let se = 0;
      let n = 0;
      for (let k = 0; k < v.length; k++) {
        const i = Math.floor(k / size) % size;
        const j = k % size;
        if (Math.abs(Math.hypot(i - size / 2, j - size / 2) - 8) >= 1.5) continue;
        se += (v[k]! - truth[k]!) ** 2;
        n++;
      }
      return Math.sqrt(se / n);
    };
    const before = await ringError(null);
    const after = await ringError(5);
    expect(after).toBeLessThan(0.6 * before);
  });
});

/**
 * The reconstruction against scikit-image: the same .npy scan corrected in numpy
 * (`-log((I - mean dark) / (mean flat - mean dark))`) and reconstructed row by row with
 * `skimage.transform.iradon(sino.T, theta, filter_name=F, circle=True)`, for every filter
 * scikit-image has, against ctx.tomo.read with the centre N // 2. Skipped, saying why, without a Python
 * that imports skimage (.ci/run makes a venv with it; VOXELFLOW_SKIMAGE_PYTHON names another).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../imaging/io/index.js';
import '../../imaging/index.js';
import '../../tomo/index.js';
import { findPython, PYTHONS } from '../helpers/python.js';
import { skipName } from '../helpers/skip.js';
import { rmsInCircle, testSession, writeScan } from './fixtures.js';

const python = findPython('numpy', 'skimage');
const missing = python === null ? `no Python with scikit-image among ${PYTHONS.join(', ')} (bash .ci/run makes the venv; or set VOXELFLOW_SKIMAGE_PYTHON)` : null;
const FILTERS = ['ramp', 'shepp-logan', 'cosine', 'hamming', 'hann'] as const;

const SCRIPT = `
import sys, numpy as np
from skimage.transform import iradon
d = sys.argv[1]
proj = np.load(d + '/proj.npy').astype(np.float64)
dark = np.load(d + '/darks.npy').astype(np.float64).mean(axis=0)
flat = np.load(d + '/flats.npy').astype(np.float64).mean(axis=0)
corrected = -np.log((proj - dark) / (flat - dark))
theta = np.arange(proj.shape[0]) * 180.0 / proj.shape[0]
for f in sys.argv[2:]:
    out = np.stack([iradon(corrected[:, z, :].T, theta=theta, filter_name=f, circle=True) for z in range(proj.shape[1])])
    np.save(d + '/iradon-' + f + '.npy', out)
`;

describe.skipIf(missing !== null)(skipName('reconstruction against scikit-image iradon', missing), () => {
  const session = testSession('voxelflow-skimage-');
  const dir = session.dir;

  it('matches iradon within 1e-3 relative RMS inside the circle, for every filter', async () => {
    const size = 64;
    const rows = 3;
    const scan = writeScan(dir, { size, rows, angles: 90, noise: 0.01, seed: 3 });
    const r = spawnSync(python!, ['-c', SCRIPT, dir, ...FILTERS], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    for (const filter of FILTERS) {
      const rec = await session.ctx.tomo.read(scan.projections, { flats: scan.flats, darks: scan.darks, angles: [0, 180], center: size / 2, filter });
      const got = await rec.image.toArray();
      const want = readImage(join(dir, `iradon-${filter}.npy`)).data as Float64Array;
      const { relative } = rmsInCircle(got.data as Float32Array, want, rows, size, size / 2);
      expect(relative, filter).toBeLessThanOrEqual(1e-3);
    }
  });
});

/**
 * Paganin phase retrieval: unit gain at zero frequency, the native kernel against its twin, and both
 * against a numpy transcription of the filter (padded FFT with edges replicated; skipped, saying why,
 * without numpy).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readImage, writeImage } from '../../imaging/io/index.js';
import { kernels, typescriptKernels } from '../../tomo/kernels/dispatch.js';
import type { PaganinParams } from '../../tomo/index.js';
import { seededRandom } from '../../tomo/simulate-scan.js';
import { findPython, PYTHONS } from '../helpers/python.js';
import { skipName } from '../helpers/skip.js';
import { itNative } from '../native/native-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'voxelflow-paganin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const params: PaganinParams = { energyKeV: 20, distanceMm: 200, pixelUm: 1.5, deltaOverBeta: 300 };
const python = findPython('numpy');
const missing = python === null ? `no Python with numpy among ${PYTHONS.join(', ')}` : null;

const SCRIPT = `
import sys, numpy as np
d = np.load(sys.argv[1]).astype(np.float64)
e, z, p, r = (float(x) for x in sys.argv[3:7])
lam = 1.2398419843320026e-9 / e
out = np.empty_like(d)
for f in range(d.shape[0]):
    rows, cols = d.shape[1:]
    py = 1 << int(np.ceil(np.log2(2 * rows)))
    px = 1 << int(np.ceil(np.log2(2 * cols)))
    top, left = (py - rows) // 2, (px - cols) // 2
    a = np.pad(d[f], ((top, py - rows - top), (left, px - cols - left)), mode='edge')
    uy = np.fft.fftfreq(py, d=p * 1e-6)[:, None]
    ux = np.fft.fftfreq(px, d=p * 1e-6)[None, :]
    h = 1 / (1 + np.pi * lam * z * 1e-3 * r * (ux ** 2 + uy ** 2))
    out[f] = np.real(np.fft.ifft2(np.fft.fft2(a) * h))[top:top + rows, left:left + cols]
np.save(sys.argv[2], out.astype(np.float32))
`;

function frames(count: number, rows: number, cols: number): Float32Array {
  const random = seededRandom(4);
  return Float32Array.from({ length: count * rows * cols }, (_, i) => 0.6 + 0.3 * Math.sin(i / 9) + 0.05 * random());
}

describe('Paganin phase retrieval', () => {
  it('keeps a uniform frame unchanged (unit gain at zero frequency)', () => {
    const data = new Float32Array(2 * 12 * 20).fill(0.37);
    const out = new Float32Array(data.length);
    kernels.paganin(data, 2, 12, 20, params, out);
    for (const v of out) expect(v).toBeCloseTo(0.37, 6);
  });

  itNative('native equals the TypeScript twin to float rounding', () => {
    const data = frames(2, 13, 21);
    const a = new Float32Array(data.length);
    const b = new Float32Array(data.length);
    kernels.paganin(data, 2, 13, 21, params, a);
    typescriptKernels.paganin(data, 2, 13, 21, params, b);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-6);
  });

  it('refuses a non-positive parameter, naming it', () => {
    expect(() => kernels.paganin(new Float32Array(4), 1, 2, 2, { ...params, distanceMm: 0 })).toThrow(/distanceMm must be a positive number/);
  });

  describe.skipIf(missing !== null)(skipName('against numpy', missing), () => {
    it('matches numpy\u2019s padded-FFT transcription to 1e-5', () => {
      const data = frames(2, 13, 21);
      const input = join(dir, 'frames.npy');
      const output = join(dir, 'paganin.npy');
      writeImage(input, { data, shape: [2, 13, 21], dtype: 'f32' });
      const r = spawnSync(python!, ['-c', SCRIPT, input, output, ...[params.energyKeV, params.distanceMm, params.pixelUm, params.deltaOverBeta].map(String)], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const want = readImage(output).data as Float32Array;
      const got = new Float32Array(data.length);
      kernels.paganin(data, 2, 13, 21, params, got);
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      expect(worst).toBeLessThan(1e-5);
      // and the filter does something here: the frames are not returned unchanged
      expect(Math.max(...got.map((v, i) => Math.abs(v - data[i]!)))).toBeGreaterThan(1e-3);
    });
  });
});

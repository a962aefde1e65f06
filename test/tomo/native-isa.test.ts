/**
 * The tomography kernels' lower instruction-set paths (AVX2, and the generic one of machines without
 * either), forced with VOXELFLOW_TOMO_ISA in a fresh process: filtering, back-projection of several
 * slices (centred and off-centre) and -log agree with the TypeScript twins as the AVX-512 paths do, and
 * the incremental back-projection still equals the file path's float for float.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nativeStatus } from '../../native/index.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const loaded = nativeStatus().state === 'loaded';

const SCRIPT = `
const D = ${JSON.stringify(DIST)};
const { nativeStatus } = await import(D + '/native/index.js');
const { kernels, typescriptKernels: ts } = await import(D + '/tomo/kernels/dispatch.js');
const { filterMargin, fourierFilter, paddedLength } = await import(D + '/tomo/kernels/index.js');
const { IncrementalFbp, simulateScan, correctedRows, reconstructSlices } = await import(D + '/tomo/index.js');
const { seededRandom } = await import(D + '/tomo/simulate-scan.js');
const r = seededRandom(4);
const random = (n) => Float32Array.from({ length: n }, () => 2 * r() - 1);
const maxRelative = (a, b) => { let e = 0, t = 0; for (let i = 0; i < a.length; i++) { e = Math.max(e, Math.abs(a[i] - b[i])); t = Math.max(t, Math.abs(b[i])); } return e / t; };
const out = { native: nativeStatus().state };
const cols = 61, size = paddedLength(cols), width = size - cols, angles = 37, slices = 5;
const lines = random(slices * angles * cols);
const filtered = new Float32Array(slices * angles * width), twin = new Float32Array(slices * angles * width);
kernels.filterLines(lines, slices * angles, cols, fourierFilter(size, 'hann'), filtered);
ts.filterLines(lines, slices * angles, cols, fourierFilter(size, 'hann'), twin);
out.filter = maxRelative(filtered, twin);
const theta = Float64Array.from({ length: angles }, (_, k) => (k * Math.PI) / angles + 0.01);
out.backProject = 0;
for (const center of [31.4, 12.2]) {
  const g = { size: cols, width, margin: filterMargin(cols, size), center };
  const a = new Float32Array(slices * cols * cols), b = new Float32Array(slices * cols * cols);
  kernels.backProject(twin, theta.map(Math.cos), theta.map(Math.sin), g, 0, 0, cols, cols, a, slices);
  ts.backProject(twin, theta.map(Math.cos), theta.map(Math.sin), g, 0, 0, cols, cols, b, slices);
  out.backProject = Math.max(out.backProject, maxRelative(a, b));
}
const t = Float32Array.from({ length: 20000 }, () => Math.exp((r() - 0.5) * 36));
const la = new Float32Array(t.length), lb = new Float32Array(t.length);
kernels.minusLog(t, t.length, la);
ts.minusLog(t, t.length, lb);
out.minusLogSame = la.every((v, i) => v === lb[i]);
const s = simulateScan({ size: 48, rows: 6, angles: 41, shift: 1.5, noise: 0.01, seed: 2 });
const [count, rows] = s.shape, frame = rows * 48;
const ref = (data, n) => ({ path: 'memory', format: 'memory', frames: { value: data }, shape: [n, rows, 48] });
const scan = { projections: ref(s.projections, count), flats: ref(s.flats, s.flatCount), flatsAfter: null, darks: ref(s.darks, s.darkCount), angles: s.angles, shape: [count, rows, 48] };
const corrected = correctedRows(scan, { average: 'mean', dezinger: null }, 0, rows);
const sinograms = new Float32Array(corrected.length);
for (let a = 0; a < count; a++) for (let y = 0; y < rows; y++) sinograms.set(corrected.subarray((a * rows + y) * 48, (a * rows + y + 1) * 48), (y * count + a) * 48);
const file = reconstructSlices(sinograms, rows, s.angles, 48, { center: 25.5, filter: 'ramp' }, { y0: 0, x0: 0, rows: 48, cols: 48 });
const fbp = new IncrementalFbp({ rows, cols: 48, center: 25.5, filter: 'ramp', noFlat: false });
for (let k = 0; k < s.darkCount; k++) fbp.addCalibration('dark', s.darks.slice(k * frame, (k + 1) * frame));
for (let k = 0; k < s.flatCount; k++) fbp.addCalibration('flat', s.flats.slice(k * frame, (k + 1) * frame));
for (let k = 0; k < count; k++) fbp.addProjection(s.projections.slice(k * frame, (k + 1) * frame), s.angles[k]);
const v = fbp.finish();
out.incrementalSame = v.length === file.length && v.every((x, i) => x === file[i]);
console.log(JSON.stringify(out));
`;

function runWith(isa: string): Record<string, unknown> {
  const p = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], { encoding: 'utf8', env: { ...process.env, VOXELFLOW_TOMO_ISA: isa } });
  expect(p.stderr).toBe('');
  expect(p.status).toBe(0);
  return JSON.parse(p.stdout) as Record<string, unknown>;
}

describe.skipIf(!loaded)(`native tomography kernels on each instruction set${loaded ? '' : ' (native addon not loaded)'}`, () => {
  for (const isa of ['avx2', 'generic']) {
    it(`${isa}: the kernels agree with the twins, and the incremental back-projection equals the file path's`, () => {
      const r = runWith(isa);
      expect(r['native']).toBe('loaded');
      expect(r['filter']).toBeLessThan(1e-5);
      expect(r['backProject']).toBeLessThan(1e-4);
      expect(r['minusLogSame']).toBe(true);
      expect(r['incrementalSame']).toBe(true);
    });
  }
});

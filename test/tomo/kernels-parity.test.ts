/**
 * The native tomography kernels against their TypeScript twins on the same random inputs: the
 * preprocessing kernels give the same floats; filtering and back-projection agree to float32 rounding
 * (the native ones accumulate in float32 and use FMA, the twins in float64).
 */
import { describe, expect } from 'vitest';
import { kernels, typescriptKernels as ts } from '../../tomo/kernels/dispatch.js';
import { filterMargin, fourierFilter, paddedLength, FILTER_NAMES } from '../../tomo/kernels/index.js';
import { itNative } from '../native/native-fixtures.js';
import { seededRandom as rng } from '../../tomo/simulate-scan.js';

const random = (n: number, seed: number, scale = 1, offset = 0): Float32Array => {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => offset + scale * r());
};

function maxRelative(a: Float32Array, b: Float32Array): number {
  let err = 0;
  let top = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    top = Math.max(top, Math.abs(b[i]!));
  }
  return err / top;
}

describe('native tomography kernels', () => {
  itNative('averageFrames: mean and median (odd and even counts, NaN pixels) equal the twin', () => {
    for (const count of [1, 4, 5]) {
      const frames = random(count * 37, count, 1000);
      frames[3] = NaN;
      for (const method of ['mean', 'median'] as const) {
        const a = new Float32Array(37);
        const b = new Float32Array(37);
        kernels.averageFrames(frames, count, 37, method, a);
        ts.averageFrames(frames, count, 37, method, b);
        expect(a).toEqual(b);
      }
    }
  });

  itNative('flatField with and without flats after, and the guards of -log, equal the twin', () => {
    const size = 53;
    const data = random(7 * size, 1, 1000);
    const dark = random(size, 2, 100);
    const before = random(size, 3, 1000, 50);
    const after = random(size, 4, 1000, 50);
    before[5] = dark[5]!; // zero denominator: guarded
    for (const flatAfter of [null, after]) {
      const a = new Float32Array(data.length);
      const b = new Float32Array(data.length);
      kernels.flatField(data, 7, size, 3, 20, dark, before, flatAfter, a);
      ts.flatField(data, 7, size, 3, 20, dark, before, flatAfter, b);
      expect(a).toEqual(b);
      const la = a.slice();
      const lb = b.slice();
      la[0] = lb[0] = 0;
      la[1] = lb[1] = -3;
      la[2] = lb[2] = NaN;
      la[3] = lb[3] = Infinity;
      kernels.minusLog(la, la.length);
      ts.minusLog(lb, lb.length);
      expect(la).toEqual(lb);
      expect(la.every(Number.isFinite)).toBe(true);
    }
  });

  itNative('minusLog (vectorized in the addon) equals the twin over transmissions from 1e-8 to 1e8, exact powers of two included', () => {
    const r = rng(9);
    const n = 50_000;
    const t = Float32Array.from({ length: n }, () => Math.exp((r() - 0.5) * 2 * 18.4));
    for (let e = -24; e <= 24; e++) t[e + 24] = 2 ** e;
    t[60] = Math.fround(Math.SQRT2);
    t[61] = Math.fround(Math.SQRT1_2);
    const a = new Float32Array(n);
    const b = new Float32Array(n);
    kernels.minusLog(t, n, a);
    ts.minusLog(t, n, b);
    expect(a).toEqual(b);
  });

  itNative('dezinger equals the twin and removes an isolated spike', () => {
    const rows = 9;
    const cols = 11;
    const data = random(2 * rows * cols, 5, 1);
    data[4 * cols + 5] = 50;
    const a = new Float32Array(data.length);
    const b = new Float32Array(data.length);
    kernels.dezinger(data, 2, rows, cols, 0.5, a);
    ts.dezinger(data, 2, rows, cols, 0.5, b);
    expect(a).toEqual(b);
    expect(a[4 * cols + 5]).toBeLessThan(1);
  });

  itNative('filterLines agrees with the twin for every filter, odd line counts included', () => {
    const cols = 45;
    const size = paddedLength(cols);
    const lines = random(7 * cols, 6, 2);
    for (const name of FILTER_NAMES) {
      const filter = fourierFilter(size, name);
      const a = new Float32Array(7 * (size - cols));
      const b = new Float32Array(7 * (size - cols));
      kernels.filterLines(lines, 7, cols, filter, a);
      ts.filterLines(lines, 7, cols, filter, b);
      expect(maxRelative(a, b)).toBeLessThan(1e-5);
    }
  });

  itNative('filterLines reads lines a stride apart (one row of [angle][row][column] projections) as it reads them packed', () => {
    const cols = 40;
    const rows = 3;
    const angles = 33;
    const size = paddedLength(cols);
    const filter = fourierFilter(size, 'ramp');
    const projections = random(angles * rows * cols, 12, 2);
    for (const k of [kernels, ts]) {
      const packed = new Float32Array(angles * cols);
      for (let a = 0; a < angles; a++) packed.set(projections.subarray((a * rows + 1) * cols, (a * rows + 2) * cols), a * cols);
      const a = new Float32Array(angles * (size - cols));
      const b = new Float32Array(angles * (size - cols));
      k.filterLines(projections.subarray(cols), angles, cols, filter, a, rows * cols);
      k.filterLines(packed, angles, cols, filter, b);
      expect(a).toEqual(b);
    }
    expect(() => kernels.filterLines(projections.subarray(cols), angles, cols, filter, new Float32Array(angles * (size - cols)), rows * cols + 10)).toThrow(/filterLines/);
  });

  itNative('backProject agrees with the twin on whole slices and boxes, centred and off-centre', () => {
    const cols = 61;
    const size = paddedLength(cols);
    const width = size - cols;
    const angles = 37;
    const lines = random(angles * width, 7, 2, -1);
    const theta = Float64Array.from({ length: angles }, (_, k) => (k * Math.PI) / angles + 0.01);
    const cos = theta.map(Math.cos);
    const sin = theta.map(Math.sin);
    for (const center of [30, 33.7, 12.2]) {
      const g = { size: cols, width, margin: filterMargin(cols, size), center };
      for (const [row0, col0, rows, w] of [[0, 0, cols, cols], [5, 17, 20, 33], [60, 0, 1, 61]] as const) {
        const a = new Float32Array(rows * w);
        const b = new Float32Array(rows * w);
        kernels.backProject(lines, cos, sin, g, row0, col0, rows, w, a);
        ts.backProject(lines, cos, sin, g, row0, col0, rows, w, b);
        expect(maxRelative(a, b)).toBeLessThan(1e-4);
      }
    }
  });

  itNative('backProject of several slices at once equals the twin slice by slice (groups of four and a rest, several tiles of rows)', () => {
    // 200 columns: a group of four slices' sums take 3,200 bytes a row, so the 256 KiB tiles hold 81 rows
    const cols = 200;
    const size = paddedLength(cols);
    const width = size - cols;
    const angles = 37;
    const slices = 6;
    const lines = random(slices * angles * width, 11, 2, -1);
    const theta = Float64Array.from({ length: angles }, (_, k) => (k * Math.PI) / angles + 0.02);
    const cos = theta.map(Math.cos);
    const sin = theta.map(Math.sin);
    // An axis 360 columns left of the middle puts some positions before the filtered line (its margin
    // is 312 columns): those rows take the checked path, which reads zero there.
    for (const center of [101.4, -260]) {
      const g = { size: cols, width, margin: filterMargin(cols, size), center };
      for (const [row0, col0, rows, w] of [[0, 0, cols, cols], [3, 9, 41, 37]] as const) {
        const a = new Float32Array(slices * rows * w);
        kernels.backProject(lines, cos, sin, g, row0, col0, rows, w, a, slices);
        for (let s = 0; s < slices; s++) {
          const b = new Float32Array(rows * w);
          ts.backProject(lines.subarray(s * angles * width, (s + 1) * angles * width), cos, sin, g, row0, col0, rows, w, b);
          expect(maxRelative(a.subarray(s * rows * w, (s + 1) * rows * w), b)).toBeLessThan(1e-4);
        }
      }
    }
  });

  itNative('fft2 (the centre search\'s 2D transform) agrees with the twin forward and back, on non-square arrays', () => {
    const r = rng(13);
    for (const [rows, cols] of [[8, 32], [64, 16], [1, 4]] as const) {
      const re = Float64Array.from({ length: rows * cols }, () => r() - 0.5);
      const im = Float64Array.from({ length: rows * cols }, () => r() - 0.5);
      for (const inverse of [false, true]) {
        const [ar, ai, br, bi] = [re.slice(), im.slice(), re.slice(), im.slice()];
        kernels.fft2(ar, ai, rows, cols, inverse);
        ts.fft2(br, bi, rows, cols, inverse);
        let err = 0;
        for (let k = 0; k < re.length; k++) err = Math.max(err, Math.abs(ar[k]! - br[k]!), Math.abs(ai[k]! - bi[k]!));
        expect(err).toBeLessThan(1e-12);
      }
    }
    expect(() => kernels.fft2(new Float64Array(12), new Float64Array(12), 3, 4)).toThrow();
  });

  itNative('removeStripes equals the twin, for several windows', () => {
    const sinogram = random(23 * 31, 8, 3);
    for (const size of [1, 3, 21]) {
      const a = new Float32Array(sinogram.length);
      const b = new Float32Array(sinogram.length);
      kernels.removeStripes(sinogram, 23, 31, size, a);
      ts.removeStripes(sinogram, 23, 31, size, b);
      expect(a).toEqual(b);
    }
  });

  itNative('reject what the twins reject, with the twins\' errors', () => {
    const g = { size: 8, width: 8, margin: 0, center: 4 };
    expect(() => kernels.backProject(new Float32Array(8), new Float64Array(2), new Float64Array(2), g, 0, 0, 8, 8, new Float32Array(64))).toThrow(/do not fit/);
    expect(() => kernels.backProject(new Float32Array(128), new Float64Array(2), new Float64Array(2), g, 0, 0, 8, 8, new Float32Array(64), 2)).toThrow(/do not fit/);
    expect(() => kernels.filterLines(new Float32Array(4), 2, 8, new Float64Array(64), new Float32Array(200))).toThrow(/filterLines/);
  });
});

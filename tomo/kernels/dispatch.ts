/**
 * The tomography kernels on their backend: the addon's `tomo*` functions (native/src/tomo_napi.h) where
 * it loaded, the TypeScript twins of this folder otherwise. A call the addon does not take (wrong
 * types or lengths) goes to the twin, which throws its error, so both backends fail alike.
 */
import { type Backend, nativeAddon, type TomoAddon } from '../../native/index.js';
import * as ts from './index.js';

/** The tomography kernels, with tomo/kernels' signatures. */
export interface TomoKernels {
  readonly averageFrames: typeof ts.averageFrames;
  readonly flatField: typeof ts.flatField;
  readonly minusLog: typeof ts.minusLog;
  readonly dezinger: typeof ts.dezinger;
  readonly filterLines: typeof ts.filterLines;
  readonly backProject: typeof ts.backProject;
  readonly removeStripes: typeof ts.removeStripes;
  readonly paganin: typeof ts.paganin;
  readonly fft2: typeof ts.fft2;
}

/** The TypeScript twins. */
export const typescriptTomoKernels: TomoKernels = Object.freeze({
  averageFrames: ts.averageFrames,
  flatField: ts.flatField,
  minusLog: ts.minusLog,
  dezinger: ts.dezinger,
  filterLines: ts.filterLines,
  backProject: ts.backProject,
  removeStripes: ts.removeStripes,
  paganin: ts.paganin,
  fft2: ts.fft2,
});

const METHODS: ReadonlyMap<unknown, number> = new Map([['mean', 0], ['median', 1]]);

// backProject's geometry as the addon takes it, one array per thread, filled per call.
const fbpGeometry = new Float64Array(10);

/** The kernels run by `native`, each falling back to its twin for calls the addon does not take. */
export function nativeTomoKernels(native: TomoAddon): TomoKernels {
  return Object.freeze({
    averageFrames: (frames, count, size, method, out) => {
      const code = METHODS.get(method);
      if (code !== undefined && native.tomoAverageFrames(frames, count, size, code, out)) return;
      ts.averageFrames(frames, count, size, method, out);
    },
    flatField: (data, count, size, first, total, dark, before, after, out = data) => {
      if (native.tomoFlatField(data, count, size, first, total, dark, before, after, ts.FLAT_EPSILON, out)) return;
      ts.flatField(data, count, size, first, total, dark, before, after, out);
    },
    minusLog: (data, n, out = data) => {
      if (native.tomoMinusLog(data, n, ts.MIN_TRANSMISSION, out)) return;
      ts.minusLog(data, n, out);
    },
    dezinger: (data, frames, rows, cols, threshold, out) => {
      if (native.tomoDezinger(data, frames, rows, cols, threshold, out)) return;
      ts.dezinger(data, frames, rows, cols, threshold, out);
    },
    filterLines: (lines, count, columns, filter, out, stride = columns) => {
      if (native.tomoFilterLines(lines, count, columns, filter, out, stride)) return;
      ts.filterLines(lines, count, columns, filter, out, stride);
    },
    backProject: (lines, cos, sin, g, row0, col0, rows, cols, out, slices = 1, accumulate = false) => {
      ts.checkBackProject(lines, cos.length, sin.length, g, row0, col0, rows, cols, out.length, slices);
      const geometry = fbpGeometry;
      geometry[0] = g.size;
      geometry[1] = g.width;
      geometry[2] = g.margin;
      geometry[3] = g.center;
      geometry[4] = row0;
      geometry[5] = col0;
      geometry[6] = rows;
      geometry[7] = cols;
      geometry[8] = slices;
      geometry[9] = accumulate ? 1 : 0;
      if (native.tomoBackProject(lines, cos, sin, geometry, out)) return;
      ts.backProject(lines, cos, sin, g, row0, col0, rows, cols, out, slices, accumulate);
    },
    removeStripes: (sinogram, angles, cols, size, out) => {
      if (native.tomoRemoveStripes(sinogram, angles, cols, size, out)) return;
      ts.removeStripes(sinogram, angles, cols, size, out);
    },
    paganin: (data, frames, rows, cols, p, out = data) => {
      ts.checkPaganin(p);
      if (native.tomoPaganin(data, frames, rows, cols, ts.paganinCoefficient(p), p.pixelUm * 1e-6, out)) return;
      ts.paganin(data, frames, rows, cols, p, out);
    },
    fft2: (re, im, rows, cols, inverse = false) => {
      if (native.tomoFft2(re, im, rows, cols, inverse)) return;
      ts.fft2(re, im, rows, cols, inverse);
    },
  } satisfies TomoKernels);
}

/** The kernels, each on its backend (see `backends()`). */
export const kernels: TomoKernels = nativeAddon !== null ? nativeTomoKernels(nativeAddon) : typescriptTomoKernels;

/** The TypeScript twins, whatever the backend: for parity tests and benchmarks. */
export const typescriptKernels: TomoKernels = typescriptTomoKernels;

/** The backend each tomography kernel runs on in this thread. */
export function backends(): Record<keyof TomoKernels, Backend> {
  const backend: Backend = nativeAddon !== null ? 'native' : 'typescript';
  return Object.fromEntries(Object.keys(typescriptTomoKernels).map((k) => [k, backend])) as Record<keyof TomoKernels, Backend>;
}

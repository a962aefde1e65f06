/**
 * Tomography kernels: pure TypeScript functions over float32 projection and sinogram data, the twins of
 * the native ones (native/src/tomo_*.h, loaded by native/index.ts). Reconstruction code calls them
 * through `kernels` of native/index.ts, which picks the native one where the addon loaded.
 *
 * @example
 *   import { backProject, filterLines, filterMargin, fourierFilter, paddedLength } from './index.js';
 *   const N = 64, angles = 90, P = paddedLength(N), m = filterMargin(N, P);
 *   const sinogram = new Float32Array(angles * N); // [angle][column], -log corrected
 *   const filtered = new Float32Array(angles * (P - N));
 *   filterLines(sinogram, angles, N, fourierFilter(P, 'ramp'), filtered);
 *   const theta = Float64Array.from({ length: angles }, (_, k) => (k * Math.PI) / angles);
 *   const slice = new Float32Array(N * N);
 *   backProject(filtered, theta.map(Math.cos), theta.map(Math.sin), { size: N, width: P - N, margin: m, center: N / 2 }, 0, 0, N, N, slice);
 */
export { averageFrames, FRAME_AVERAGES, type FrameAverage } from './average-frames.js';
export { flatField, FLAT_EPSILON } from './flat-field.js';
export { minusLog, MIN_TRANSMISSION } from './minus-log.js';
export { dezinger } from './dezinger.js';
export { fft, fft2, isPowerOfTwo, nextPowerOfTwo } from './fft.js';
export { fourierFilter, paddedLength, FILTER_NAMES, type FilterName } from './fourier-filter.js';
export { filterLines, filterMargin } from './filter-lines.js';
export { backProject, backProjectScale, checkBackProject, type BackProjectGeometry } from './back-project.js';
export { removeStripes } from './remove-stripes.js';
export { paganin, paganinCoefficient, checkPaganin, HC_KEV_M, type PaganinParams } from './paganin.js';

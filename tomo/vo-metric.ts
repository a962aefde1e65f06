/**
 * Vo's centre metric (Vo, Atwood, Drakopoulos, "Reliable method for calculating the center of rotation
 * in parallel-beam tomography", Opt. Express 22, 2014; TomoPy's `find_center_vo`): a 180-degree
 * sinogram followed by its mirror, shifted for a candidate centre, is a 360-degree sinogram; only at
 * the right centre is it consistent, and then its 2D spectrum has (almost) no energy in the double wedge
 * that a real sinogram's spectrum leaves empty. The metric is the mean magnitude there; the centre is
 * its minimum. Here the sinogram is first resampled to a power-of-two number of evenly spaced angles
 * (for the radix-2 FFT), and shifts are read with cubic (Keys) interpolation, which keeps the spectrum's
 * high frequencies nearly intact at fractional shifts (linear interpolation would bias the metric
 * towards whole-pixel shifts).
 */
import { kernels } from './kernels/dispatch.js';
import { nextPowerOfTwo } from './kernels/index.js';

/** A sinogram ready for the metric: `rows` evenly spaced angles over 180 degrees, `cols` columns. */
export interface VoSinogram {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  /** Columns after zero padding to a power of two. */
  readonly paddedCols: number;
  /** tomopy's `_create_mask` for (2 rows) x paddedCols, in fftshift-ed coordinates. */
  readonly mask: Uint8Array;
  readonly maskCount: number;
}

/**
 * Resamples `sinogram` (`[angle][column]`, angles in degrees covering 180 from `angles[0]`, any
 * order) to `rows` evenly spaced angles, linear in angle.
 */
export function voSinogram(sinogram: Float32Array, anglesDeg: readonly number[], cols: number, rows: number): VoSinogram {
  const order = anglesDeg.map((a, k) => [a, k] as const).sort((p, q) => p[0] - q[0]);
  const a0 = order[0]![0];
  const data = new Float64Array(rows * cols);
  let j = 0;
  for (let r = 0; r < rows; r++) {
    const angle = a0 + (180 * r) / rows;
    while (j + 1 < order.length - 1 && order[j + 1]![0] <= angle) j++;
    const [lo, klo] = order[j]!;
    const [hi, khi] = order[Math.min(j + 1, order.length - 1)]!;
    const w = hi > lo ? Math.min(1, Math.max(0, (angle - lo) / (hi - lo))) : 0;
    for (let c = 0; c < cols; c++) data[r * cols + c] = (1 - w) * sinogram[klo * cols + c]! + w * sinogram[khi * cols + c]!;
  }
  const paddedCols = nextPowerOfTwo(cols);
  const { mask, count } = voMask(2 * rows, paddedCols);
  return { data, rows, cols, paddedCols, mask, maskCount: count };
}

/** tomopy's `_create_mask(nrow, ncol, radius = 0.5 * ratio * ncol, drop)` with ratio 0.5, drop 20. */
function voMask(nrow: number, ncol: number): { mask: Uint8Array; count: number } {
  const radius = 0.25 * ncol;
  const du = 1 / ncol;
  const dv = (nrow - 1) / (nrow * 2 * Math.PI);
  const cenRow = Math.ceil(nrow / 2) - 1;
  const cenCol = Math.ceil(ncol / 2) - 1;
  const drop = Math.min(20, Math.ceil(0.05 * nrow));
  const mask = new Uint8Array(nrow * ncol);
  for (let i = 0; i < nrow; i++) {
    const pos = Math.ceil(((i - cenRow) * dv) / radius / du);
    const a = Math.min(Math.max(Math.min(-pos + cenCol, pos + cenCol), 0), ncol - 1);
    const b = Math.min(Math.max(Math.max(-pos + cenCol, pos + cenCol), 0), ncol - 1);
    for (let c = a; c <= b; c++) mask[i * ncol + c] = 1;
  }
  for (let i = Math.max(0, cenRow - drop); i <= Math.min(nrow - 1, cenRow + drop); i++) mask.fill(0, i * ncol, (i + 1) * ncol);
  for (let i = 0; i < nrow; i++) for (let c = Math.max(0, cenCol - 1); c <= Math.min(ncol - 1, cenCol + 1); c++) mask[i * ncol + c] = 0;
  let count = 0;
  for (const m of mask) count += m;
  return { mask, count };
}

/** Keys' cubic convolution weight (a = -0.5). */
function keys(t: number): number {
  const x = Math.abs(t);
  if (x < 1) return 1.5 * x * x * x - 2.5 * x * x + 1;
  if (x < 2) return -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2;
  return 0;
}

/** The metric for a centre `center` (columns). Lower is better. */
export function voMetric(s: VoSinogram, center: number): number {
  const { rows, cols, paddedCols: pc } = s;
  const n = 2 * rows;
  const re = new Float64Array(n * pc);
  const im = new Float64Array(n * pc);
  const shift = 2 * center - (cols - 1);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) re[r * pc + c] = s.data[r * cols + c]!;
    // The second half: the mirrored sinogram moved by `shift` (value at c from mirrored column c - shift);
    // columns it leaves empty take the sinogram upside down, as in tomopy (no artificial edge).
    for (let c = 0; c < cols; c++) {
      const src = c - shift;
      let v: number;
      if (src < 0 || src > cols - 1) {
        v = s.data[(rows - 1 - r) * cols + c]!;
      } else {
        const k = Math.floor(src);
        const t = src - k;
        v = 0;
        for (let d = -1; d <= 2; d++) {
          const col = Math.min(cols - 1, Math.max(0, k + d));
          v += keys(t - d) * s.data[r * cols + (cols - 1 - col)]!;
        }
      }
      re[(rows + r) * pc + c] = v;
    }
  }
  kernels.fft2(re, im, n, pc);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const row = (i + n / 2) % n;
    for (let j = 0; j < pc; j++) {
      if (s.mask[i * pc + j] === 0) continue;
      const at = row * pc + ((j + pc / 2) % pc);
      sum += Math.hypot(re[at]!, im[at]!);
    }
  }
  return sum / s.maskCount;
}

/**
 * The centre minimizing the metric over `[from, to]`: every `step` columns, then around the best in
 * steps of `fine`, then a parabola through the best fine value and its neighbours.
 */
export function voSearch(s: VoSinogram, from: number, to: number, step: number, fine: number): number {
  let best = from;
  let bestValue = Infinity;
  for (let c = from; c <= to + 1e-9; c += step) {
    const v = voMetric(s, c);
    if (v < bestValue) {
      bestValue = v;
      best = c;
    }
  }
  const candidates: [number, number][] = [];
  for (let c = best - step; c <= best + step + 1e-9; c += fine) candidates.push([c, voMetric(s, c)]);
  let k = 0;
  for (let i = 1; i < candidates.length; i++) if (candidates[i]![1] < candidates[k]![1]) k = i;
  if (k === 0 || k === candidates.length - 1) return candidates[k]![0];
  const [y0, y1, y2] = [candidates[k - 1]![1], candidates[k]![1], candidates[k + 1]![1]];
  const curvature = y0 - 2 * y1 + y2;
  const sub = curvature > 0 ? (0.5 * (y0 - y2)) / curvature : 0;
  return candidates[k]![0] + Math.max(-0.5, Math.min(0.5, sub)) * fine;
}

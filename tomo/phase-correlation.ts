/**
 * The first estimate of the rotation axis: the projection at 180 degrees is the one at 0 degrees
 * mirrored about the axis, so the 0-degree projection and the mirrored 180-degree one differ by a shift
 * `s = 2 C - (N - 1)` columns. Phase correlation (the normalized cross-power spectrum, summed over the
 * rows given, then transformed back) peaks at `s`; a parabola through the peak and its neighbours gives
 * the sub-pixel part (TomoPy's `find_center_pc` does the same with a 2D registration).
 */
import { fft, nextPowerOfTwo } from './kernels/index.js';

/**
 * The axis, in columns, from `first` and `opposite` (`rows x cols` float32 each: the projections at
 * theta and theta + 180 degrees).
 */
export function phaseCorrelationCenter(first: Float32Array, opposite: Float32Array, rows: number, cols: number): number {
  const size = nextPowerOfTwo(2 * cols);
  const sumRe = new Float64Array(size);
  const sumIm = new Float64Array(size);
  const aRe = new Float64Array(size);
  const aIm = new Float64Array(size);
  const bRe = new Float64Array(size);
  const bIm = new Float64Array(size);
  for (let r = 0; r < rows; r++) {
    aRe.fill(0);
    aIm.fill(0);
    bRe.fill(0);
    bIm.fill(0);
    for (let c = 0; c < cols; c++) {
      aRe[c] = first[r * cols + c]!;
      bRe[c] = opposite[r * cols + cols - 1 - c]!; // mirrored
    }
    fft(aRe, aIm);
    fft(bRe, bIm);
    for (let k = 0; k < size; k++) {
      // A * conj(B)
      sumRe[k] = sumRe[k]! + aRe[k]! * bRe[k]! + aIm[k]! * bIm[k]!;
      sumIm[k] = sumIm[k]! + aIm[k]! * bRe[k]! - aRe[k]! * bIm[k]!;
    }
  }
  for (let k = 0; k < size; k++) {
    const m = Math.hypot(sumRe[k]!, sumIm[k]!);
    sumRe[k] = m > 0 ? sumRe[k]! / m : 0;
    sumIm[k] = m > 0 ? sumIm[k]! / m : 0;
  }
  fft(sumRe, sumIm, true);
  // corr[d] = sum_k a[k + d] m[k]: the mirrored projection is the first one shifted by s = d at the peak.
  let best = 0;
  for (let d = -cols + 1; d < cols; d++) {
    if (sumRe[(d + size) % size]! > sumRe[(best + size) % size]!) best = d;
  }
  const at = (d: number): number => sumRe[(d + size) % size]!;
  const y0 = at(best - 1);
  const y1 = at(best);
  const y2 = at(best + 1);
  const curvature = y0 - 2 * y1 + y2;
  const sub = curvature < 0 ? (0.5 * (y0 - y2)) / curvature : 0;
  const shift = best + Math.max(-0.5, Math.min(0.5, sub));
  return (shift + cols - 1) / 2;
}

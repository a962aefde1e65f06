/**
 * `findCenter`: the rotation axis of a scan, found automatically. Phase correlation of the 0-degree
 * projection with the mirrored 180-degree one (over a band of middle rows) gives an estimate; Vo's
 * metric on the middle rows' 180-degree sinogram refines it over a window of N/8 columns either side,
 * coarse on a sinogram of 64 angles, then fine in 0.1-column steps on up to 256 angles. Paganin's
 * filter, when asked for, is left out here.
 */
import { ImageFormatError } from '../imaging/io/index.js';
import { phaseCorrelationCenter } from './phase-correlation.js';
import { correctedRows, type PreprocessOptions } from './preprocess.js';
import type { TomoScan } from './scan.js';
import { voSearch, voSinogram } from './vo-metric.js';

/** How the centre was found. */
export interface CenterEstimate {
  /** The axis in detector columns. */
  readonly center: number;
  /** Phase correlation's estimate, where Vo's search started. */
  readonly phaseCorrelation: number;
}

/** Rows averaged for the metric's sinogram, and rows correlated for the first estimate. */
const METRIC_ROWS = 5;
const CORRELATION_ROWS = 32;

/** The index of the angle closest to `target` degrees. */
function nearest(angles: readonly number[], target: number): number {
  let best = 0;
  angles.forEach((a, k) => {
    if (Math.abs(a - target) < Math.abs(angles[best]! - target)) best = k;
  });
  return best;
}

/** Finds the axis of `scan`; throws when it has no projections 180 degrees apart. */
export function findCenter(scan: TomoScan, options: PreprocessOptions): CenterEstimate {
  // Geometry needs no phase retrieval, and Paganin's low-pass leaves phase correlation only noise at
  // high frequencies: the centre is found on the attenuation data.
  const preprocess: PreprocessOptions = { ...options, paganin: null };
  const [, rows, cols] = scan.shape;
  const angles = scan.angles;
  const first = angles.indexOf(Math.min(...angles));
  const start = angles[first]!;
  const opposite = nearest(angles, start + 180);
  const step = 180 / Math.max(1, angles.filter((a) => a >= start && a < start + 180).length);
  if (Math.abs(angles[opposite]! - start - 180) > Math.max(2, 2 * step)) {
    throw new ImageFormatError(scan.projections.path, scan.projections.format, `the automatic centre needs a projection near ${start + 180} degrees (the scan covers ${start} to ${Math.max(...angles)})`, 'give the axis with --center C (columns)');
  }
  const band = Math.min(rows, CORRELATION_ROWS);
  const b0 = Math.floor((rows - band) / 2);
  const pair = correctedRows(scan, preprocess, b0, band, [first, opposite]);
  const size = band * cols;
  const estimate = phaseCorrelationCenter(pair.subarray(0, size), pair.subarray(size, 2 * size), band, cols);
  const half = angles.map((a, k) => [a, k] as const).filter(([a]) => a >= start && a < start + 180 - 1e-9);
  const frames = half.map(([, k]) => k);
  const metricRows = Math.min(rows, METRIC_ROWS);
  const m0 = Math.floor((rows - metricRows) / 2);
  const data = correctedRows(scan, preprocess, m0, metricRows, frames);
  const sinogram = new Float32Array(frames.length * cols);
  for (let f = 0; f < frames.length; f++) {
    for (let r = 0; r < metricRows; r++) {
      for (let c = 0; c < cols; c++) sinogram[f * cols + c] = sinogram[f * cols + c]! + data[(f * metricRows + r) * cols + c]! / metricRows;
    }
  }
  const halfAngles = half.map(([a]) => a);
  let full = 1;
  while (full * 2 <= Math.min(256, frames.length)) full *= 2;
  const window = Math.max(2, Math.round(cols / 8));
  const lo = Math.max(1, estimate - window);
  const hi = Math.min(cols - 2, estimate + window);
  const coarse = voSearch(voSinogram(sinogram, halfAngles, cols, Math.min(64, full)), lo, hi, 1, 0.25);
  const center = voSearch(voSinogram(sinogram, halfAngles, cols, full), Math.max(0, coarse - 1), Math.min(cols - 1, coarse + 1), 0.5, 0.1);
  return { center, phaseCorrelation: estimate };
}

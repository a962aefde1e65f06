/**
 * The corrected line integrals of some rows of a scan: projections read for those rows only, darks and
 * flats averaged over the same rows, `(I - dark) / (flat - dark)` with before/after flat interpolation,
 * optional dezinger, optional Paganin phase retrieval, `-log`. A slab task calls it for its rows; centre
 * finding for a band of rows or a few frames. Rows are independent, except for dezinger's 3x3 median,
 * which reads one row of halo, and Paganin's 2D filter, which reads whole frames.
 */
import { kernels } from './kernels/dispatch.js';
import type { FrameAverage, PaganinParams } from './kernels/index.js';
import { openStack } from './io/stack.js';
import type { StackRef, TomoScan } from './scan.js';

/** How frames are corrected before reconstruction. */
export interface PreprocessOptions {
  /** How dark and flat stacks become one frame (default 'mean'). */
  readonly average: FrameAverage;
  /** Dezinger threshold in transmission (a pixel above its 3x3 median by more is replaced), or null. */
  readonly dezinger: number | null;
  /**
   * Paganin phase retrieval before -log, or null/absent for none. It filters whole projections, so a
   * block then reads and filters every row of its projections, not only its own.
   */
  readonly paganin?: PaganinParams | null;
}

/** The per-pixel average of a dark or flat stack over rows `[r0, r0 + rows)`. */
function averaged(ref: StackRef, average: FrameAverage, r0: number, rows: number): Float32Array {
  const stack = openStack(ref);
  const size = rows * stack.shape[2];
  const out = new Float32Array(size);
  kernels.averageFrames(stack.readRows(0, stack.shape[0], r0, rows), stack.shape[0], size, average, out);
  return out;
}

/**
 * `-log` of the corrected projections `frames` (all when null; indices into the scan) over detector
 * rows `[r0, r0 + rows)`, as `[frame][row][column]` float32.
 */
export function correctedRows(scan: TomoScan, options: PreprocessOptions, r0: number, rows: number, frames: readonly number[] | null = null): Float32Array {
  const [total, height, cols] = scan.shape;
  const whole = options.paganin !== undefined && options.paganin !== null;
  const halo = options.dezinger !== null ? 1 : 0;
  const ra = whole ? 0 : Math.max(0, r0 - halo);
  const rb = whole ? height : Math.min(height, r0 + rows + halo);
  const n = rb - ra;
  const size = n * cols;
  const stack = openStack(scan.projections);
  const list = frames ?? null;
  const count = list === null ? total : list.length;
  let data: Float32Array;
  if (list === null) {
    data = stack.readRows(0, total, ra, n);
  } else {
    data = new Float32Array(count * size);
    list.forEach((f, k) => data.set(stack.readRows(f, 1, ra, n), k * size));
  }
  if (scan.flats !== null) {
    const dark = scan.darks !== null ? averaged(scan.darks, options.average, ra, n) : new Float32Array(size);
    const before = averaged(scan.flats, options.average, ra, n);
    const after = scan.flatsAfter !== null ? averaged(scan.flatsAfter, options.average, ra, n) : null;
    if (list === null) {
      kernels.flatField(data, count, size, 0, total, dark, before, after);
    } else {
      // each frame's flat is interpolated by its index in the whole scan
      list.forEach((f, k) => kernels.flatField(data.subarray(k * size, (k + 1) * size), 1, size, f, total, dark, before, after));
    }
  }
  if (options.dezinger !== null) {
    const out = new Float32Array(data.length);
    kernels.dezinger(data, count, n, cols, options.dezinger, out);
    data = out;
  }
  if (whole) kernels.paganin(data, count, n, cols, options.paganin!);
  // drop the halo rows
  let result = data;
  if (n !== rows) {
    result = new Float32Array(count * rows * cols);
    for (let k = 0; k < count; k++) result.set(data.subarray(k * size + (r0 - ra) * cols, k * size + (r0 - ra + rows) * cols), k * rows * cols);
  }
  kernels.minusLog(result, result.length);
  return result;
}

/** `[frame][row][column]` → `[row][frame][column]`: one sinogram per detector row. */
export function toSinograms(data: Float32Array, frames: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let f = 0; f < frames; f++) {
    for (let r = 0; r < rows; r++) {
      const from = (f * rows + r) * cols;
      out.set(data.subarray(from, from + cols), (r * frames + f) * cols);
    }
  }
  return out;
}

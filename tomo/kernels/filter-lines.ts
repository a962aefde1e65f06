/**
 * Filtering of sinogram lines for FBP: each line of N detector columns is zero-padded to the filter's
 * length P, multiplied by the filter in Fourier space and transformed back. The output keeps a margin of
 * `m = P/2 - N` columns on each side (length N + 2m = P - N), because the filtered projection is not
 * zero beyond the detector and back-projection reads it there when the centre is off the middle. Within
 * that range the circular convolution equals the linear one (P >= 2 * diagonal > 2N + 2m).
 */
import { fft } from './fft.js';

/** The margin of filtered lines on each side, for N columns filtered at length P. */
export function filterMargin(columns: number, size: number): number {
  return size / 2 - columns;
}

/**
 * Filters `count` lines of `columns` values from `lines` with `filter` (length P, from fourierFilter)
 * into `out`: `count` lines of `P - columns` values, out column `k` being detector column `k - m`.
 * Line `l` starts at `l * stride` of `lines` (default: packed), so that one detector row of corrected
 * projections `[angle][row][column]` is read in place with a stride of a frame.
 *
 * @example
 *   const P = paddedLength(8), m = filterMargin(8, P);
 *   const out = new Float32Array(P - 8);
 *   filterLines(new Float32Array(8).fill(1), 1, 8, fourierFilter(P, 'ramp'), out); // out[m .. m+8) ~ the ramp-filtered box
 */
export function filterLines(lines: Float32Array, count: number, columns: number, filter: Float64Array, out: Float32Array, stride = columns): void {
  const size = filter.length;
  const m = filterMargin(columns, size);
  const width = size - columns;
  const need = count === 0 ? 0 : (count - 1) * stride + columns;
  if (m < 0 || !Number.isInteger(stride) || stride < columns || lines.length < need || out.length < count * width) {
    throw new RangeError(`filterLines: ${count} lines of ${columns} columns, ${stride} apart, with a filter of ${size} need lines of ${need} and out of ${count * width} values`);
  }
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let l = 0; l < count; l++) {
    re.fill(0);
    im.fill(0);
    for (let c = 0; c < columns; c++) re[c] = lines[l * stride + c]!;
    fft(re, im);
    for (let k = 0; k < size; k++) {
      re[k] = re[k]! * filter[k]!;
      im[k] = im[k]! * filter[k]!;
    }
    fft(re, im, true);
    const base = l * width;
    // out column k is detector column k - m, at index (k - m) mod P of the circular result
    for (let k = 0; k < width; k++) out[base + k] = re[(k - m + size) % size]!;
  }
}

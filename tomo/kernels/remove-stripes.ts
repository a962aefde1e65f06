/**
 * Ring removal on a sinogram by Vo's sorting-based stripe removal (Vo, Atwood, Drakopoulos, "Superior
 * techniques for eliminating ring artifacts in X-ray micro-tomography", Opt. Express 26, 2018; algotom's
 * `remove_stripe_based_sorting` with dim=1): each detector column is sorted along the angles, the sorted
 * sinogram is median-filtered across columns (a column whose response is off by a constant, the cause of
 * a ring, becomes a stripe there and is smoothed away while the object's structure, spread by the sort,
 * is not), and every value goes back to its angle. The median window has `size` columns, edges reflected
 * (scipy.ndimage.median_filter's mode 'reflect'); ties in a column keep their angle order (stable sort).
 */

/**
 * Writes into `out` the sinogram `sinogram` (`angles x cols`, C order) with stripes removed; `size` is
 * the odd median window across columns.
 *
 * @example
 *   const out = new Float32Array(6);
 *   removeStripes(new Float32Array([1, 5, 1, 2, 6, 2]), 2, 3, 3, out); // the 5 and 6 column pulled to its neighbours
 */
export function removeStripes(sinogram: Float32Array, angles: number, cols: number, size: number, out: Float32Array): void {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) throw new RangeError(`removeStripes: size must be an odd whole number >= 1, got ${size}`);
  if (sinogram.length < angles * cols || out.length < angles * cols || out === sinogram) {
    throw new RangeError(`removeStripes: sinogram and out must be distinct arrays of ${angles * cols} values`);
  }
  // order[c * angles + i]: the angle of the i-th smallest value of column c; sorted likewise.
  const order = new Uint32Array(angles * cols);
  const sorted = new Float32Array(angles * cols);
  const index = new Uint32Array(angles);
  for (let c = 0; c < cols; c++) {
    for (let a = 0; a < angles; a++) index[a] = a;
    index.sort((p, q) => sinogram[p * cols + c]! - sinogram[q * cols + c]! || p - q);
    for (let i = 0; i < angles; i++) {
      order[c * angles + i] = index[i]!;
      sorted[i * cols + c] = sinogram[index[i]! * cols + c]!;
    }
  }
  const half = size >> 1;
  const window = new Float64Array(size);
  for (let i = 0; i < angles; i++) {
    for (let c = 0; c < cols; c++) {
      for (let k = -half; k <= half; k++) window[k + half] = sorted[i * cols + reflect(c + k, cols)]!;
      window.sort();
      out[order[c * angles + i]! * cols + c] = window[half]!;
    }
  }
}

/** scipy's 'reflect' index: d c b a | a b c d | d c b a. */
function reflect(j: number, n: number): number {
  const period = 2 * n;
  let k = ((j % period) + period) % period;
  if (k >= n) k = period - 1 - k;
  return k;
}

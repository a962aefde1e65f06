/**
 * Zinger removal: a pixel that exceeds the median of its 3x3 neighbourhood by more than `threshold`
 * (a cosmic ray or a direct hit on the detector) is replaced by that median; other pixels are kept.
 * Edges are replicated (scipy.ndimage.median_filter's mode 'nearest'), so a slab read with one row of
 * halo above and below gives the rows of a whole-frame pass.
 */

/**
 * Dezingers `frames` images of `rows x cols` pixels from `data` into `out` (not in place: each median
 * needs the original neighbours).
 *
 * @example
 *   const img = new Float32Array([1, 1, 1,  1, 50, 1,  1, 1, 1]);
 *   const out = new Float32Array(9);
 *   dezinger(img, 1, 3, 3, 10, out); // out[4] = 1
 */
export function dezinger(data: Float32Array, frames: number, rows: number, cols: number, threshold: number, out: Float32Array): void {
  const size = rows * cols;
  if (data.length < frames * size || out.length < frames * size || out === data) {
    throw new RangeError(`dezinger: data and out must be distinct arrays of ${frames * size} values`);
  }
  const window = new Float64Array(9);
  for (let f = 0; f < frames; f++) {
    const base = f * size;
    for (let y = 0; y < rows; y++) {
      const y0 = y > 0 ? y - 1 : 0;
      const y2 = y < rows - 1 ? y + 1 : rows - 1;
      for (let x = 0; x < cols; x++) {
        const x0 = x > 0 ? x - 1 : 0;
        const x2 = x < cols - 1 ? x + 1 : cols - 1;
        for (let r = 0; r < 3; r++) {
          const row = base + (r === 0 ? y0 : r === 1 ? y : y2) * cols;
          window[3 * r] = data[row + x0]!;
          window[3 * r + 1] = data[row + x]!;
          window[3 * r + 2] = data[row + x2]!;
        }
        window.sort();
        const median = window[4]!;
        const v = data[base + y * cols + x]!;
        out[base + y * cols + x] = v - median > threshold ? median : v;
      }
    }
  }
}

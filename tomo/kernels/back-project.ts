/**
 * Parallel-beam back-projection of filtered lines onto a box of one slice, with scikit-image's
 * geometry (`iradon`, circle=True): pixel (row i, column j) of an N x N slice, r = N // 2, sees detector
 * column `c = (j - r) cos(theta) - (i - r) sin(theta) + center`, read by linear interpolation (numpy's
 * `interp`, zero outside the line); pixels outside the circle of radius r are zero; the sum is scaled
 * by pi / (2 * angles). The native twin (native/src/tomo_fbp.h) is tiled and vectorized.
 */

/** Where the filtered lines are and what they mean: see filterLines. */
export interface BackProjectGeometry {
  /** The slice is `size x size` (the detector's column count). */
  readonly size: number;
  /** Values per filtered line (P - N). */
  readonly width: number;
  /** Filtered column k is detector column k - margin. */
  readonly margin: number;
  /** The rotation axis, in detector columns (N // 2 for a centred scan). */
  readonly center: number;
}

/**
 * Writes into `out` (`rows x cols`, C order) the box at `(row0, col0)` of the slice back-projected
 * from `angles` filtered lines (`lines`, `angles * width` values; `cos`/`sin` of each angle). With
 * `slices` > 1, lines hold that many slices' lines one after the other (`[slice][angle][width]`), all
 * of the same geometry, and out their boxes (`[slice][row][col]`): the native twin shares each
 * position's arithmetic between them. With `accumulate`, the unscaled sums are added to `out` (a
 * volume built a few angles at a time, scaled by `backProjectScale` of the whole count at the end; the
 * native kernel sums each pixel's angles in order into float, so that its accumulating calls give the
 * sums of one call over all their angles).
 *
 * @example
 *   // one slice, one angle: the line smeared along rows
 *   backProject(lines, cos, sin, { size: 8, width: 8, margin: 0, center: 4 }, 0, 0, 8, 8, out);
 */
export function backProject(
  lines: Float32Array,
  cos: Float64Array,
  sin: Float64Array,
  g: BackProjectGeometry,
  row0: number,
  col0: number,
  rows: number,
  cols: number,
  out: Float32Array,
  slices = 1,
  accumulate = false,
): void {
  const angles = cos.length;
  checkBackProject(lines, angles, sin.length, g, row0, col0, rows, cols, out.length, slices);
  for (let s = 0; s < slices; s++) {
    const from = s * angles * g.width;
    const to = s * rows * cols;
    sliceBox(lines.subarray(from, from + angles * g.width), cos, sin, g, row0, col0, rows, cols, out.subarray(to, to + rows * cols), accumulate);
  }
}

/** The factor back-projection sums are scaled by for `angles` angles, as float32 (as the kernels scale). */
export function backProjectScale(angles: number): number {
  return Math.fround(Math.PI / (2 * angles));
}

function sliceBox(lines: Float32Array, cos: Float64Array, sin: Float64Array, g: BackProjectGeometry, row0: number, col0: number, rows: number, cols: number, out: Float32Array, accumulate: boolean): void {
  const angles = cos.length;
  const r = Math.floor(g.size / 2);
  const last = g.width - 1;
  const scale = Math.PI / (2 * angles);
  for (let y = 0; y < rows; y++) {
    const i = row0 + y - r;
    for (let x = 0; x < cols; x++) {
      const j = col0 + x - r;
      if (i * i + j * j > r * r) {
        if (!accumulate) out[y * cols + x] = 0;
        continue;
      }
      let sum = 0;
      for (let a = 0; a < angles; a++) {
        const pos = j * cos[a]! - i * sin[a]! + g.center + g.margin;
        if (!(pos >= 0 && pos <= last)) continue;
        const k = Math.floor(pos);
        const line = a * g.width;
        sum += k === last ? lines[line + k]! : lines[line + k]! + (pos - k) * (lines[line + k + 1]! - lines[line + k]!);
      }
      out[y * cols + x] = accumulate ? out[y * cols + x]! + sum : sum * scale;
    }
  }
}

/** The checks both backends share: a box inside the slice, arrays long enough. */
export function checkBackProject(lines: Float32Array, angles: number, sinLength: number, g: BackProjectGeometry, row0: number, col0: number, rows: number, cols: number, outLength: number, slices = 1): void {
  const ints = [g.size, g.width, g.margin, row0, col0, rows, cols];
  if (ints.some((v) => !Number.isInteger(v) || v < 0) || g.size < 1 || g.width < 1 || !Number.isFinite(g.center) || !Number.isInteger(slices) || slices < 1) {
    throw new RangeError(`backProject: size, width, margin, the box and slices (>= 1) must be non-negative integers and center finite, got ${JSON.stringify({ ...g, row0, col0, rows, cols, slices })}`);
  }
  if (angles < 1 || sinLength !== angles || lines.length < slices * angles * g.width || row0 + rows > g.size || col0 + cols > g.size || outLength < slices * rows * cols) {
    throw new RangeError(`backProject: ${slices} slice(s) of ${angles} angles of ${g.width} values and a ${rows}x${cols} box at (${row0}, ${col0}) of a ${g.size}^2 slice do not fit the arrays given`);
  }
}

/**
 * Dark/flat (open-beam) correction of projections: `(I - dark) / max(flat - dark, eps)`. Flats taken
 * before and after the scan are interpolated linearly by projection index, so a beam whose intensity
 * drifts during the scan is divided out (TomoPy's `normalize` with two flat series, the same idea).
 */

/** The smallest denominator `flat - dark`: dead or unlit pixels give a large value, never infinity. */
export const FLAT_EPSILON = 1e-6;

/**
 * Corrects `data` in place: `count` projections of `size` pixels. Projection `k` (its index in the
 * whole scan is `first + k`, of `total`) is divided by `flatBefore` alone, or, when `flatAfter` is
 * given, by `(1 - w) * flatBefore + w * flatAfter` with `w = (first + k) / (total - 1)`.
 *
 * @example
 *   const p = new Float32Array([60, 110]);
 *   flatField(p, 2, 1, 0, 2, new Float32Array([10]), new Float32Array([110]), new Float32Array([210])); // p = [0.5, 0.5]
 */
export function flatField(
  data: Float32Array,
  count: number,
  size: number,
  first: number,
  total: number,
  dark: Float32Array,
  flatBefore: Float32Array,
  flatAfter: Float32Array | null,
  out: Float32Array = data,
): void {
  if (data.length < count * size || out.length < count * size || dark.length < size || flatBefore.length < size || (flatAfter !== null && flatAfter.length < size)) {
    throw new RangeError(`flatField: ${count} projections of ${size} pixels need data and out of ${count * size} and dark and flats of ${size} values`);
  }
  for (let k = 0; k < count; k++) {
    const w = flatAfter === null || total < 2 ? 0 : (first + k) / (total - 1);
    const base = k * size;
    for (let p = 0; p < size; p++) {
      const d = dark[p]!;
      const f = flatAfter === null ? flatBefore[p]! : (1 - w) * flatBefore[p]! + w * flatAfter[p]!;
      const denominator = f - d;
      // NaN (a NaN flat or dark) falls through to eps as well: `!(x > eps)` is true for NaN.
      out[base + p] = (data[base + p]! - d) / (Math.max(denominator , FLAT_EPSILON));
    }
  }
}

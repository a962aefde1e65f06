/**
 * The attenuation line integrals from transmission: `-log(t)`, guarded so that no NaN or infinity
 * reaches the volume. Zero or negative counts (dead pixels, a dark above the signal), NaN and infinite
 * values are clamped to the transmission range [MIN_TRANSMISSION, 1 / MIN_TRANSMISSION] first.
 */

/** The smallest transmission `-log` sees: about 13.8 in attenuation. */
export const MIN_TRANSMISSION = 1e-6;

/**
 * `out[i] = -log(clamp(data[i]))` for `n` values; NaN becomes MIN_TRANSMISSION (the most attenuating
 * value: a pixel with no valid signal is treated as opaque, never as empty).
 *
 * @example
 *   const v = new Float32Array([1, 0, -5, NaN, Infinity]);
 *   minusLog(v, 5); // [0, 13.8155, 13.8155, 13.8155, -13.8155]
 */
export function minusLog(data: Float32Array, n: number, out: Float32Array = data): void {
  if (data.length < n || out.length < n) throw new RangeError(`minusLog: data and out must hold ${n} values`);
  const lo = MIN_TRANSMISSION;
  const hi = 1 / MIN_TRANSMISSION;
  for (let i = 0; i < n; i++) {
    const t = data[i]!;
    out[i] = -Math.log(t > lo ? (Math.min(t , hi)) : lo);
  }
}

/** The addon's tomography functions (native/src/tomo_napi.h), as tomo/kernels/dispatch.ts calls them. */

/** The addon's tomography functions; each answers false for a call it does not take. */
export interface TomoAddon {
  tomoAverageFrames(frames: Float32Array, count: number, size: number, method: number, out: Float32Array): boolean;
  tomoFlatField(data: Float32Array, count: number, size: number, first: number, total: number, dark: Float32Array, before: Float32Array, after: Float32Array | null, eps: number, out: Float32Array): boolean;
  tomoMinusLog(data: Float32Array, n: number, lo: number, out: Float32Array): boolean;
  tomoDezinger(data: Float32Array, frames: number, rows: number, cols: number, threshold: number, out: Float32Array): boolean;
  tomoFilterLines(lines: Float32Array, count: number, columns: number, filter: Float64Array, out: Float32Array, stride: number): boolean;
  tomoBackProject(lines: Float32Array, cos: Float64Array, sin: Float64Array, geometry: Float64Array, out: Float32Array): boolean;
  tomoRemoveStripes(sinogram: Float32Array, angles: number, cols: number, size: number, out: Float32Array): boolean;
  tomoPaganin(data: Float32Array, frames: number, rows: number, cols: number, coefficient: number, pixel: number, out: Float32Array): boolean;
  tomoFft2(re: Float64Array, im: Float64Array, rows: number, cols: number, inverse: boolean): boolean;
}

/** The addon's export names of these kernels, checked when it loads. */
export const TOMO_EXPORTS = ['tomoAverageFrames', 'tomoFlatField', 'tomoMinusLog', 'tomoDezinger', 'tomoFilterLines', 'tomoBackProject', 'tomoRemoveStripes', 'tomoPaganin', 'tomoFft2'] as const;

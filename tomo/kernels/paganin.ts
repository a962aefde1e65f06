/**
 * Paganin's single-distance phase retrieval (Paganin et al., J. Microsc. 206, 2002; TomoPy's
 * `retrieve_phase`): each flat-corrected projection (transmission) is low-pass filtered in Fourier space
 * by `1 / (1 + pi * lambda * z * (delta/beta) * |u|^2)` before `-log`, which has unit gain at zero
 * frequency (the mean transmission is kept). Frames are padded to powers of two at least twice their
 * size, edges replicated (numpy's `pad(mode='edge')`), so the filter does not wrap around.
 */
import { ConfigError } from '../../core/index.js';
import { fft2, nextPowerOfTwo } from './fft.js';

/** The physics of the setup: `--paganin energy_keV,distance_mm,pixel_um,delta_over_beta`. */
export interface PaganinParams {
  /** X-ray energy in keV (sets the wavelength). */
  readonly energyKeV: number;
  /** Propagation distance from sample to detector, in mm. */
  readonly distanceMm: number;
  /** Detector pixel size in micrometres. */
  readonly pixelUm: number;
  /** Ratio δ/β of the sample's refractive index decrement to its absorption index. */
  readonly deltaOverBeta: number;
}

/** h * c in keV * m: the wavelength in metres is HC_KEV_M / energy in keV. */
export const HC_KEV_M = 1.2398419843320026e-9;

/** `pi * lambda * z * delta/beta` in m^2: the filter's coefficient of |u|^2 (u in 1/m). */
export function paganinCoefficient(p: PaganinParams): number {
  return Math.PI * (HC_KEV_M / p.energyKeV) * (p.distanceMm * 1e-3) * p.deltaOverBeta;
}

/** The filter's value at padded frequency index (ky, kx) of a (py x px) grid of `pixel` metres. */
function filterAt(ky: number, kx: number, py: number, px: number, pixel: number, coefficient: number): number {
  const uy = (ky < py / 2 ? ky : ky - py) / (py * pixel);
  const ux = (kx < px / 2 ? kx : kx - px) / (px * pixel);
  return 1 / (1 + coefficient * (ux * ux + uy * uy));
}

/**
 * Filters `frames` frames of `rows x cols` transmission values from `data` into `out` (may be `data`).
 *
 * @example
 *   const out = new Float32Array(16 * 16);
 *   paganin(new Float32Array(256).fill(0.5), 1, 16, 16, { energyKeV: 20, distanceMm: 100, pixelUm: 1, deltaOverBeta: 100 }, out); // all 0.5
 */
export function paganin(data: Float32Array, frames: number, rows: number, cols: number, p: PaganinParams, out: Float32Array = data): void {
  if (data.length < frames * rows * cols || out.length < frames * rows * cols) throw new RangeError(`paganin: data and out must hold ${frames} frames of ${rows} x ${cols}`);
  checkPaganin(p);
  const py = nextPowerOfTwo(2 * rows);
  const px = nextPowerOfTwo(2 * cols);
  const top = Math.floor((py - rows) / 2);
  const left = Math.floor((px - cols) / 2);
  const coefficient = paganinCoefficient(p);
  const pixel = p.pixelUm * 1e-6;
  const re = new Float64Array(py * px);
  const im = new Float64Array(py * px);
  for (let f = 0; f < frames; f++) {
    const base = f * rows * cols;
    for (let y = 0; y < py; y++) {
      const sy = Math.min(rows - 1, Math.max(0, y - top));
      for (let x = 0; x < px; x++) re[y * px + x] = data[base + sy * cols + Math.min(cols - 1, Math.max(0, x - left))]!;
    }
    im.fill(0);
    fft2(re, im, py, px);
    for (let ky = 0; ky < py; ky++) {
      for (let kx = 0; kx < px; kx++) {
        const h = filterAt(ky, kx, py, px, pixel, coefficient);
        re[ky * px + kx] = re[ky * px + kx]! * h;
        im[ky * px + kx] = im[ky * px + kx]! * h;
      }
    }
    fft2(re, im, py, px, true);
    for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) out[base + y * cols + x] = re[(y + top) * px + x + left]!;
  }
}

/** Throws a TypeError naming the field unless every parameter is a positive finite number. */
export function checkPaganin(p: PaganinParams): void {
  for (const [name, v] of Object.entries(p)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ConfigError(name, `paganin: ${name} must be a positive number, got ${String(v)}`);
  }
}

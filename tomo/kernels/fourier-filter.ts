/**
 * The FBP filter in Fourier space, built as scikit-image's `iradon` builds it
 * (skimage/transform/radon_transform.py, `_get_fourier_filter`): the ramp is the DFT of the spatial
 * Ram-Lak kernel (`f[0] = 1/4`, `f[odd n] = -1/(pi n)^2`), which avoids the DC and aliasing errors of a
 * ramp sampled in frequency (Kak & Slaney, ch. 3), then multiplied by a window.
 */
import { fft as fftInPlace } from './fft.js';

/** The filter windows. `parzen` is not in scikit-image; the others match it exactly. */
export type FilterName = 'ramp' | 'shepp-logan' | 'cosine' | 'hamming' | 'hann' | 'parzen';

/** Every filter name, for flags and messages. */
export const FILTER_NAMES: readonly FilterName[] = ['ramp', 'shepp-logan', 'cosine', 'hamming', 'hann', 'parzen'];

/**
 * The padded length scikit-image filters at, for `columns` detector columns with `circle=True`: the
 * sinogram is first padded to the square's diagonal `ceil(sqrt(2) N)`, then to the next power of two
 * >= twice that (at least 64). The windows are sampled on this grid, so matching it is what makes the
 * filtered projections identical, not only close.
 */
export function paddedLength(columns: number): number {
  const diagonal = Math.ceil(Math.SQRT2 * columns);
  let p = 64;
  while (p < 2 * diagonal) p *= 2;
  return p;
}

/** numpy's `fftshift` of a window of even length: element k comes from (k + n/2) mod n. */
function shifted(n: number, window: (k: number) => number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = window((k + n / 2) % n);
  return out;
}

/** The real filter of length `size` (a power of two >= 64) for `name`, in numpy's FFT frequency order. */
export function fourierFilter(size: number, name: FilterName): Float64Array {
  const spatial = new Float64Array(size);
  const imag = new Float64Array(size);
  spatial[0] = 0.25;
  // n runs 1, 3, 5, ... up to size/2 - 1, then back down: the kernel is symmetric about size/2.
  for (let k = 1; k < size; k += 2) {
    const n = k < size / 2 ? k : size - k;
    spatial[k] = -1 / (Math.PI * n) ** 2;
  }
  fftInPlace(spatial, imag);
  const filter = new Float64Array(size);
  for (let k = 0; k < size; k++) filter[k] = 2 * spatial[k]!;
  const window = windowOf(size, name);
  if (window !== null) for (let k = 0; k < size; k++) filter[k] = filter[k]! * window[k]!;
  // numpy's hamming and hanning are symmetric about (size - 1) / 2, so after fftshift these filters are
  // not quite even, and iradon keeps the real part of the inverse FFT. For a real line that real part
  // is what the even part of the filter gives alone, so the filter is made even: the result is the
  // same, and the native kernel may filter two lines per complex FFT (their results stay separated).
  const even = new Float64Array(size);
  for (let k = 0; k < size; k++) even[k] = (filter[k]! + filter[(size - k) % size]!) / 2;
  return even;
}

function windowOf(size: number, name: FilterName): Float64Array | null {
  switch (name) {
    case 'ramp':
      return null;
    case 'shepp-logan': {
      // sinc of pi * fftfreq, the DC term left at 1
      const w = new Float64Array(size).fill(1);
      for (let k = 1; k < size; k++) {
        const omega = (Math.PI * (k < size / 2 ? k : k - size)) / size;
        w[k] = Math.sin(omega) / omega;
      }
      return w;
    }
    case 'cosine':
      return shifted(size, (k) => Math.sin((Math.PI * k) / size));
    case 'hamming':
      return shifted(size, (k) => 0.54 - 0.46 * Math.cos((2 * Math.PI * k) / (size - 1)));
    case 'hann':
      return shifted(size, (k) => 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / (size - 1)));
    case 'parzen': {
      // The Parzen (de la Vallee Poussin) window over |frequency| in [0, 1/2], u = 2|f|:
      // 1 - 6u^2(1 - u) for u <= 1/2, 2(1 - u)^3 above.
      const w = new Float64Array(size);
      for (let k = 0; k < size; k++) {
        const u = (2 * Math.abs(k < size / 2 ? k : k - size)) / size;
        w[k] = u <= 0.5 ? 1 - 6 * u * u * (1 - u) : 2 * (1 - u) ** 3;
      }
      return w;
    }
  }
}

/**
 * A small in-place radix-2 complex FFT (iterative Cooley-Tukey, bit reversal first), for the
 * TypeScript twins of the tomography kernels and for centre finding. Sizes are powers of two; the
 * twiddles of each size are computed once per thread. The native twin is native/src/tomo_fft.h.
 */

const twiddles = new Map<number, { cos: Float64Array; sin: Float64Array }>();

function twiddlesOf(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddles.get(n);
  if (t === undefined) {
    const cos = new Float64Array(n / 2);
    const sin = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    t = { cos, sin };
    twiddles.set(n, t);
  }
  return t;
}

/** True for 1, 2, 4, 8, ... */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** The smallest power of two >= n. */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Transforms `re`, `im` (length n, a power of two) in place: the forward DFT
 * `X[k] = sum_j x[j] e^{-2 pi i jk/n}`, or with `inverse` the inverse including the 1/n factor (numpy's
 * `fft` / `ifft` conventions).
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (!isPowerOfTwo(n) || im.length !== n) throw new RangeError(`fft: re and im must have the same power-of-two length, got ${re.length} and ${im.length}`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; (j & bit) !== 0; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i]!;
      re[i] = re[j]!;
      re[j] = tr;
      const ti = im[i]!;
      im[i] = im[j]!;
      im[j] = ti;
    }
  }
  const { cos, sin } = twiddlesOf(n);
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len *= 2) {
    const half = len / 2;
    const stride = n / len;
    for (let start = 0; start < n; start += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * stride]!;
        const wi = sign * sin[k * stride]!;
        const a = start + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] = re[i]! / n;
      im[i] = im[i]! / n;
    }
  }
}

/**
 * 2D FFT in place of a `rows x cols` complex array in C order (both powers of two): rows first, then
 * columns.
 */
export function fft2(re: Float64Array, im: Float64Array, rows: number, cols: number, inverse = false): void {
  const r = new Float64Array(cols);
  const i = new Float64Array(cols);
  for (let y = 0; y < rows; y++) {
    r.set(re.subarray(y * cols, (y + 1) * cols));
    i.set(im.subarray(y * cols, (y + 1) * cols));
    fft(r, i, inverse);
    re.set(r, y * cols);
    im.set(i, y * cols);
  }
  const cr = new Float64Array(rows);
  const ci = new Float64Array(rows);
  for (let x = 0; x < cols; x++) {
    for (let y = 0; y < rows; y++) {
      cr[y] = re[y * cols + x]!;
      ci[y] = im[y * cols + x]!;
    }
    fft(cr, ci, inverse);
    for (let y = 0; y < rows; y++) {
      re[y * cols + x] = cr[y]!;
      im[y * cols + x] = ci[y]!;
    }
  }
}

/**
 * Previews for people: a slice of an image as a grayscale PNG with connected components painted
 * over it in distinct colours. Used by `voxelflow demo`, and later by the dashboard and notebooks.
 */
import pngjs from 'pngjs';
import type { TypedArray } from './dtype.js';

/** A distinct, stable colour per label (golden-ratio hue walk). */
export function labelColor(label: number): [number, number, number] {
  const h = (label * 0.618033988749895) % 1;
  const s = 0.75, v = 0.95;
  const i = Math.floor(h * 6), f = h * 6 - i;
  const p = v * (1 - s), q = v * (1 - f * s), t = v * (1 - (1 - f) * s);
  const [r, g, b] = [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]][i % 6] as [number, number, number];
  return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)];
}

/**
 * RGB PNG of a `height x width` slice: intensities scaled between their 1st and 99th percentile,
 * labels (0 = none) blended on top with `alpha`.
 */
export function overlayPng(gray: TypedArray, labels: Uint32Array | null, width: number, height: number, alpha = 0.5): Buffer {
  const n = width * height;
  if (gray.length < n || (labels !== null && labels.length < n)) throw new RangeError(`overlayPng: slice arrays must hold ${width}x${height} voxels`);
  const sorted = Float64Array.from(gray.subarray(0, n)).sort();
  const lo = sorted[Math.floor(0.01 * (n - 1))] as number;
  const hi = sorted[Math.floor(0.99 * (n - 1))] as number;
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const png = new pngjs.PNG({ width, height, colorType: 2 });
  for (let i = 0; i < n; i++) {
    const g = Math.max(0, Math.min(255, ((gray[i] as number) - lo) * scale));
    let r = g, gg = g, b = g;
    const l = labels === null ? 0 : (labels[i] as number);
    if (l !== 0) {
      const c = labelColor(l);
      r = (1 - alpha) * g + alpha * c[0];
      gg = (1 - alpha) * g + alpha * c[1];
      b = (1 - alpha) * g + alpha * c[2];
    }
    const o = i * 4;
    png.data[o] = r;
    png.data[o + 1] = gg;
    png.data[o + 2] = b;
    png.data[o + 3] = 255;
  }
  return pngjs.PNG.sync.write(png, { colorType: 2 });
}

/**
 * A picture of an image for people: a 2D plane (slice or projection) shown through a display window,
 * optionally with connected components painted over it in distinct colours, as PNG bytes for notebooks
 * and the dashboard or a file. 16-bit and float data need a window: `{ min, max }`, or `{ window, level }`
 * as in radiology viewers (`level` is the centre, `window` the width); by default the window spans the
 * 1st to the 99th percentile of the finite values. A constant or all-NaN plane is still a valid PNG.
 *
 * @example
 *   const p = await img.slice(32, { window: { min: 100, max: 1200 } });
 *   p.withLabels(await labels.slice(32)).writePng('slice-32.png');
 */
import { writeFileSync } from 'node:fs';
import pngjs from 'pngjs';
import { ConfigError } from '../../core/index.js';
import type { TypedArray } from '../dtype.js';
import { refuseExisting, writeBeside } from '../io/output-path.js';

/** How values map to gray: `min` → black, `max` → white (or `level ± window / 2`). */
export type DisplayWindow =
  | {
      /** The value shown black (and below). */
      readonly min: number;
      /** The value shown white (and above). */
      readonly max: number;
    }
  | {
      /** Width of the range shown in gray levels. */
      readonly window: number;
      /** Centre of that range. */
      readonly level: number;
    }
  | 'auto';

/** A distinct, stable colour per label (golden-ratio hue walk). */
export function labelColor(label: number): [number, number, number] {
  const h = (label * 0.618033988749895) % 1;
  const s = 0.75, v = 0.95;
  const i = Math.floor(h * 6), f = h * 6 - i;
  const p = v * (1 - s), q = v * (1 - f * s), t = v * (1 - (1 - f) * s);
  const [r, g, b] = [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]][i % 6] as [number, number, number];
  return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)];
}

/** The `[black, white]` values of a window over `values`. */
export function windowRange(values: TypedArray, window: DisplayWindow): [number, number] {
  if (window !== 'auto') {
    const [lo, hi] = 'min' in window ? [window.min, window.max] : [window.level - window.window / 2, window.level + window.window / 2];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) {
      throw new ConfigError('window', `display window must have finite bounds with min <= max (window >= 0), got [${lo}, ${hi}]`);
    }
    return [lo, hi];
  }
  const finite = Float64Array.from(values).filter((v) => Number.isFinite(v)).sort();
  if (finite.length === 0) return [0, 0];
  return [finite[Math.floor(0.01 * (finite.length - 1))] as number, finite[Math.floor(0.99 * (finite.length - 1))] as number];
}

/** A 2D picture of an image (`img.slice`, `img.mip`) through a display window, optionally with labels painted over it; gives PNG bytes or a file. */
export class Preview {
  /**
   * `data` is `height x width`, C-order; `labels` (same size, 0 = none) are painted with `alpha`.
   * Use `img.slice(...)` / `img.mip(...)` rather than this constructor.
   */
  constructor(
    /** The plane's values, `height x width`, C order. */
    readonly data: TypedArray,
    /** Columns in pixels. */
    readonly width: number,
    /** Rows in pixels. */
    readonly height: number,
    /** How values map to gray (default 'auto': 1st to 99th percentile of the finite values). */
    readonly window: DisplayWindow = 'auto',
    /** Labels painted over the picture (same size, 0 = none), or null. */
    readonly labels: Uint32Array | null = null,
    /** Opacity of the label colours, 0..1 (default 0.5). */
    readonly alpha = 0.5,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new ConfigError('width', `a preview needs a width and height >= 1, got ${width} x ${height}`);
    }
    if (data.length < width * height || (labels !== null && labels.length < width * height)) {
      throw new ConfigError('values', `preview arrays must hold ${width} x ${height} values`);
    }
    if (!(alpha >= 0 && alpha <= 1)) throw new ConfigError('alpha', `label alpha must be in [0, 1], got ${alpha}`);
  }

  /** The same picture with `labels` (a preview of a labeled image, or its plane) painted over it. */
  withLabels(labels: Preview | Uint32Array, alpha = this.alpha): Preview {
    const plane = labels instanceof Preview ? labels.data : labels;
    if (labels instanceof Preview && (labels.width !== this.width || labels.height !== this.height)) {
      throw new ConfigError('labels', `labels are ${labels.width} x ${labels.height}, the image ${this.width} x ${this.height}: take both planes the same way`);
    }
    if (!(plane instanceof Uint32Array)) throw new ConfigError('labels', 'labels must be a u32 plane (a slice of a labeled image)');
    return new Preview(this.data, this.width, this.height, this.window, plane, alpha);
  }

  /** The same picture through another display window. */
  withWindow(window: DisplayWindow): Preview {
    windowRange(this.data, window);
    return new Preview(this.data, this.width, this.height, window, this.labels, this.alpha);
  }

  /** The `[black, white]` values this preview uses. */
  range(): [number, number] {
    return windowRange(this.data.subarray(0, this.width * this.height), this.window);
  }

  /** RGB PNG bytes. */
  png(): Buffer {
    const n = this.width * this.height;
    const [lo, hi] = this.range();
    const span = hi - lo;
    const img = new pngjs.PNG({ width: this.width, height: this.height, colorType: 2 });
    const a = this.alpha;
    for (let i = 0; i < n; i++) {
      const v = this.data[i] as number;
      // Below the window (and NaN) black, above white; a window of zero width splits at its value.
      const g = v !== v ? 0 : span === 0 ? (v > lo ? 255 : 0) : Math.max(0, Math.min(255, Math.round(((v - lo) * 255) / span)));
      let r = g, gg = g, b = g;
      const l = this.labels === null ? 0 : (this.labels[i] as number);
      if (l !== 0) {
        const c = labelColor(l);
        r = Math.round((1 - a) * g + a * c[0]);
        gg = Math.round((1 - a) * g + a * c[1]);
        b = Math.round((1 - a) * g + a * c[2]);
      }
      const o = i * 4;
      img.data[o] = r;
      img.data[o + 1] = gg;
      img.data[o + 2] = b;
      img.data[o + 3] = 255;
    }
    return pngjs.PNG.sync.write(img, { colorType: 2 });
  }

  /**
   * Writes the PNG to `path` atomically (a temporary name, then a rename). An existing file is
   * replaced only with `{ overwrite: true }` (ImageFormatError otherwise), as every output is.
   */
  writePng(path: string, options: { readonly overwrite?: boolean } = {}): void {
    refuseExisting(path, 'png', options.overwrite);
    writeBeside(path, 'png', options.overwrite, (temp) => {
      try {
        writeFileSync(temp, this.png());
      } catch (err) {
        throw new Error(`cannot write ${path}: ${(err as Error).message.split('\n')[0]}`);
      }
    });
  }
}

/** RGB PNG of a `height x width` plane with labels painted over it (the demo's slice). */
export function overlayPng(gray: TypedArray, labels: Uint32Array | null, width: number, height: number, alpha = 0.5): Buffer {
  return new Preview(gray, width, height, 'auto', labels, alpha).png();
}

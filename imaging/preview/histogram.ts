/**
 * Histogram of an image's values, computed per block and summed: equal-width bins over `range` (default
 * the image's finite minimum and maximum, one more job), as `numpy.histogram`: bins are half-open
 * `[a, b)` except the last, which includes its right edge; values outside the range are not counted; NaN
 * is counted apart.
 *
 * @example
 *   const h = await img.histogram({ bins: 64 });
 *   h.counts.reduce((a, b) => a + b); // voxels in range
 */
import { ConfigError, namedFunction, type RDD } from '../../core/index.js';
import type { Block } from '../block.js';

/** Options of `img.histogram`. */
export interface HistogramOptions {
  /** Number of bins (default 256). */
  readonly bins?: number;
  /** `[low, high]` of the bins; default the finite minimum and maximum of the image. */
  readonly range?: readonly [number, number];
}

/** What `img.histogram` returns: numpy.histogram's bins and counts, plus what fell in no bin. */
export interface Histogram {
  /** `bins + 1` bin edges. */
  readonly edges: Float64Array;
  /** Voxels per bin (`bins` of them). */
  readonly counts: Float64Array;
  /** Voxels that are NaN (never in a bin). */
  readonly nan: number;
  /** Voxels outside the range (and infinite ones when the range is the data's). */
  readonly outside: number;
}

interface Extent {
  readonly min: number;
  readonly max: number;
}

/** Finite minimum and maximum of each block. */
export const blockExtent = namedFunction(
  'imaging.blockExtent',
  (blocks: Iterable<Block>): Extent[] => {
    let min = Infinity;
    let max = -Infinity;
    for (const b of blocks) {
      const d = b.data;
      for (let i = 0; i < d.length; i++) {
        const v = d[i] as number;
        if (v < min && v !== -Infinity) min = v;
        if (v > max && v !== Infinity) max = v;
      }
    }
    return [{ min, max }];
  },
  import.meta.url,
);

/** Counts of each block: `bins` bin counts, then NaN, then outside. */
export const blockHistogram = namedFunction(
  'imaging.blockHistogram',
  (blocks: Iterable<Block>, env: { readonly edges: Float64Array }): Float64Array[] => {
    const edges = env.edges;
    const bins = edges.length - 1;
    const lo = edges[0] as number;
    const hi = edges[bins] as number;
    const counts = new Float64Array(bins + 2);
    const norm = bins / (hi - lo);
    for (const b of blocks) {
      const d = b.data;
      for (let i = 0; i < d.length; i++) {
        const v = d[i] as number;
        if (v !== v) counts[bins]!++;
        else if (v < lo || v > hi) counts[bins + 1]!++;
        else {
          // numpy's bin choice: scaled index, then corrected against the edges themselves.
          let k = Math.floor((v - lo) * norm);
          if (k === bins) k--;
          if (v < (edges[k] as number)) k--;
          else if (k !== bins - 1 && v >= (edges[k + 1] as number)) k++;
          counts[k]!++;
        }
      }
    }
    return [counts];
  },
  import.meta.url,
);

/** The histogram of the image whose blocks are `blocks`. */
export async function histogram(blocks: RDD<Block>, options: HistogramOptions = {}): Promise<Histogram> {
  const bins = options.bins ?? 256;
  if (!Number.isInteger(bins) || bins < 1) throw new ConfigError('bins', `histogram: bins must be a whole number >= 1, got ${bins}`);
  let lo: number;
  let hi: number;
  if (options.range !== undefined) {
    [lo, hi] = options.range;
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) throw new ConfigError('range', `histogram: range must be [low, high] with finite low <= high, got [${lo}, ${hi}]`);
  } else {
    const extents = await blocks.mapPartitions(blockExtent).collect();
    lo = Math.min(...extents.map((e) => e.min));
    hi = Math.max(...extents.map((e) => e.max));
    if (!Number.isFinite(lo)) [lo, hi] = [0, 1]; // no finite value at all: every voxel is NaN or infinite
  }
  if (hi === lo) [lo, hi] = [lo - 0.5, hi + 0.5]; // a constant image: one value in the middle bin (numpy does the same)
  // numpy.linspace's edges: i * step + lo, the last one exactly hi.
  const edges = new Float64Array(bins + 1);
  const step = (hi - lo) / bins;
  for (let i = 0; i < bins; i++) edges[i] = i * step + lo;
  edges[bins] = hi;
  const parts = await blocks.mapPartitions(blockHistogram, { edges }).collect();
  const total = new Float64Array(bins + 2);
  for (const p of parts) for (let i = 0; i < total.length; i++) total[i]! += p[i] as number;
  return { edges, counts: total.slice(0, bins), nan: total[bins] as number, outside: total[bins + 1] as number };
}

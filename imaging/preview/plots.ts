/**
 * Plots people would rather look at than read, as standalone SVG: the histogram of an image, and the size
 * distribution of connected components (voxel counts in logarithmic bins). Bars, axes with tick labels,
 * a title; no scripts, no external fonts or styles, so the SVG embeds anywhere (dashboard, notebook,
 * report).
 *
 * @example
 *   writeFileSync('hist.svg', histogramSvg(await img.histogram({ bins: 64 }), { title: 'intensity', logY: true }));
 *   writeFileSync('sizes.svg', sizeDistributionSvg((await labels.shapeStats()).map((r) => r.voxels)));
 */
import { ConfigError } from '../../core/index.js';
import type { Histogram } from './histogram.js';

/** Options of the SVG plots. */
export interface PlotOptions {
  /** Title above the plot (default none; the size distribution's says how many components). */
  readonly title?: string;
  /** Label under the x axis (default 'value', or the size distribution's). */
  readonly xLabel?: string;
  /** Width of the SVG in pixels (default 640). */
  readonly width?: number;
  /** Height of the SVG in pixels (default 360). */
  readonly height?: number;
  /** Counts on a log10 axis (bars of 0 stay empty). */
  readonly logY?: boolean;
}

/** Bars over bin edges. */
interface Bars {
  readonly edges: ArrayLike<number>;
  readonly counts: ArrayLike<number>;
  /** Edges are powers of ten (label them as such). */
  readonly logX: boolean;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A short label for a tick value. */
function tick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  return Number.isInteger(v) ? String(v) : v.toPrecision(3).replace(/\.?0+$/, '');
}

function barChart(bars: Bars, o: PlotOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 360;
  const m = { left: 64, right: 16, top: o.title === undefined ? 16 : 36, bottom: 48 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const n = bars.counts.length;
  const ys = Array.from(bars.counts, (c) => (o.logY === true ? (c > 0 ? Math.log10(c) + 1 : 0) : c));
  const top = Math.max(1e-12, ...ys);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  if (o.title !== undefined) out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(o.title)}</text>`);
  const bw = w / Math.max(1, n);
  for (let i = 0; i < n; i++) {
    const bh = (h * (ys[i] as number)) / top;
    const count = bars.counts[i] as number;
    const lo = bars.logX ? 10 ** (bars.edges[i] as number) : (bars.edges[i] as number);
    const hi = bars.logX ? 10 ** (bars.edges[i + 1] as number) : (bars.edges[i + 1] as number);
    out.push(
      `<rect x="${(m.left + i * bw).toFixed(2)}" y="${(m.top + h - bh).toFixed(2)}" width="${Math.max(0.5, bw - (bw > 3 ? 1 : 0)).toFixed(2)}" height="${bh.toFixed(2)}" fill="#3b7dd8"><title>[${tick(lo)}, ${tick(hi)}): ${count}</title></rect>`,
    );
  }
  // Axes and five ticks on each.
  out.push(`<line x1="${m.left}" y1="${m.top + h}" x2="${m.left + w}" y2="${m.top + h}" stroke="black"/>`);
  out.push(`<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + h}" stroke="black"/>`);
  const e0 = bars.edges[0] as number;
  const e1 = bars.edges[n] as number;
  for (let t = 0; t <= 4; t++) {
    const x = m.left + (w * t) / 4;
    const v = e0 + ((e1 - e0) * t) / 4;
    out.push(`<text x="${x.toFixed(1)}" y="${m.top + h + 16}" text-anchor="middle">${escapeXml(bars.logX ? tick(Math.round(10 ** v)) : tick(v))}</text>`);
    const y = m.top + h - (h * t) / 4;
    const c = (top * t) / 4;
    const label = o.logY === true ? (c <= 0 ? '0' : tick(Math.round(10 ** (c - 1)))) : tick(Math.round(c * 100) / 100);
    out.push(`<text x="${m.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${escapeXml(label)}</text>`);
  }
  if (o.xLabel !== undefined) out.push(`<text x="${m.left + w / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  out.push('</svg>');
  return out.join('\n');
}

/** The histogram of an image (`img.histogram()`) as SVG. */
export function histogramSvg(h: Histogram, options: PlotOptions = {}): string {
  return barChart({ edges: h.edges, counts: h.counts, logX: false }, { xLabel: 'value', ...options });
}

/** Component sizes in `bins` logarithmic bins from 1 voxel to the largest: edges are log10 of voxel counts. */
export function sizeDistribution(sizes: readonly number[], bins = 20): {
  /** `bins + 1` edges, log10 of voxel counts, from 0 (1 voxel). */
  readonly log10Edges: Float64Array;
  /** Components per bin. */
  readonly counts: Float64Array;
} {
  if (!Number.isInteger(bins) || bins < 1) throw new ConfigError('bins', `bins must be a whole number >= 1, got ${bins}`);
  const largest = sizes.reduce((a, b) => Math.max(a, b), 1);
  const top = largest > 1 ? Math.log10(largest) : 1; // the last bin includes the largest
  const log10Edges = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i++) log10Edges[i] = (top * i) / bins;
  const counts = new Float64Array(bins);
  for (const s of sizes) {
    if (!(s >= 1)) continue;
    counts[Math.min(bins - 1, Math.floor((Math.log10(s) / top) * bins))]!++;
  }
  return { log10Edges, counts };
}

/** The size distribution of components (voxel counts, e.g. `shapeStats().map((r) => r.voxels)`) as SVG. */
export function sizeDistributionSvg(sizes: readonly number[], options: PlotOptions & { readonly bins?: number } = {}): string {
  const d = sizeDistribution(sizes, options.bins ?? 20);
  return barChart({ edges: d.log10Edges, counts: d.counts, logX: true }, { title: `${sizes.length} components`, xLabel: 'voxels per component (log scale)', ...options });
}

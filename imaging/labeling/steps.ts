/**
 * The per-record functions of block labeling. They need imports, so they are shipped by name (the
 * worker loads this module) instead of as source text. Every record is one block or one block pair
 * carrying typed arrays, never one record per voxel or per label.
 */
import { namedFunction } from '../../core/index.js';
import type { Vec3 } from '../box.js';
import { layerPairs, type Layer } from './boundary.js';
import type { BlockLabels } from './local-labels.js';
import { F, mergeRows, ROW } from './partials.js';
import type { StatsRows } from './shape-table.js';

/** A block's label count and each label's first voxel (global linear index), label l at l - 1. */
export interface BlockFirsts {
  readonly block: number;
  readonly n: number;
  readonly first: Float64Array;
}

/** Equivalent labels of two neighbouring blocks: [labelInA, labelInB, ...]. */
export interface BlockPairs {
  readonly a: number;
  readonly b: number;
  readonly pairs: Uint32Array;
}

/** A batch of per-label partial rows (row-major, ROW per label) keyed by final label. */
export interface StatsBatch {
  readonly labels: Uint32Array;
  readonly rows: Float64Array;
}

/** The driver's summary of one labeled block (what numbering needs). */
export const blockFirsts = namedFunction(
  'imaging.blockFirsts',
  (r: BlockLabels): BlockFirsts => {
    const start = F.firstIndex * (r.n + 1) + 1;
    return { block: r.block, n: r.n, first: r.partials.slice(start, start + r.n) };
  },
  import.meta.url,
);

/** The boundary layers a labeled block sends to the exchange. */
export const layersOf = namedFunction('imaging.layersOf', (r: BlockLabels): [[number, number], Layer][] => r.layers, import.meta.url);

/** Turns the two layers of a neighbour pair into equivalent label pairs. */
export const pairLayers = namedFunction(
  'imaging.pairLayers',
  (kv: [[number, number], Layer[]], env: { dirs: readonly Vec3[]; k: number }): BlockPairs[] => {
    const [[, di], layers] = kv;
    const a = layers.find((l) => l.side === 0);
    const n = layers.find((l) => l.side === 1);
    if (a === undefined || n === undefined) return [];
    const pairs = layerPairs(a, n, env.dirs[di] as Vec3, env.k);
    return pairs.length === 0 ? [] : [{ a: a.block, b: n.block, pairs }];
  },
  import.meta.url,
);

/**
 * A block's partial rows, relabeled through its lookup table and cut into batches by final-label
 * range (`step` labels per stats partition): [partition, batch].
 */
export const statsBatches = namedFunction(
  'imaging.statsBatches',
  (kv: [BlockLabels, Uint32Array], env: { step: number }): [number, StatsBatch][] => {
    const [r, table] = kv;
    const n = r.n;
    const sizes = new Map<number, number>();
    for (let l = 1; l <= n; l++) {
      const p = Math.floor(((table[l] as number) - 1) / env.step);
      sizes.set(p, (sizes.get(p) ?? 0) + 1);
    }
    const batches = new Map<number, { fill: number; batch: StatsBatch }>();
    for (const [p, size] of sizes) batches.set(p, { fill: 0, batch: { labels: new Uint32Array(size), rows: new Float64Array(size * ROW) } });
    for (let l = 1; l <= n; l++) {
      const label = table[l] as number;
      const slot = batches.get(Math.floor((label - 1) / env.step)) as { fill: number; batch: StatsBatch };
      const i = slot.fill++;
      slot.batch.labels[i] = label;
      for (let f = 0; f < ROW; f++) slot.batch.rows[i * ROW + f] = r.partials[f * (n + 1) + l] as number;
    }
    return [...batches].map(([p, slot]): [number, StatsBatch] => [p, slot.batch]);
  },
  import.meta.url,
);

/** Merges the batches of one stats partition into one batch of rows, labels in order (one record, not one per label). */
export const mergeStatsBatches = namedFunction(
  'imaging.mergeStatsBatches',
  (kv: [number, StatsBatch[]], env: { step: number; count: number }): StatsRows[] => {
    const [p, batches] = kv;
    const lo = p * env.step + 1;
    const width = Math.min(env.step, env.count - lo + 1);
    const merged = new Float64Array(width * ROW);
    const seen = new Uint8Array(width);
    for (const b of batches) {
      for (let i = 0; i < b.labels.length; i++) {
        const j = (b.labels[i] as number) - lo;
        mergeRowInto(merged, j * ROW, b.rows, i * ROW, seen[j] === 0);
        seen[j] = 1;
      }
    }
    return [{ lo, rows: merged }];
  },
  import.meta.url,
);

/** Merges the row at `src[s..]` into `dst[d..]` (copies it when `first`): partials.ts mergeRows on flat arrays. */
function mergeRowInto(dst: Float64Array, d: number, src: Float64Array, s: number, first: boolean): void {
  if (first) {
    dst.set(src.subarray(s, s + ROW), d);
    return;
  }
  for (let i = F.count; i <= F.sumYZ; i++) dst[d + i] = (dst[d + i] as number) + (src[s + i] as number);
  for (let i = F.minX; i <= F.minZ; i++) dst[d + i] = Math.min(dst[d + i] as number, src[s + i] as number);
  for (let i = F.maxX; i <= F.maxZ; i++) dst[d + i] = Math.max(dst[d + i] as number, src[s + i] as number);
  dst[d + F.sumI] = (dst[d + F.sumI] as number) + (src[s + F.sumI] as number);
  dst[d + F.firstIndex] = Math.min(dst[d + F.firstIndex] as number, src[s + F.firstIndex] as number);
}

/** Merges two partial rows of one component (reduceByKey; the 'propagate' method). */
export const mergeRowsFn = namedFunction('imaging.mergeRows', (a: Float64Array, b: Float64Array): Float64Array => mergeRows(a, b), import.meta.url);

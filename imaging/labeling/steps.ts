/**
 * The per-record functions of block labeling. They need imports, so they are shipped by name (the
 * worker loads this module) instead of as source text.
 */
import { namedFunction } from '../../core/index.js';
import type { Vec3 } from '../box.js';
import { layerEdges, type Layer } from './boundary.js';
import type { LocalLabels } from './local-labels.js';
import { ID_BASE, mergeRows, ROW } from './partials.js';

/** Turns the two layers of a neighbour pair into equivalent id pairs. */
export const pairEdges = namedFunction(
  'imaging.pairEdges',
  (kv: [[number, number], Layer[]], env: { dirs: readonly Vec3[]; k: number }): [number, number][] => {
    const [[, di], layers] = kv;
    const a = layers.find((l) => l.side === 0);
    const n = layers.find((l) => l.side === 1);
    if (a === undefined || n === undefined) return [];
    return layerEdges(a, n, env.dirs[di] as Vec3, env.k);
  },
  import.meta.url,
);

/** One record per provisional label: [id, partial row]. */
export const labelRows = namedFunction(
  'imaging.labelRows',
  (r: LocalLabels): [number, Float64Array][] => {
    const out: [number, Float64Array][] = [];
    for (let l = 1; l <= r.n; l++) out.push([r.block * ID_BASE + l, r.rows.slice((l - 1) * ROW, l * ROW)]);
    return out;
  },
  import.meta.url,
);

/** Merges two partial rows of one component (reduceByKey). */
export const mergeRowsFn = namedFunction('imaging.mergeRows', (a: Float64Array, b: Float64Array): Float64Array => mergeRows(a, b), import.meta.url);

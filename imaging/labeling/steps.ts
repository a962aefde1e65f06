/**
 * The per-record functions of block labeling. They need imports, so they are shipped by name (the
 * worker loads this module) instead of as source text.
 */
import { namedFunction } from '../../core/index.js';
import type { Vec3 } from '../box.js';
import { layerEdges, layerFacing, type Layer } from './boundary.js';
import { ID_BASE, type LocalLabels } from './local-labels.js';
import { mergeRows, ROW } from './partials.js';

export interface LayerEnv {
  readonly dirs: readonly Vec3[];
  readonly counts: Vec3;
}

/** Emits, for each neighbour pair this block belongs to, the layer facing the other block. */
export const emitLayers = namedFunction(
  'imaging.emitLayers',
  (r: LocalLabels, env: LayerEnv): [[number, number], Layer][] => {
    const out: [[number, number], Layer][] = [];
    const [cz, cy, cx] = env.counts;
    const number = (i: Vec3) => (i[0] * cy + i[1]) * cx + i[2];
    env.dirs.forEach((d, di) => {
      const up: Vec3 = [r.index[0] + d[0], r.index[1] + d[1], r.index[2] + d[2]];
      if (up[0] >= 0 && up[1] >= 0 && up[2] >= 0 && up[0] < cz && up[1] < cy && up[2] < cx) {
        out.push([[r.block, di], layerFacing(r, d, 0)]);
      }
      const down: Vec3 = [r.index[0] - d[0], r.index[1] - d[1], r.index[2] - d[2]];
      if (down[0] >= 0 && down[1] >= 0 && down[2] >= 0 && down[0] < cz && down[1] < cy && down[2] < cx) {
        out.push([[number(down), di], layerFacing(r, [-d[0], -d[1], -d[2]], 1)]);
      }
    });
    return out;
  },
  import.meta.url,
);

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

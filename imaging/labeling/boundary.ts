/**
 * Step 2 of block labeling: equivalences across block boundaries. For every pair of neighbouring
 * blocks (A, N = A + d, d one of the 13 "positive" directions that the connectivity allows), A sends
 * the layer of its labels facing N and N the layer facing A, both under the key [A, d]; the pair
 * then yields (idA, idN) for every two foreground voxels that touch across the boundary.
 */
import type { Vec3 } from '../box.js';
import { ID_BASE } from './partials.js';

/** Directions d with first non-zero component positive, at most `k` non-zero components. */
export function positiveDirections(k: number, planar: boolean): Vec3[] {
  const out: Vec3[] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const d: Vec3 = [dz, dy, dx];
        const first = d.find((c) => c !== 0);
        const nnz = d.filter((c) => c !== 0).length;
        if (first === undefined || first < 0 || nnz > k || (planar && dz !== 0)) continue;
        out.push(d);
      }
  return out;
}

/** Max number of coordinates in which two connected voxels may differ. */
export function reach(connectivity: number): number {
  return connectivity === 4 || connectivity === 6 ? 1 : connectivity === 8 || connectivity === 18 ? 2 : 3;
}

/** A layer of global ids facing direction e (+1: last layer, -1: first layer, 0: whole extent). */
export interface Layer {
  readonly side: 0 | 1;
  readonly shape: Vec3;
  readonly ids: Float64Array;
}

export function layerFacing(labels: Uint32Array, blockShape: Vec3, block: number, e: Vec3, side: 0 | 1): Layer {
  const lo = e.map((c, a) => (c === 1 ? (blockShape[a] as number) - 1 : 0)) as Vec3;
  const shape = e.map((c, a) => (c === 0 ? (blockShape[a] as number) : 1)) as Vec3;
  const ids = new Float64Array(shape[0] * shape[1] * shape[2]);
  const base = block * ID_BASE;
  const [, by, bx] = blockShape;
  let i = 0;
  for (let z = 0; z < shape[0]; z++)
    for (let y = 0; y < shape[1]; y++)
      for (let x = 0; x < shape[2]; x++, i++) {
        const l = labels[((lo[0] + z) * by + (lo[1] + y)) * bx + (lo[2] + x)] as number;
        ids[i] = l === 0 ? 0 : base + l;
      }
  return { side, shape, ids };
}

/**
 * The layers block `block` (grid index `index`) sends: for each allowed direction d toward an existing
 * neighbour, keyed by the pair [lower block, d's index] that both sides of the pair use.
 */
export function blockLayers(labels: Uint32Array, blockShape: Vec3, block: number, index: Vec3, counts: Vec3, dirs: readonly Vec3[]): [[number, number], Layer][] {
  const out: [[number, number], Layer][] = [];
  const [cz, cy, cx] = counts;
  const inside = (i: Vec3) => i[0] >= 0 && i[1] >= 0 && i[2] >= 0 && i[0] < cz && i[1] < cy && i[2] < cx;
  dirs.forEach((d, di) => {
    const up: Vec3 = [index[0] + d[0], index[1] + d[1], index[2] + d[2]];
    if (inside(up)) out.push([[block, di], layerFacing(labels, blockShape, block, d, 0)]);
    const down: Vec3 = [index[0] - d[0], index[1] - d[1], index[2] - d[2]];
    if (inside(down)) out.push([[(down[0] * cy + down[1]) * cx + down[2], di], layerFacing(labels, blockShape, block, [-d[0], -d[1], -d[2]], 1)]);
  });
  return out;
}

/** Equivalent id pairs between A's layer and N's layer for direction d. */
export function layerEdges(a: Layer, n: Layer, d: Vec3, k: number): [number, number][] {
  const free = d.filter((c) => c === 0).length;
  const budget = k - (3 - free);
  const offsets: Vec3[] = [];
  for (let oz = -1; oz <= 1; oz++)
    for (let oy = -1; oy <= 1; oy++)
      for (let ox = -1; ox <= 1; ox++) {
        const o: Vec3 = [oz, oy, ox];
        if (o.some((c, i) => c !== 0 && d[i] !== 0)) continue;
        if (o.filter((c) => c !== 0).length > budget) continue;
        offsets.push(o);
      }
  const [sz, sy, sx] = a.shape;
  const seen = new Map<number, Set<number>>();
  const out: [number, number][] = [];
  let i = 0;
  for (let z = 0; z < sz; z++)
    for (let y = 0; y < sy; y++)
      for (let x = 0; x < sx; x++, i++) {
        const ia = a.ids[i] as number;
        if (ia === 0) continue;
        for (const o of offsets) {
          const qz = z + o[0], qy = y + o[1], qx = x + o[2];
          if (qz < 0 || qy < 0 || qx < 0 || qz >= sz || qy >= sy || qx >= sx) continue;
          const ib = n.ids[(qz * sy + qy) * sx + qx] as number;
          if (ib === 0) continue;
          let s = seen.get(ia);
          if (s === undefined) seen.set(ia, (s = new Set()));
          if (s.has(ib)) continue;
          s.add(ib);
          out.push(ia < ib ? [ia, ib] : [ib, ia]);
        }
      }
  return out;
}

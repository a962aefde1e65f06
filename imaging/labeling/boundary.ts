/**
 * Step 2 of block labeling: equivalences across block boundaries. For every pair of neighbouring
 * blocks (A, N = A + d, d one of the 13 "positive" directions that the connectivity allows), A sends
 * the layer of its local labels facing N and N the layer facing A, both under the key [A, d]; the
 * pair then yields (label in A, label in N) for every two foreground voxels that touch across the
 * boundary. Layers are typed arrays (a face, an edge line or a corner voxel), never one record per
 * voxel; the pairs come back as one Uint32Array per block pair.
 */
import type { Vec3 } from '../box.js';
import { kernels } from '../kernels/dispatch.js';
import { CONNECTIVITY_REACH, type Connectivity } from '../kernels/index.js';

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
  return CONNECTIVITY_REACH[connectivity as Connectivity] ?? 3;
}

/** Local labels of a layer, in the narrowest type that holds the block's label count. */
export type LayerLabels = Uint8Array | Uint16Array | Uint32Array;

/** A layer of local labels facing direction e (+1: last layer, -1: first layer, 0: whole extent). */
export interface Layer {
  /** 0: the lower block A of the pair, 1: its neighbour A + d. */
  readonly side: 0 | 1;
  readonly block: number;
  readonly shape: Vec3;
  readonly labels: LayerLabels;
}

/** An array of `length` that holds labels up to `n`: the exchange moves 1 or 2 bytes a voxel, not 4. */
export function labelArray(n: number, length: number): LayerLabels {
  return n < 2 ** 8 ? new Uint8Array(length) : n < 2 ** 16 ? new Uint16Array(length) : new Uint32Array(length);
}

/** Copies the layer of `labels` (a block of `blockShape` with labels 1..n) that faces direction `e`. */
export function layerFacing(labels: Uint32Array, n: number, blockShape: Vec3, block: number, e: Vec3, side: 0 | 1): Layer {
  const lo = e.map((c, a) => (c === 1 ? (blockShape[a] as number) - 1 : 0)) as Vec3;
  const shape = e.map((c, a) => (c === 0 ? (blockShape[a] as number) : 1)) as Vec3;
  const out = labelArray(n, shape[0] * shape[1] * shape[2]);
  const [, by, bx] = blockShape;
  let i = 0;
  for (let z = 0; z < shape[0]; z++)
    for (let y = 0; y < shape[1]; y++) {
      const row = ((lo[0] + z) * by + (lo[1] + y)) * bx + lo[2];
      if (shape[2] > 1) {
        out.set(labels.subarray(row, row + shape[2]), i);
        i += shape[2];
      } else out[i++] = labels[row] as number;
    }
  return { side, block, shape, labels: out };
}

/**
 * The layers block `block` (grid index `index`, `counts` blocks per axis) sends: for each allowed
 * direction d toward an existing neighbour, keyed by the pair [lower block, d's index] that both sides
 * of the pair use.
 */
export function blockLayers(labels: Uint32Array, n: number, blockShape: Vec3, block: number, index: Vec3, counts: Vec3, dirs: readonly Vec3[]): [[number, number], Layer][] {
  const out: [[number, number], Layer][] = [];
  const [cz, cy, cx] = counts;
  const inside = (i: Vec3) => i[0] >= 0 && i[1] >= 0 && i[2] >= 0 && i[0] < cz && i[1] < cy && i[2] < cx;
  dirs.forEach((d, di) => {
    const up: Vec3 = [index[0] + d[0], index[1] + d[1], index[2] + d[2]];
    if (inside(up)) out.push([[block, di], layerFacing(labels, n, blockShape, block, d, 0)]);
    const down: Vec3 = [index[0] - d[0], index[1] - d[1], index[2] - d[2]];
    if (inside(down)) out.push([[(down[0] * cy + down[1]) * cx + down[2], di], layerFacing(labels, n, blockShape, block, [-d[0], -d[1], -d[2]], 1)]);
  });
  return out;
}

/** Offsets within a layer under which two voxels across direction d touch, for reach `k`, as flat [oz, oy, ox] triples. */
function layerOffsets(d: Vec3, k: number): Int32Array {
  const budget = k - d.filter((c) => c !== 0).length;
  const offsets: number[] = [];
  for (let oz = -1; oz <= 1; oz++)
    for (let oy = -1; oy <= 1; oy++)
      for (let ox = -1; ox <= 1; ox++) {
        const o: Vec3 = [oz, oy, ox];
        if (o.some((c, i) => c !== 0 && d[i] !== 0)) continue;
        if (o.filter((c) => c !== 0).length > budget) continue;
        offsets.push(oz, oy, ox);
      }
  return Int32Array.from(offsets);
}

/**
 * Distinct pairs (label in A, label in N) of foreground voxels that touch across direction d, as
 * [a0, n0, a1, n1, ...] sorted by a then n (kernels.facePairs).
 */
export function layerPairs(a: Layer, n: Layer, d: Vec3, k: number): Uint32Array {
  return kernels.facePairs(a.labels, n.labels, a.shape, layerOffsets(d, k));
}

/**
 * The boundary exchange's pairing (imaging/labeling/boundary.ts layerPairs) against a brute-force
 * reference: for random layers facing every direction, every reach, and labels small enough to pack
 * into one float64 key or too large for it (the exact fallback), the distinct touching pairs, sorted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { Vec3 } from '../../imaging/box.js';
import { typescriptKernels } from '../../imaging/kernels/dispatch.js';
import { layerPairs, positiveDirections, type Layer } from '../../imaging/labeling/boundary.js';
import { check } from '../helpers/model.js';
import { rng } from './helpers.js';

/** A layer of `shape` with labels in 1..max at density 0.4 (0 elsewhere), u8, u16 or u32 (u32 for big labels). */
function randomLayer(shape: Vec3, side: 0 | 1, seed: number, max: number, big: boolean): Layer {
  const next = rng(seed);
  const voxels = shape[0] * shape[1] * shape[2];
  // Every label type the block pass keeps (a and n get different ones: their seeds differ by one).
  const labels = big ? new Uint32Array(voxels) : seed % 3 === 0 ? new Uint8Array(voxels) : seed % 3 === 1 ? new Uint16Array(voxels) : new Uint32Array(voxels);
  for (let i = 0; i < labels.length; i++) if (next() < 0.4) labels[i] = (big ? 2 ** 31 : 0) + 1 + Math.floor(next() * max);
  return { side, block: side, shape, labels };
}

/** Every (a, n) of foreground voxels whose positions differ by an offset allowed across d with reach k. */
function bruteForce(a: Layer, n: Layer, d: Vec3, k: number): number[] {
  const [sz, sy, sx] = a.shape;
  const seen = new Set<string>();
  const out: [number, number][] = [];
  for (let z = 0; z < sz; z++)
    for (let y = 0; y < sy; y++)
      for (let x = 0; x < sx; x++)
        for (let qz = 0; qz < sz; qz++)
          for (let qy = 0; qy < sy; qy++)
            for (let qx = 0; qx < sx; qx++) {
              const o = [qz - z, qy - y, qx - x];
              if (o.some((c) => Math.abs(c) > 1)) continue;
              // the step between the voxels is d + o: within the neighbourhood of reach k
              if (d.map((c, i) => c + (o[i] as number)).filter((c) => c !== 0).length > k) continue;
              if (d.some((c, i) => c !== 0 && o[i] !== 0)) continue;
              const la = a.labels[(z * sy + y) * sx + x] as number;
              const ln = n.labels[(qz * sy + qy) * sx + qx] as number;
              if (la === 0 || ln === 0 || seen.has(`${la},${ln}`)) continue;
              seen.add(`${la},${ln}`);
              out.push([la, ln]);
            }
  out.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  return out.flat();
}

const dirs = positiveDirections(3, false);

/** The offsets across direction d for reach k, written out here from the definition: in-layer moves that keep d's axes fixed, with at most k - |d| non-zero steps. */
function layerOffsetsOf(d: Vec3, k: number): number[] {
  const out: number[] = [];
  const budget = k - d.filter((c) => c !== 0).length;
  for (let oz = -1; oz <= 1; oz++)
    for (let oy = -1; oy <= 1; oy++)
      for (let ox = -1; ox <= 1; ox++) {
        const o = [oz, oy, ox];
        if (o.some((c, i) => c !== 0 && d[i] !== 0) || o.filter((c) => c !== 0).length > budget) continue;
        out.push(oz, oy, ox);
      }
  return out;
}

describe('layerPairs', () => {
  it('gives the distinct touching label pairs, sorted, for every direction and reach, packed or not', () =>
    check(
      fc.property(
        fc.integer({ min: 0, max: dirs.length - 1 }),
        fc.constantFrom(1, 2, 3),
        fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 })),
        fc.integer({ min: 1, max: 2 ** 20 }),
        fc.constantFrom(3, 40),
        fc.boolean(),
        (di, k, extent, seed, max, big) => {
          const d = dirs[di] as Vec3;
          if (d.filter((c) => c !== 0).length > k) return;
          const shape = d.map((c, i) => (c === 0 ? extent[i] : 1)) as Vec3;
          const a = randomLayer(shape, 0, seed, max, big);
          const n = randomLayer(shape, 1, seed + 1, max, big);
          const want = bruteForce(a, n, d, k);
          expect(Array.from(layerPairs(a, n, d, k))).toEqual(want);
          // The TypeScript twin too, whichever backend layerPairs ran on.
          const offsets = Int32Array.from(layerOffsetsOf(d, k));
          expect(Array.from(typescriptKernels.facePairs(a.labels, n.labels, a.shape, offsets))).toEqual(want);
        },
      ),
      200,
    ));
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../core/index.js';
import {
  createPartials,
  deserializePartials,
  labelBlock,
  type LabelPartials,
  labelStats,
  mergePartials,
  PARTIAL_FIELDS,
  serializePartials,
} from '../../../imaging/kernels/index.js';
import { type Shape3, voxelCount } from '../../../imaging/volume.js';
import { cropBox, expectClose, expectSame, randomMask, randomVolume, shape3 } from './fixtures.js';
import { refStats } from './reference.js';

/** Labels a random mask of `shape` with 26-connectivity. */
function randomLabels(shape: Shape3, seed: number, density: number): { labels: Uint32Array; n: number } {
  const labels = new Uint32Array(voxelCount(shape));
  const n = labelBlock(randomMask(shape, seed, density), shape, 26, labels);
  return { labels, n };
}

/** Cuts an image of `shape` into slabs along `axis` at `cuts` and returns the merged partials of the slabs. */
function mergedOverSlabs(labels: Uint32Array, n: number, shape: Shape3, intensity: Float64Array, axis: number, cuts: number[]): LabelPartials {
  const merged = createPartials(n, true);
  const edges = [0, ...cuts.filter((c) => c > 0 && c < shape[axis]!).sort((a, b) => a - b), shape[axis]!];
  for (let k = 0; k + 1 < edges.length; k++) {
    if (edges[k] === edges[k + 1]) continue;
    const origin = [0, 0, 0] as [number, number, number];
    const size = [...shape] as [number, number, number];
    origin[axis] = edges[k]!;
    size[axis] = edges[k + 1]! - edges[k]!;
    const part = labelStats(
      cropBox(labels, shape, origin, size, new Uint32Array(voxelCount(size))),
      n,
      size,
      origin,
      shape,
      cropBox(intensity, shape, origin, size, new Float64Array(voxelCount(size))),
    );
    for (let l = 1; l <= n; l++) mergePartials(merged, l, part, l);
  }
  return merged;
}

describe('labelStats', () => {
  it('matches per-label brute force, in global coordinates', () => {
    const input = fc.tuple(shape3, fc.integer(), fc.double({ min: 0.1, max: 0.9, noNaN: true }), fc.tuple(fc.nat(50), fc.nat(50), fc.nat(50)));
    fc.assert(
      fc.property(input, ([shape, seed, density, origin]) => {
        const { labels, n } = randomLabels(shape, seed, density);
        const imageShape: Shape3 = [shape[0] + origin[0], shape[1] + origin[1], shape[2] + origin[2]];
        const intensity = randomVolume('u16', shape, seed + 1);
        const p = labelStats(labels, n, shape, origin, imageShape, intensity);
        const ref = refStats(labels, n, shape, origin, imageShape, intensity);
        for (let l = 1; l <= n; l++) {
          const r = ref[l]!;
          expect([p.count[l], p.firstIndex[l], p.sumI[l]]).toEqual([r.count, r.firstIndex, r.sumI]);
          expect([p.minX[l], p.minY[l], p.minZ[l]]).toEqual(r.bboxMin);
          expect([p.maxX[l], p.maxY[l], p.maxZ[l]]).toEqual(r.bboxMax);
          expectClose([p.sumX[l]! / r.count, p.sumY[l]! / r.count, p.sumZ[l]! / r.count], r.centroid, 1e-12, 1e-12, 'centroid axis');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('merged over any slab split equals the whole block', () => {
    const input = fc.tuple(shape3, fc.integer(), fc.integer({ min: 0, max: 2 }), fc.array(fc.nat(9), { maxLength: 3 }));
    fc.assert(
      fc.property(input, ([shape, seed, axis, cuts]) => {
        const { labels, n } = randomLabels(shape, seed, 0.5);
        const intensity = randomVolume('i32', shape, seed) as Int32Array;
        const whole = labelStats(labels, n, shape, [0, 0, 0], shape, intensity);
        const merged = mergedOverSlabs(labels, n, shape, Float64Array.from(intensity), axis, cuts);
        expectSame(merged.data, whole.data); // integer sums are exact in any order
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips through its serialized form, including a structured clone', () => {
    const { labels, n } = randomLabels([3, 4, 5], 11, 0.4);
    const p = labelStats(labels, n, [3, 4, 5], [0, 0, 0], [3, 4, 5], null);
    const back = deserializePartials(structuredClone(serializePartials(p)));
    expect(back.n).toBe(n);
    expect(back.hasIntensity).toBe(false);
    for (const f of PARTIAL_FIELDS) expectSame(back[f], p[f], f);
  });

  it('marks empty labels with count 0 and infinite bounds', () => {
    const p = createPartials(2, false);
    expect([p.count[1], p.minX[1], p.maxZ[2], p.firstIndex[1]]).toEqual([0, Infinity, -Infinity, Infinity]);
  });

  it('refuses labels above n, mixed intensity merges and bad serialized data', () => {
    expect(() => labelStats(new Uint32Array([0, 3]), 2, [1, 1, 2], [0, 0, 0], [1, 1, 2], null)).toThrow(/label 3, above n = 2/);
    expect(() => mergePartials(createPartials(1, true), 1, createPartials(1, false), 1)).toThrow(ConfigError);
    expect(() => deserializePartials({ n: 2, hasIntensity: false, data: new Float64Array(5) })).toThrow(/expected a Float64Array of 18 x \(n \+ 1\) = 54 values/);
  });
});

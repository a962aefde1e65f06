import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { labelBlock, labelStats, shapeFromPartials, symmetricEigenvalues3 } from '../../../imaging/kernels/index.js';
import { type Shape3, voxelCount } from '../../../imaging/volume.js';
import { expectClose, randomMask, randomVolume, shape3 } from './fixtures.js';
import { jacobiEigenvalues3, refStats } from './reference.js';

/** The shape row of a single object given as a predicate over [z, y, x] in an image of `shape`. */
function shapeOf(shape: Shape3, inside: (z: number, y: number, x: number) => boolean, intensity: Float32Array | null = null) {
  const labels = new Uint32Array(voxelCount(shape));
  for (let i = 0, z = 0; z < shape[0]; z++) for (let y = 0; y < shape[1]; y++) for (let x = 0; x < shape[2]; x++, i++) labels[i] = inside(z, y, x) ? 1 : 0;
  return shapeFromPartials(labelStats(labels, 1, shape, [0, 0, 0], shape, intensity), 1);
}

/** Population variance of 0, 1, ..., k - 1. */
const spread = (k: number) => (k * k - 1) / 12;

describe('shapeFromPartials', () => {
  it('gives a line one extent and exact zeros for the others', () => {
    const row = shapeOf([1, 1, 3], () => true);
    expect(row.extents).toEqual([Math.sqrt(2 / 3), 0, 0]);
    expect(row.centroid).toEqual([1, 0, 0]);
    const diagonal = shapeOf([5, 5, 5], (z, y, x) => x === y && y === z);
    expectClose(diagonal.extents, [Math.sqrt(3 * spread(5)), 0, 0], 1e-12, 1e-12);
    expect(diagonal.extents.slice(1)).toEqual([0, 0]);
  });

  it('gives a plane two extents and a zero', () => {
    const row = shapeOf([3, 4, 5], (z, y, x) => z === 1 && y >= 1 && x >= 1);
    expect(row.extents).toEqual([Math.sqrt(spread(4)), Math.sqrt(spread(3)), 0]);
    expect(row.bboxMin).toEqual([1, 1, 1]);
    expect(row.bboxMax).toEqual([4, 3, 1]);
    const tilted = shapeOf([6, 6, 1], (z, y) => z === y); // a diagonal plane in y-z, one voxel thick in x
    expect(tilted.extents[1]).toBe(0);
    expect(tilted.extents[2]).toBe(0);
  });

  it('gives a box sqrt((k^2 - 1) / 12) per side', () => {
    const row = shapeOf([3, 5, 8], () => true);
    expectClose(row.extents, [spread(8), spread(5), spread(3)].map(Math.sqrt), 1e-12, 1e-12);
    expect(row.voxels).toBe(120);
  });

  it('recovers the semi-axes of a digital ellipsoid (variance a^2 / 5)', () => {
    const [a, b, c] = [14, 9, 5];
    const row = shapeOf([13, 21, 31], (z, y, x) => ((x - 15) / a) ** 2 + ((y - 10) / b) ** 2 + ((z - 6) / c) ** 2 <= 1);
    expect(row.centroid).toEqual([15, 10, 6]);
    expectClose(row.extents, [a, b, c].map((s) => s / Math.sqrt(5)), 0, 0.04);
  });

  it('averages the intensity, and reports null without one', () => {
    const intensity = new Float32Array([1, 2, 3, 10]);
    expect(shapeOf([1, 1, 4], (_z, _y, x) => x < 3, intensity).meanIntensity).toBe(2);
    expect(shapeOf([1, 1, 4], (_z, _y, x) => x < 3).meanIntensity).toBeNull();
  });

  it('gives a single voxel zero extents', () => {
    expect(shapeOf([2, 2, 2], (z, y, x) => z + y + x === 3).extents).toEqual([0, 0, 0]);
  });

  it('matches two-pass covariance with Jacobi eigenvalues on random components', () => {
    const input = fc.tuple(shape3, fc.integer(), fc.double({ min: 0.2, max: 0.9, noNaN: true }));
    fc.assert(
      fc.property(input, ([shape, seed, density]) => {
        const labels = new Uint32Array(voxelCount(shape));
        const n = labelBlock(randomMask(shape, seed, density), shape, 26, labels);
        const intensity = randomVolume('f32', shape, seed);
        const p = labelStats(labels, n, shape, [0, 0, 0], shape, intensity);
        const ref = refStats(labels, n, shape, [0, 0, 0], shape, intensity);
        for (let l = 1; l <= n; l++) {
          const row = shapeFromPartials(p, l);
          const r = ref[l]!;
          expectClose(row.centroid, r.centroid, 1e-12, 1e-12, 'centroid axis');
          expectClose(row.extents, r.extents, 1e-6, 1e-9, 'extent');
          expectClose([row.meanIntensity!], [r.sumI / r.count], 1e-9, 1e-9, 'mean');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a label without voxels or out of range', () => {
    const p = labelStats(new Uint32Array([1, 0]), 2, [1, 1, 2], [0, 0, 0], [1, 1, 2], null);
    expect(() => shapeFromPartials(p, 2)).toThrow(/label 2 has no voxels/);
    expect(() => shapeFromPartials(p, 3)).toThrow(/label must be an integer in 1..2/);
  });
});

describe('symmetricEigenvalues3', () => {
  const entry = fc.double({ min: -100, max: 100, noNaN: true });
  it('agrees with Jacobi rotations on random covariance matrices (M M^T)', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 9, maxLength: 9 }), (m) => {
        const at = (i: number, j: number) => m[i * 3 + j]!;
        const c = (i: number, j: number) => at(i, 0) * at(j, 0) + at(i, 1) * at(j, 1) + at(i, 2) * at(j, 2);
        const got = symmetricEigenvalues3(c(0, 0), c(1, 1), c(2, 2), c(0, 1), c(0, 2), c(1, 2));
        const want = jacobiEigenvalues3([[c(0, 0), c(0, 1), c(0, 2)], [c(1, 0), c(1, 1), c(1, 2)], [c(2, 0), c(2, 1), c(2, 2)]]);
        expectClose(got, want, 1e-13 * Math.max(1e-300, want[0]), 0, 'eigenvalue');
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the small eigenvalues of cigars and pancakes (rotated diagonals) to ulps of the largest', () => {
    const unit = fc.double({ min: -1, max: 1, noNaN: true });
    const spectrum = fc.constantFrom([1e4, 1e-3, 1e-3], [1e4, 2e-3, 1e-3], [1e4, 1e4, 1], [1, 1 - 1e-9, 0.5], [3, 2, 1], [1, 1, 1], [5, 0, 0], [1e6, 1e6, 0]);
    fc.assert(
      fc.property(fc.tuple(unit, unit, unit, unit).filter((v) => Math.hypot(...v) > 0.1), spectrum, (quat, lambda) => {
        const [w, x, y, z] = quat.map((v) => v / Math.hypot(...quat)) as [number, number, number, number];
        const R = [
          [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
          [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
          [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ];
        const A = (i: number, j: number) => R[i]![0]! * lambda[0]! * R[j]![0]! + R[i]![1]! * lambda[1]! * R[j]![1]! + R[i]![2]! * lambda[2]! * R[j]![2]!;
        const got = symmetricEigenvalues3(A(0, 0), A(1, 1), A(2, 2), A(0, 1), A(0, 2), A(1, 2));
        expectClose(got, lambda, 1e-13 * lambda[0]!, 0, 'eigenvalue');
      }),
      { numRuns: 500 },
    );
  });

  it('handles equal eigenvalues and the zero matrix', () => {
    expect(symmetricEigenvalues3(2, 2, 2, 0, 0, 0)).toEqual([2, 2, 2]);
    expect(symmetricEigenvalues3(0, 0, 0, 0, 0, 0)).toEqual([0, 0, 0]);
    expectClose(symmetricEigenvalues3(2, 2, 2, 1, 1, 1), [4, 1, 1], 1e-12, 1e-12);
    expect(symmetricEigenvalues3(1, 1, 1, 1, 1, 1)).toEqual([3, 0, 0]);
  });
});

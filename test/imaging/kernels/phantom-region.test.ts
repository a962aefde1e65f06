/**
 * The block-wise phantom generators give exactly `blobsAt` / `boneAt` (imaging/phantoms.ts), voxel for
 * voxel and bit for bit (float64 output), for any box: random shapes and origins (negative ones and
 * ones past 2^20 included), blocks spanning many blob and lattice cells, and every output dtype with
 * the conversion of a typed-array store.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { allocate, DTYPES, type DType, type TypedArray } from '../../../imaging/dtype.js';
import { phantomRegion, type HashedPhantom } from '../../../imaging/kernels/phantom-region.js';
import { blobsAt, boneAt } from '../../../imaging/phantoms.js';
import type { Shape3 } from '../../../imaging/volume.js';
import { expectSameVoxels } from '../helpers.js';

type Origin = readonly [number, number, number];

/** The phantom voxel by voxel, stored into `dtype`: what SyntheticNode produced before issue 14.7. */
function reference(kind: HashedPhantom, origin: Origin, shape: Shape3, seed: number, dtype: DType): TypedArray {
  const at = kind === 'bone' ? boneAt : blobsAt;
  const out = allocate(dtype, shape[0] * shape[1] * shape[2]);
  let i = 0;
  for (let z = 0; z < shape[0]; z++)
    for (let y = 0; y < shape[1]; y++)
      for (let x = 0; x < shape[2]; x++) out[i++] = at(origin[2] + x, origin[1] + y, origin[0] + z, seed);
  return out;
}


function generate(kind: HashedPhantom, origin: Origin, shape: Shape3, seed: number, dtype: DType): TypedArray {
  const out = allocate(dtype, shape[0] * shape[1] * shape[2]);
  phantomRegion(kind, origin, shape, seed, out);
  return out;
}

const kinds = fc.constantFrom<HashedPhantom>('blobs', 'bone');
const axis = fc.integer({ min: 1, max: 23 });
const coordinate = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: -100, max: 100 }), fc.integer({ min: (1 << 20) - 50, max: (1 << 20) + 50 }));
const box = fc.record({
  kind: kinds,
  origin: fc.tuple(coordinate, coordinate, coordinate),
  shape: fc.tuple(axis, axis, axis),
  seed: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer()),
});

describe('phantomRegion', () => {
  it('gives the float64 bits of blobsAt / boneAt on random boxes, seeds and origins', () => {
    fc.assert(
      fc.property(box, ({ kind, origin, shape, seed }) => {
        expectSameVoxels(generate(kind, origin, shape, seed, 'f64'), reference(kind, origin, shape, seed, 'f64'), shape);
      }),
      { numRuns: 300 },
    );
  });

  it('converts to every dtype as a typed-array store does (u8 wraps, integers truncate)', () => {
    fc.assert(
      fc.property(box, fc.constantFrom(...DTYPES), ({ kind, origin, shape, seed }, dtype) => {
        expectSameVoxels(generate(kind, origin, shape, seed, dtype), reference(kind, origin, shape, seed, dtype), shape);
      }),
      { numRuns: 150 },
    );
  });

  it.each(['blobs', 'bone'] as const)('gives %s over a 30 x 53 x 61 box that spans many cells, and its blocks agree', (kind) => {
    const shape: Shape3 = [30, 53, 61];
    const whole = generate(kind, [17, 5, 40], shape, 3, 'f64');
    expectSameVoxels(whole, reference(kind, [17, 5, 40], shape, 3, 'f64'), shape);
    const part = generate(kind, [17 + 11, 5 + 20, 40 + 7], [9, 30, 50], 3, 'f64');
    expectSameVoxels(part, reference(kind, [28, 25, 47], [9, 30, 50], 3, 'f64'), [9, 30, 50]);
  });

  it('makes both phantoms nontrivial: blobs above 300 and bone in its three classes', () => {
    const blobs = generate('blobs', [0, 0, 0], [24, 48, 48], 1, 'u16');
    expect(blobs.some((v) => v > 300)).toBe(true);
    const bone = generate('bone', [0, 0, 0], [40, 40, 40], 1, 'u16');
    for (const [lo, hi] of [[120, 180], [160, 220], [1000, 1060]]) expect(bone.some((v) => v >= lo! && v < hi!)).toBe(true);
  });

  it('refuses an unknown kind, a fractional origin and a short out', () => {
    expect(() => phantomRegion('noise' as 'blobs', [0, 0, 0], [1, 1, 1], 1, new Uint16Array(1))).toThrow(/kind must be 'blobs' or 'bone', got 'noise'/);
    expect(() => phantomRegion('blobs', [0, 0.5, 0], [1, 1, 1], 1, new Uint16Array(1))).toThrow(/origin must be integers/);
    expect(() => phantomRegion('bone', [0, 0, 0], [2, 2, 2], 1, new Uint16Array(7))).toThrow(/out holds 7 voxels, the box has 8/);
  });
});

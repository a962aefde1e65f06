/**
 * Parity of the native phantom generator with its TypeScript twin (imaging/kernels/phantom-region.ts)
 * and with the voxel-by-voxel definitions (blobsAt, boneAt): the same bits for every dtype, random boxes
 * and origins (negative ones and ones past 2^20 included), seeds, and whole blocks of the sizes
 * pipelines use; non-integer seeds go to the twin.
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';

import { allocate, DTYPES, type DType, type TypedArray } from '../../imaging/dtype.js';
import type { HashedPhantom } from '../../imaging/kernels/phantom-region.js';
import { blobsAt, boneAt } from '../../imaging/phantoms.js';
import type { Shape3 } from '../../imaging/volume.js';
import { backends, kernels, typescriptKernels as ts } from '../../imaging/kernels/dispatch.js';
import { itNative } from './native-fixtures.js';
import { expectSameVoxels } from '../imaging/helpers.js';

type Origin = readonly [number, number, number];

function run(k: typeof kernels, kind: HashedPhantom, origin: Origin, shape: Shape3, seed: number, dtype: DType): TypedArray {
  const out = allocate(dtype, shape[0] * shape[1] * shape[2]).fill(7);
  k.phantomRegion(kind, origin, shape, seed, out);
  return out;
}


const axis = fc.integer({ min: 1, max: 40 });
const coordinate = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -100, max: 100 }), fc.integer({ min: (1 << 20) - 50, max: (1 << 20) + 50 }));
const call = fc.record({
  kind: fc.constantFrom<HashedPhantom>('blobs', 'bone'),
  origin: fc.tuple(coordinate, coordinate, coordinate),
  shape: fc.tuple(axis, axis, axis),
  seed: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer(), fc.integer({ min: -(2 ** 40), max: 2 ** 40 })),
  dtype: fc.constantFrom(...DTYPES),
});

describe('native phantomRegion', () => {
  itNative('is the backend of phantomRegion', () => {
    expect(backends().phantomRegion).toBe('native');
    expect(kernels.phantomRegion).not.toBe(ts.phantomRegion);
  });

  itNative('gives the bits of TypeScript for every dtype on random boxes, origins and seeds', () => {
    fc.assert(
      fc.property(call, ({ kind, origin, shape, seed, dtype }) => {
        expectSameVoxels(run(kernels, kind, origin, shape, seed, dtype), run(ts, kind, origin, shape, seed, dtype), shape);
      }),
      { numRuns: 400 },
    );
  });

  for (const kind of ['blobs', 'bone'] as const) {
    itNative(`gives blobsAt / boneAt bit for bit on a whole 32 x 64 x 64 ${kind} block at an odd origin`, () => {
      const origin: Origin = [64, 61, 130], shape: Shape3 = [32, 64, 64];
      const at = kind === 'bone' ? boneAt : blobsAt;
      const want = new Float64Array(32 * 64 * 64);
      let i = 0;
      for (let z = 0; z < shape[0]; z++)
        for (let y = 0; y < shape[1]; y++)
          for (let x = 0; x < shape[2]; x++) want[i++] = at(origin[2] + x, origin[1] + y, origin[0] + z, 5);
      expectSameVoxels(run(kernels, kind, origin, shape, 5, 'f64'), want, shape);
      expectSameVoxels(run(kernels, kind, origin, shape, 5, 'u16'), Uint16Array.from(want), shape);
    });
  }

  itNative('hands non-integer seeds to the twin, and the twin refuses bad calls', () => {
    expectSameVoxels(run(kernels, 'bone', [0, 0, 0], [3, 4, 5], 1.5, 'u16'), run(ts, 'bone', [0, 0, 0], [3, 4, 5], 1.5, 'u16'), [3, 4, 5]);
    expect(() => kernels.phantomRegion('bone', [0, 0, 0], [2, 2, 2], 1, new Uint16Array(7))).toThrow(/out holds 7 voxels, the box has 8/);
    expect(() => kernels.phantomRegion('noise' as 'bone', [0, 0, 0], [1, 1, 1], 1, new Uint16Array(1))).toThrow(/kind must be 'blobs' or 'bone'/);
  });
});

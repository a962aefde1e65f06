/**
 * Fixtures for the kernel tests: seeded random volumes of every dtype, fast-check arbitraries for
 * small 2D/3D shapes and sub-boxes, box copies, and closeness checks that name the first bad voxel.
 *
 * @example
 *   fc.assert(fc.property(shape3, fc.integer(), (shape, seed) => {
 *     const img = randomVolume('u16', shape, seed);
 *   }));
 */
import fc from 'fast-check';
import { expect } from 'vitest';

import { allocate, type DType, type TypedArray } from '../../../imaging/dtype.js';
import type { Index3 } from '../../../imaging/kernels/index.js';
import { type Shape3, voxelCount } from '../../../imaging/volume.js';
import { rng } from '../../helpers/volumes.js';

export { rng } from '../../helpers/volumes.js';

const RANGES: Readonly<Record<DType, readonly [number, number]>> = {
  u8: [0, 255],
  u16: [0, 65535],
  i16: [-32768, 32767],
  u32: [0, 4294967295],
  i32: [-2147483648, 2147483647],
  f32: [-1000, 1000],
  f64: [-1000, 1000],
};

/**
 * A volume of `dtype` with seeded values. `levels` > 0 draws from that many distinct values spread over
 * the dtype's range (ties and flat regions); 0 draws from the whole range.
 */
export function randomVolume(dtype: DType, shape: Shape3, seed: number, levels = 0): TypedArray {
  const next = rng(seed);
  const [lo, hi] = RANGES[dtype];
  const data = allocate(dtype, voxelCount(shape));
  const float = dtype === 'f32' || dtype === 'f64';
  for (let i = 0; i < data.length; i++) {
    const u = levels > 0 ? Math.floor(next() * levels) / Math.max(1, levels - 1) : next();
    const v = lo + u * (hi - lo);
    data[i] = float ? v : Math.round(v);
  }
  return data;
}

/** A seeded u8 mask with foreground probability `density`. */
export function randomMask(shape: Shape3, seed: number, density: number): Uint8Array {
  const next = rng(seed);
  const mask = new Uint8Array(voxelCount(shape));
  for (let i = 0; i < mask.length; i++) mask[i] = next() < density ? 1 : 0;
  return mask;
}

const extent = fc.integer({ min: 1, max: 9 });

/** Shapes of 1..9 voxels per axis, half of them 2D (z = 1). */
export const shape3: fc.Arbitrary<Shape3> = fc.oneof(
  fc.tuple(fc.constant(1), extent, extent),
  fc.tuple(extent, extent, extent),
);

/** A non-empty sub-box `[origin, origin + shape)` of an image of `imageShape`. */
export function subBox(imageShape: Shape3): fc.Arbitrary<{ origin: Index3; shape: Shape3 }> {
  const axis = (n: number) => fc.integer({ min: 0, max: n - 1 }).chain((o) => fc.tuple(fc.constant(o), fc.integer({ min: 1, max: n - o })));
  return fc.tuple(axis(imageShape[0]), axis(imageShape[1]), axis(imageShape[2])).map(([z, y, x]) => ({
    origin: [z[0], y[0], x[0]] as const,
    shape: [z[1], y[1], x[1]] as const,
  }));
}

/** Copies the box `[origin, origin + shape)` out of a C-order image (any array-like of numbers). */
export function cropBox<T extends { length: number; [i: number]: number }>(image: T, imageShape: Shape3, origin: Index3, shape: Shape3, into: T): T {
  let k = 0;
  for (let z = 0; z < shape[0]; z++) {
    for (let y = 0; y < shape[1]; y++) {
      const row = ((origin[0] + z) * imageShape[1] + origin[1] + y) * imageShape[2] + origin[2];
      for (let x = 0; x < shape[2]; x++) into[k++] = image[row + x]!;
    }
  }
  return into;
}

/** Expects `|actual - expected| <= atol + rtol * |expected|` everywhere, naming the first voxel that is not. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number, what = 'voxel'): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`${what} ${i}: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

/** Expects two arrays to hold the same values, naming the first index that differs. */
export function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what = 'voxel'): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (a !== e && !(Number.isNaN(a) && Number.isNaN(e))) expect.fail(`${what} ${i}: got ${actual[i]}, expected ${expected[i]}`);
  }
}

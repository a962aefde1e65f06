/**
 * The test suites' one seeded generator and their volume comparisons, which name the first voxel
 * that differs. Light on purpose (no library entry is imported): kernel tests use it too.
 *
 * @example
 *   const values = Float32Array.from({ length: 24 }, rng(7));
 *   expectVolumeEqual(await img.toArray(), values, [2, 3, 4]);
 */
import { expect } from 'vitest';

import type { Volume } from '../../imaging/volume.js';

/** A seeded generator of floats in (0, 1): core's (seedrandom's xor4096), the one `sample` and k-means use. */
export { makeRng as rng } from '../../core/sampling.js';

type Shape = readonly [number, number, number];

/** `[x, y, z]` of linear index `i` in a `[z, y, x]` shape, for messages. */
export function positionOf(i: number, shape: Shape): string {
  const x = i % shape[2];
  const y = Math.floor(i / shape[2]) % shape[1];
  const z = Math.floor(i / (shape[2] * shape[1]));
  return `[x=${x}, y=${y}, z=${z}]`;
}

/** Fails on the first voxel whose bits differ (Object.is: -0, NaN and every float bit count), naming it. */
export function expectSameVoxels(got: ArrayLike<number>, want: ArrayLike<number>, shape: Shape, what = 'volume'): void {
  expect(got.length, `${what}: voxels`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${what}: voxel ${positionOf(i, shape)} (index ${i}): got ${got[i]}, expected ${want[i]}`);
  }
}

/**
 * Asserts that `actual` holds the expected voxels, naming the first that differs. Against another
 * volume (a file read back against what was written): the same dtype, shape and bits, and the same
 * spacing when the expected volume has one. Against values and a shape: the same shape and values (`===`).
 */
export function expectVolumeEqual(actual: Volume, expected: Volume): void;
export function expectVolumeEqual(actual: Volume, expected: ArrayLike<number>, shape: Shape, what?: string): void;
export function expectVolumeEqual(actual: Volume, expected: Volume | ArrayLike<number>, shape?: Shape, what = 'volume'): void {
  if (isVolume(expected)) {
    expect(actual.dtype, `${what}: dtype`).toBe(expected.dtype);
    expect([...actual.shape], `${what}: shape`).toEqual([...expected.shape]);
    // Comparing bytes first keeps large volumes fast; the loop only names the voxel.
    if (!sameBytes(actual.data, expected.data)) expectSameVoxels(actual.data, expected.data, expected.shape, what);
    if (expected.spacing !== undefined) expect(actual.spacing, `${what}: spacing`).toEqual(expected.spacing);
    return;
  }
  const s = shape as Shape;
  expect([...actual.shape], `${what}: shape`).toEqual([...s]);
  expect(actual.data.length, `${what}: voxels`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (actual.data[i] !== expected[i]) expect.fail(`${what}: voxel ${positionOf(i, s)} is ${actual.data[i]}, expected ${expected[i]}`);
  }
}

/** Asserts |a - e| <= atol + rtol |e| at every voxel, naming the first one that is not. */
export function expectVolumeClose(actual: Volume, expected: ArrayLike<number>, shape: Shape, rtol: number, atol: number, what = 'volume'): void {
  expect([...actual.shape], `${what}: shape`).toEqual([...shape]);
  expect(actual.data.length, `${what}: voxels`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual.data[i] as number;
    const e = expected[i] as number;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) expect.fail(`${what}: voxel ${positionOf(i, shape)} is ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
  }
}

function isVolume(v: Volume | ArrayLike<number>): v is Volume {
  return 'data' in v && 'shape' in v && 'dtype' in v;
}

function sameBytes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

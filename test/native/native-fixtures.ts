/**
 * Fixtures shared by the native parity tests: `itNative` (skipped, under a name that says why, when the
 * addon did not load), odd block shapes, volumes with NaN voxels, SharedArrayBuffer copies at an offset
 * and a bitwise comparison of float arrays.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';

import type { DType } from '../../imaging/dtype.js';
import type { Shape3 } from '../../imaging/volume.js';
import { nativeStatus } from '../../native/index.js';
import { randomVolume, rng } from '../imaging/kernels/fixtures.js';

const status = nativeStatus();
const loaded = status.state === 'loaded';
const reason = status.state === 'loaded' ? '' : `native addon ${status.state === 'disabled' ? 'disabled' : 'not built'}: ${status.reason}`;

/** `it` when the addon loaded; otherwise a skipped test whose name gives the reason. */
export function itNative(name: string, fn: () => void): void {
  it.skipIf(!loaded)(loaded ? name : `${name} (${reason})`, fn);
}

/** 2D ([1, y, x]) and 3D block shapes of 1..9 voxels per axis. */
export const oddShape: fc.Arbitrary<Shape3> = fc.oneof(
  fc.tuple(fc.constant(1), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })),
);

/**
 * A volume with some NaN voxels when the dtype is a float one; with `extremes`, also infinities and
 * magnitudes spread over 2^±40, where the order of float64 operations shows in the rounded result.
 */
export function volumeWithNaN(dtype: DType, shape: Shape3, seed: number, levels: number, extremes = false) {
  const v = randomVolume(dtype, shape, seed, levels);
  if (dtype === 'f32' || dtype === 'f64') {
    const next = rng(seed ^ 0x5bd1e995);
    for (let i = 0; i < v.length; i++) {
      const u = next();
      if (u < 0.1) v[i] = NaN;
      else if (extremes && u < 0.12) v[i] = u < 0.11 ? Infinity : -Infinity;
      // magnitudes 2^-40..2^40 apart: float64 sums of their float32 roundings are no longer exact
      else if (extremes && u < 0.6) v[i] = v[i]! * 2 ** Math.floor(next() * 81 - 40);
    }
  }
  return v;
}

/**
 * A float volume without NaN whose magnitudes spread over 2^±40: float64 sums of its float32 roundings
 * are not exact, so a change in the order of operations changes some output bits.
 */
export function spreadVolume(dtype: 'f32' | 'f64', shape: Shape3, seed: number): Float32Array | Float64Array {
  const v = randomVolume(dtype, shape, seed, 0) as Float32Array | Float64Array;
  const next = rng(seed ^ 0x27d4eb2f);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! * 2 ** Math.floor(next() * 81 - 40);
  return v;
}

/** The same typed array, copied into SharedArrayBuffer memory at a non-zero element offset. */
export function sharedCopy<T extends { length: number; BYTES_PER_ELEMENT: number; constructor: unknown }>(a: T, offset = 3): T {
  const Ctor = a.constructor as new (buf: ArrayBufferLike, off: number, len: number) => T;
  const view = new Ctor(new SharedArrayBuffer((a.length + offset) * a.BYTES_PER_ELEMENT), offset * a.BYTES_PER_ELEMENT, a.length);
  (view as unknown as { set(src: T): void }).set(a);
  return view;
}

/** Expects the same bits (NaN payloads aside: every NaN counts as one), naming the first index that differs. */
export function expectSameBits(actual: Float32Array | Float64Array, expected: Float32Array | Float64Array, what = 'voxel'): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!Object.is(a, e)) expect.fail(`${what} ${i}: got ${a}, expected ${e}`);
  }
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../core/index.js';
import { allocate, DTYPES, type DType } from '../../../imaging/dtype.js';
import { threshold } from '../../../imaging/kernels/index.js';
import { randomVolume, shape3 } from './fixtures.js';

/** The definition, one voxel at a time. */
function refThreshold(src: ArrayLike<number>, above: number | null, below: number | null): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    out[i] = (above === null || v > above) && (below === null || v < below) ? 1 : 0;
  }
  return out;
}

const bound = (values: ArrayLike<number>) =>
  fc.oneof(
    fc.constant(null),
    fc.integer({ min: 0, max: Math.max(0, values.length - 1) }).map((i) => values[i] ?? 0), // ties with voxels
    fc.double({ min: -5e9, max: 5e9, noNaN: true }),
    fc.constantFrom(-Infinity, Infinity, NaN),
  );

describe('threshold', () => {
  it('matches the definition for every dtype, bound and shape', () => {
    const input = fc
      .tuple(fc.constantFrom(...DTYPES), shape3, fc.integer(), fc.constantFrom(0, 4, 50))
      .map(([dtype, shape, seed, levels]) => ({ dtype, src: randomVolume(dtype, shape, seed, levels) }))
      .chain((x) => fc.tuple(fc.constant(x), bound(x.src), bound(x.src)))
      .filter(([, above, below]) => above !== null || below !== null);
    fc.assert(
      fc.property(input, ([{ src }, above, below]) => {
        const out = new Uint8Array(src.length).fill(7);
        const count = threshold(src, above, below, out);
        const expected = refThreshold(src, above, below);
        expect(out).toEqual(expected);
        expect(count).toBe(expected.reduce((s, v) => s + v, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('treats NaN as background and keeps infinities on their side', () => {
    const src = new Float64Array([NaN, -Infinity, 0, Infinity, 5]);
    const out = new Uint8Array(5);
    expect(threshold(src, null, 1, out)).toBe(2);
    expect([...out]).toEqual([0, 1, 1, 0, 0]);
    expect(threshold(src, 1, null, out)).toBe(2);
    expect([...out]).toEqual([0, 0, 0, 1, 1]);
    expect(threshold(src, -Infinity, Infinity, out)).toBe(2);
    expect([...out]).toEqual([0, 0, 1, 0, 1]);
  });

  it('uses strict bounds', () => {
    const out = new Uint8Array(3);
    expect(threshold(new Uint8Array([1, 2, 3]), 1, 3, out)).toBe(1);
    expect([...out]).toEqual([0, 1, 0]);
  });

  it('crosses chunk boundaries', () => {
    const dtype: DType = 'i16';
    const src = allocate(dtype, 10_000);
    for (let i = 0; i < src.length; i++) src[i] = (i * 7919) % 200 - 100;
    const out = new Uint8Array(src.length);
    expect(threshold(src, -10, 50, out)).toBe(refThreshold(src, -10, 50).reduce((s, v) => s + v, 0));
    expect(out).toEqual(refThreshold(src, -10, 50));
  });

  it('rejects two null bounds and a short out', () => {
    expect(() => threshold(new Uint8Array(2), null, null, new Uint8Array(2))).toThrow(ConfigError);
    expect(() => threshold(new Uint8Array(3), 1, null, new Uint8Array(2))).toThrow(/out holds 2 voxels, src has 3/);
  });
});

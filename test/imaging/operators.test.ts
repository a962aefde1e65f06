/**
 * Threshold, ROI and box filter against their key-value references (kv-reference.ts) on small random
 * images, block shapes that do not divide the image, every radius up to 2 and every boundary mode.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';

import { ConfigError, type DType, type Vec3 } from '../../index.js';
import { check, forMasters } from '../helpers/model.js';
import { anyShape, expectVolumeClose, expectVolumeEqual, randomVolume, seed, shape3d, withBlocks } from './helpers.js';
import { kvBoxFilter, kvRoi, kvThreshold } from './kv-reference.js';

const dtypes = fc.constantFrom<DType>('u8', 'u16', 'i16', 'i32', 'f32', 'f64');
const modes = fc.constantFrom('constant' as const, 'nearest' as const, 'reflect' as const);

/** A half-open box inside `shape`, as `[x, y, z]` corners. */
function boxIn(shape: Vec3): fc.Arbitrary<{ min: [number, number, number]; max: [number, number, number] }> {
  const axis = (n: number) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n })).map(([a, b]) => (a < b ? [a, b] : [b - 1, a + 1]) as [number, number]);
  return fc.tuple(axis(shape[2]), axis(shape[1]), axis(shape[0])).map(([x, y, z]) => ({ min: [x[0], y[0], z[0]], max: [x[1], y[1], z[1]] }));
}

forMasters((ctx) => {
  it('threshold equals filter(v > above && v < below) on the key-value view', () =>
    check(
      fc.asyncProperty(withBlocks(anyShape), dtypes, seed, fc.option(fc.integer({ min: -60, max: 200 })), fc.option(fc.integer({ min: -60, max: 220 })), async ({ shape, blockShape }, dtype, s, above, below) => {
        fc.pre(above !== null || below !== null);
        const img = ctx().images.fromArray(randomVolume(dtype, shape, s), shape, { blockShape });
        const expected = await kvThreshold(img, above, below).toArray();
        const actual = await img.threshold({ ...(above === null ? {} : { above }), ...(below === null ? {} : { below }) }).toArray();
        expect(actual.dtype).toBe('u8');
        expectVolumeEqual(actual, expected.data, shape, 'threshold');
      }),
      12,
    ));

  it('roi equals filter on coordinates, shifted to the crop origin', () =>
    check(
      fc.asyncProperty(
        withBlocks(anyShape).chain((sb) => fc.tuple(fc.constant(sb), boxIn(sb.shape))),
        dtypes,
        seed,
        async ([{ shape, blockShape }, { min, max }], dtype, s) => {
          const img = ctx().images.fromArray(randomVolume(dtype, shape, s), shape, { blockShape });
          const expected = await kvRoi(img, min, max).toArray();
          const actual = await img.roi(min, max).toArray();
          expect(actual.dtype).toBe(dtype);
          expectVolumeEqual(actual, expected.data, [max[2] - min[2], max[1] - min[1], max[0] - min[0]], 'roi');
        },
      ),
      12,
    ));

  it('boxFilter equals spreading v/(2r+1)^d with flatMap + reduceByKey, for every mode and radius 0..2', () =>
    check(
      fc.asyncProperty(withBlocks(anyShape), fc.integer({ min: 0, max: 2 }), modes, dtypes, seed, async ({ shape, blockShape }, r, mode, dtype, s) => {
        const img = ctx().images.fromArray(randomVolume(dtype, shape, s), shape, { blockShape });
        const expected = await kvBoxFilter(img, r, mode).toArray();
        const actual = await img.boxFilter(r, { mode }).toArray();
        expect(actual.dtype).toBe('f32');
        expectVolumeClose(actual, expected.data, shape, 1e-5, 1e-4, `boxFilter(${r}, ${mode})`);
      }),
      15,
    ));

  it('an roi written after a box filter equals the crop of the whole filtered image', () =>
    check(
      fc.asyncProperty(
        withBlocks(shape3d).chain((sb) => fc.tuple(fc.constant(sb), boxIn(sb.shape))),
        fc.integer({ min: 0, max: 2 }),
        modes,
        seed,
        async ([{ shape, blockShape }, { min, max }], r, mode, s) => {
          const img = ctx().images.fromArray(randomVolume('u16', shape, s), shape, { blockShape });
          const whole = img.boxFilter(r, { mode });
          const expected = await kvRoi(whole, min, max).toArray();
          const actual = await whole.roi(min, max).toArray();
          expectVolumeEqual(actual, expected.data, expected.shape as Vec3, 'boxFilter then roi');
        },
      ),
      10,
    ));

  it('operators compose: roi, box filter and threshold in one lineage equal the references chained', () =>
    check(
      fc.asyncProperty(withBlocks(shape3d), fc.integer({ min: 0, max: 2 }), seed, async ({ shape, blockShape }, r, s) => {
        const img = ctx().images.fromArray(randomVolume('u8', shape, s), shape, { blockShape });
        const min: [number, number, number] = [0, 1, 0];
        const max: [number, number, number] = [shape[2], shape[1], shape[0]];
        // window means of u8 data are k / (2r+1)^3 with an odd denominator: none lies within
        // 1/250 of 80.5, so rounding differences between the two paths cannot flip a voxel
        const expected = await kvThreshold(kvBoxFilter(kvRoi(img, min, max), r, 'constant'), 80.5, null).toArray();
        const actual = await img.roi(min, max).boxFilter(r).threshold({ above: 80.5 }).toArray();
        expectVolumeEqual(actual, expected.data, expected.shape as Vec3, 'roi → boxFilter → threshold');
      }),
      8,
    ));

  it('rejects bad operator parameters with a ConfigError naming the parameter', () => {
    const img = ctx().images.fromArray(new Uint8Array(24), [2, 3, 4]);
    expect(() => img.threshold({})).toThrow(/above.*below/);
    expect(() => img.threshold({ above: Number.NaN })).toThrow(/above must be a finite number/);
    expect(() => img.roi([0, 0, 0], [5, 3, 2])).toThrow(/x range \[0, 5\)/);
    expect(() => img.roi([1, 0, 0], [1, 3, 2])).toThrow(ConfigError);
    expect(() => img.boxFilter(-1)).toThrow(/radius/);
    expect(() => img.boxFilter(1.5)).toThrow(/radius/);
    expect(() => img.boxFilter(1, { mode: 'wrap' as 'constant' })).toThrow(/mode/);
  });
});

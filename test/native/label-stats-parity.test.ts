/**
 * Parity of the native labelStats with its TypeScript twin: the same 18 fields, bit for bit, for every
 * intensity dtype (or none), connectivity, odd block shape and block origin in a larger image, also
 * where float64 sums pass 2^53 and round; and the twin's errors for bad calls.
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';

import { ConfigError } from '../../core/index.js';
import { DTYPES } from '../../imaging/dtype.js';
import type { Connectivity, LabelPartials } from '../../imaging/kernels/index.js';
import { type Shape3, voxelCount } from '../../imaging/volume.js';
import { backends, kernels, typescriptKernels as ts } from '../../imaging/kernels/dispatch.js';
import { randomMask } from '../imaging/kernels/fixtures.js';
import { expectSameBits, itNative, oddShape, sharedCopy, spreadVolume, volumeWithNaN } from './native-fixtures.js';

/** Expects the same n, intensity flag and bits in every field. */
function expectSamePartials(got: LabelPartials, want: LabelPartials): void {
  expect(got.n).toBe(want.n);
  expect(got.hasIntensity).toBe(want.hasIntensity);
  expectSameBits(got.data, want.data, 'field entry');
}

/** Labels of a random mask: components in raster order, as labelBlock numbers them. */
function randomLabels(shape: Shape3, seed: number, density: number, connectivity: Connectivity): { labels: Uint32Array; n: number } {
  const labels = new Uint32Array(voxelCount(shape));
  const n = ts.labelBlock(randomMask(shape, seed, density), shape, connectivity, labels);
  return { labels, n };
}

const call = fc.record({
  shape: oddShape,
  seed: fc.integer(),
  density: fc.constantFrom(0, 0.3, 0.6, 0.9, 1),
  connectivity: fc.constantFrom<Connectivity>(4, 8, 6, 18, 26),
  dtype: fc.option(fc.constantFrom(...DTYPES), { nil: null }),
  extremes: fc.boolean(),
  origin: fc.tuple(fc.nat(40), fc.nat(40), fc.nat(40)),
  margin: fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5)),
  extraLabels: fc.nat(3),
});

describe('native labelStats', () => {
  itNative('is the backend of labelStats', () => {
    expect(backends().labelStats).toBe('native');
  });

  itNative('gives the bits of TypeScript for every intensity dtype, connectivity, shape and block origin', () => {
    fc.assert(
      fc.property(call, ({ shape, seed, density, connectivity, dtype, extremes, origin, margin, extraLabels }) => {
        const { labels, n } = randomLabels(shape, seed, density, connectivity);
        const intensity = dtype === null ? null : volumeWithNaN(dtype, shape, seed, 0, extremes);
        const image: Shape3 = [origin[0] + shape[0] + margin[0], origin[1] + shape[1] + margin[1], origin[2] + shape[2] + margin[2]];
        // n may exceed the labels present: labels without voxels keep their initial values.
        const m = n + extraLabels;
        expectSamePartials(kernels.labelStats(labels, m, shape, origin, image, intensity), ts.labelStats(labels, m, shape, origin, image, intensity));
      }),
      { numRuns: 1500 },
    );
  });

  itNative('gives the bits of TypeScript where coordinate and intensity sums pass 2^53', () => {
    const shape: Shape3 = [6, 7, 900];
    const origin = [3, 1 << 20, (1 << 27) - 450] as const;
    const image: Shape3 = [20, (1 << 20) + 10, 2 ** 28];
    const { labels, n } = randomLabels(shape, 5, 0.9, 26);
    for (const intensity of [spreadVolume('f64', shape, 8), spreadVolume('f32', shape, 9), null]) {
      expectSamePartials(kernels.labelStats(labels, n, shape, origin, image, intensity), ts.labelStats(labels, n, shape, origin, image, intensity));
    }
  });

  itNative('reads SharedArrayBuffer-backed views at an offset in place', () => {
    const shape: Shape3 = [5, 6, 7];
    const { labels, n } = randomLabels(shape, 12, 0.5, 6);
    for (const dtype of DTYPES) {
      const intensity = volumeWithNaN(dtype, shape, 4, 0);
      const want = ts.labelStats(labels, n, shape, [0, 0, 0], shape, intensity);
      expectSamePartials(kernels.labelStats(sharedCopy(labels), n, shape, [0, 0, 0], shape, sharedCopy(intensity, 5)), want);
    }
  });

  itNative('rejects bad arguments with the TypeScript errors', () => {
    const labels = new Uint32Array([0, 1, 2, 0, 3, 1]);
    const shape: Shape3 = [1, 2, 3];
    expect(() => kernels.labelStats(labels, 2, shape, [0, 0, 0], shape, null)).toThrow(/voxel 4 has label 3, above n = 2/);
    expect(() => kernels.labelStats(labels, 3, [1, 2, 4], [0, 0, 0], shape, null)).toThrow(ConfigError);
    expect(() => kernels.labelStats(labels, 3, shape, [0, 0, 0], shape, new Uint16Array(5))).toThrow(/labels and intensity must hold/);
    expect(() => kernels.labelStats(labels, 1.5, shape, [0, 0, 0], shape, null)).toThrow(/n must be a non-negative integer/);
  });
});

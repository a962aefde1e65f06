/**
 * Parity of the native box filter with its TypeScript twin: the same bits for every dtype, radius, mode
 * and odd block geometry (halo boxes clipped at the image edge, input boxes larger than the halo, 2D
 * images, radii past the image), NaN and infinite voxels included; and the twin's errors for bad calls.
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';

import { ConfigError } from '../../core/index.js';
import { DTYPES } from '../../imaging/dtype.js';
import { BOX_FILTER_MODES, type BoxFilterMode, boxFilterScratchLength, haloBox } from '../../imaging/kernels/index.js';
import { type Shape3, voxelCount } from '../../imaging/volume.js';
import { backends, kernels, typescriptKernels as ts } from '../../imaging/kernels/dispatch.js';
import { cropBox, subBox } from '../imaging/kernels/fixtures.js';
import { expectSameBits, itNative, oddShape, sharedCopy, spreadVolume, volumeWithNaN } from './native-fixtures.js';

const ORIGIN = [0, 0, 0] as const;

/** An image of any dtype, an output sub-box, a radius (some past the image), a mode, a halo choice. */
const call = fc
  .tuple(fc.constantFrom(...DTYPES), oddShape, fc.integer(), fc.constantFrom(0, 3, 50), fc.boolean())
  .chain(([dtype, shape, seed, levels, extremes]) =>
    fc.record({
      shape: fc.constant(shape),
      img: fc.constant(volumeWithNaN(dtype, shape, seed, levels, extremes)),
      box: subBox(shape),
      radius: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 5, max: 20 })),
      mode: fc.constantFrom(...BOX_FILTER_MODES),
      wholeInput: fc.boolean(),
      withScratch: fc.boolean(),
    }),
  );

describe('native boxFilter', () => {
  itNative('is the backend of boxFilter', () => {
    expect(backends().boxFilter).toBe('native');
  });

  itNative('gives the bits of TypeScript for every dtype, radius, mode and halo geometry', () => {
    fc.assert(
      fc.property(call, ({ shape, img, box, radius, mode, wholeInput, withScratch }) => {
        const halo = wholeInput ? { origin: ORIGIN, shape } : haloBox(box.origin, box.shape, shape, radius);
        const input = wholeInput ? img : cropBox(img, shape, halo.origin, halo.shape, img.slice(0, voxelCount(halo.shape)));
        const n = voxelCount(box.shape);
        const want = new Float32Array(n).fill(7);
        const got = new Float32Array(n).fill(9);
        const scratch = withScratch ? new Float32Array(boxFilterScratchLength(halo.shape)).fill(5) : undefined;
        ts.boxFilter(input, halo.shape, halo.origin, shape, box.origin, box.shape, radius, mode, want);
        kernels.boxFilter(input, halo.shape, halo.origin, shape, box.origin, box.shape, radius, mode, got, scratch);
        expectSameBits(got, want);
      }),
      { numRuns: 1500 },
    );
  });

  itNative('gives the bits of TypeScript on a 40 x 37 x 45 u16 block with a 2-voxel halo, every mode', () => {
    const shape: Shape3 = [60, 50, 70];
    const img = volumeWithNaN('u16', shape, 17, 0);
    const box = { origin: [10, 0, 25] as const, shape: [40, 37, 45] as const };
    const halo = haloBox(box.origin, box.shape, shape, 2);
    const input = cropBox(img, shape, halo.origin, halo.shape, new Uint16Array(voxelCount(halo.shape)));
    for (const mode of BOX_FILTER_MODES) {
      const want = new Float32Array(voxelCount(box.shape));
      const got = new Float32Array(want.length);
      ts.boxFilter(input, halo.shape, halo.origin, shape, box.origin, box.shape, 2, mode, want);
      kernels.boxFilter(input, halo.shape, halo.origin, shape, box.origin, box.shape, 2, mode, got);
      expectSameBits(got, want, mode);
    }
  });

  itNative('gives the bits of TypeScript where float64 rounding shows (magnitudes over 2^±40), every mode and radius 1..3', () => {
    const shape: Shape3 = [13, 16, 17];
    for (const dtype of ['f32', 'f64'] as const) {
      const img = spreadVolume(dtype, shape, 23);
      for (const mode of BOX_FILTER_MODES) {
        for (let radius = 1; radius <= 3; radius++) {
          const want = new Float32Array(voxelCount(shape));
          const got = new Float32Array(want.length);
          ts.boxFilter(img, shape, ORIGIN, shape, ORIGIN, shape, radius, mode, want);
          kernels.boxFilter(img, shape, ORIGIN, shape, ORIGIN, shape, radius, mode, got);
          expectSameBits(got, want, `${dtype} ${mode} r=${radius}`);
        }
      }
    }
  });

  itNative('reads and writes SharedArrayBuffer-backed views at an offset in place', () => {
    const shape: Shape3 = [5, 6, 7];
    for (const dtype of DTYPES) {
      const img = volumeWithNaN(dtype, shape, 3, 0);
      const want = new Float32Array(voxelCount(shape));
      ts.boxFilter(img, shape, ORIGIN, shape, ORIGIN, shape, 1, 'reflect', want);
      const out = sharedCopy(new Float32Array(want.length), 4);
      kernels.boxFilter(sharedCopy(img), shape, ORIGIN, shape, ORIGIN, shape, 1, 'reflect', out);
      expectSameBits(out, want, dtype);
    }
  });

  itNative('rejects bad arguments with the TypeScript errors', () => {
    const img = new Uint16Array(27);
    const s: Shape3 = [3, 3, 3];
    const call = (over: Partial<{ inOrigin: readonly [number, number, number]; radius: number; mode: string; out: Float32Array; scratch: Float32Array }>) => () =>
      kernels.boxFilter(img, s, over.inOrigin ?? ORIGIN, s, ORIGIN, s, over.radius ?? 1, (over.mode ?? 'constant') as BoxFilterMode, over.out ?? new Float32Array(27), over.scratch);
    expect(call({ radius: -1 })).toThrow(/radius must be a non-negative integer/);
    expect(call({ radius: 1.5 })).toThrow(ConfigError);
    expect(call({ mode: 'wrap' })).toThrow(/mode must be one of constant, nearest, reflect/);
    expect(call({ mode: 'toString' })).toThrow(/mode must be one of/);
    expect(call({ out: new Float32Array(26) })).toThrow(/out holds 26 voxels/);
    expect(call({ scratch: new Float32Array(3) })).toThrow(/scratch holds 3 floats/);
    expect(call({ inOrigin: [0, 1, 0] })).toThrow(/use haloBox\(\) to compute the input box/);
    expect(() => kernels.boxFilter(new Uint16Array(26), s, ORIGIN, s, ORIGIN, s, 1, 'constant', new Float32Array(27))).toThrow(/input holds 26 voxels/);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../core/index.js';
import { DTYPES, type TypedArray } from '../../../imaging/dtype.js';
import { BOX_FILTER_MODES, type BoxFilterMode, boxFilter, boxFilterScratchLength, haloBox } from '../../../imaging/kernels/index.js';
import { type Shape3, voxelCount } from '../../../imaging/volume.js';
import { cropBox, expectClose, expectSame, randomVolume, shape3, subBox } from './fixtures.js';
import { refBoxFilter } from './reference.js';

const ORIGIN = [0, 0, 0] as const;

/** Filters the whole image as one block. */
function filterWhole(img: TypedArray, shape: Shape3, radius: number, mode: BoxFilterMode): Float32Array {
  const out = new Float32Array(voxelCount(shape));
  boxFilter(img, shape, ORIGIN, shape, ORIGIN, shape, radius, mode, out);
  return out;
}

/** Largest |value| after rounding to float32: the scale of the filter's rounding error. */
function scale(img: TypedArray): number {
  let m = 1e-30;
  for (let i = 0; i < img.length; i++) m = Math.max(m, Math.abs(Math.fround(img[i]!)));
  return m;
}

const mode = fc.constantFrom(...BOX_FILTER_MODES);
const radius = fc.integer({ min: 0, max: 3 });
const image = fc
  .tuple(fc.constantFrom(...DTYPES), shape3, fc.integer(), fc.constantFrom(0, 3))
  .map(([dtype, shape, seed, levels]) => ({ dtype, shape, img: randomVolume(dtype, shape, seed, levels) }));

describe('boxFilter', () => {
  it('equals the direct window mean on sub-boxes filtered with their clipped halo', () => {
    const input = image.chain((im) => fc.tuple(fc.constant(im), subBox(im.shape), radius, mode));
    fc.assert(
      fc.property(input, ([{ shape, img }, box, r, m]) => {
        const halo = haloBox(box.origin, box.shape, shape, r);
        const block = cropBox(img, shape, halo.origin, halo.shape, img.slice(0, voxelCount(halo.shape)));
        const out = new Float32Array(voxelCount(box.shape));
        boxFilter(block, halo.shape, halo.origin, shape, box.origin, box.shape, r, m, out);
        const expected = cropBox(refBoxFilter(img, shape, r, m), shape, box.origin, box.shape, new Float64Array(out.length));
        expectClose(out, expected, 1e-6 * scale(img), 0);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same bits for any block layout of u8 input', () => {
    const input = fc
      .tuple(shape3, fc.integer(), fc.constantFrom(0, 3))
      .map(([shape, seed, levels]) => ({ shape, img: randomVolume('u8', shape, seed, levels) }))
      .chain((im) => fc.tuple(fc.constant(im), subBox(im.shape), radius, mode));
    fc.assert(
      fc.property(input, ([{ shape, img }, box, r, m]) => {
        const halo = haloBox(box.origin, box.shape, shape, r);
        const block = cropBox(img, shape, halo.origin, halo.shape, new Uint8Array(voxelCount(halo.shape)));
        const out = new Float32Array(voxelCount(box.shape));
        boxFilter(block, halo.shape, halo.origin, shape, box.origin, box.shape, r, m, out);
        expectSame(out, cropBox(filterWhole(img, shape, r, m), shape, box.origin, box.shape, new Float32Array(out.length)));
      }),
      { numRuns: 300 },
    );
  });

  it('accepts an input box larger than the halo', () => {
    const input = image.chain((im) => fc.tuple(fc.constant(im), subBox(im.shape), radius, mode));
    fc.assert(
      fc.property(input, ([{ shape, img }, box, r, m]) => {
        const out = new Float32Array(voxelCount(box.shape));
        boxFilter(img, shape, ORIGIN, shape, box.origin, box.shape, r, m, out);
        const expected = cropBox(refBoxFilter(img, shape, r, m), shape, box.origin, box.shape, new Float64Array(out.length));
        expectClose(out, expected, 1e-6 * scale(img), 0);
      }),
      { numRuns: 150 },
    );
  });

  it('averages a 1D spike over the window, with zeros outside in constant mode', () => {
    expect([...filterWhole(new Uint8Array([0, 0, 9, 0, 0]), [1, 1, 5], 1, 'constant')]).toEqual([0, 3, 3, 3, 0]);
    expect([...filterWhole(new Uint8Array([9, 0, 0, 0, 3]), [1, 1, 5], 1, 'constant')]).toEqual([3, 3, 0, 1, 1]);
  });

  it('repeats the edge in nearest mode and mirrors it in reflect mode', () => {
    const line = new Float32Array([3, 0, 0, 0, 6]);
    expect([...filterWhole(line, [1, 1, 5], 1, 'nearest')]).toEqual([2, 1, 0, 2, 4]);
    // reflect: (3) 3 0 0 0 6 (6)
    expect([...filterWhole(line, [1, 1, 5], 1, 'reflect')]).toEqual([2, 1, 0, 2, 4]);
    // radius 2: reflect pads 0 3 | 3 0 0 0 6 | 6 0, nearest pads 3 3 | ... | 6 6
    expect([...filterWhole(line, [1, 1, 5], 2, 'reflect')]).toEqual([6 / 5, 6 / 5, 9 / 5, 12 / 5, 12 / 5].map(Math.fround));
    expect([...filterWhole(line, [1, 1, 5], 2, 'nearest')]).toEqual([9 / 5, 6 / 5, 9 / 5, 12 / 5, 18 / 5].map(Math.fround));
  });

  it('keeps reflecting when the radius exceeds the image', () => {
    // [1, 2] reflected is ... 1 2 2 1 | 1 2 | 2 1 1 2 ...: the window of 7 around x = 0 covers
    // 2 2 1 [1] 2 2 1 = 11, around x = 1 it covers 2 1 1 [2] 2 1 1 = 10.
    const out = filterWhole(new Uint8Array([1, 2]), [1, 1, 2], 3, 'reflect');
    expect([...out]).toEqual([11 / 7, 10 / 7].map(Math.fround));
  });

  it('does not filter axes of extent 1: a 2D image gets a square window', () => {
    const img = new Uint8Array(9).fill(9);
    expect(filterWhole(img, [1, 3, 3], 1, 'constant')[4]).toBe(9);
    expect(filterWhole(img, [1, 3, 3], 1, 'constant')[0]).toBe(4);
  });

  it('copies the input as float32 for radius 0', () => {
    const img = new Int32Array([16777217, -3]);
    expect([...filterWhole(img, [1, 1, 2], 0, 'reflect')]).toEqual([16777216, -3]);
  });

  it('reuses a caller scratch buffer and needs no clean out', () => {
    const shape: Shape3 = [4, 5, 6];
    const img = randomVolume('f64', shape, 7);
    const scratch = new Float32Array(boxFilterScratchLength(shape)).fill(NaN);
    const out = new Float32Array(voxelCount(shape)).fill(NaN);
    boxFilter(img, shape, ORIGIN, shape, ORIGIN, shape, 2, 'nearest', out, scratch);
    expectSame(out, filterWhole(img, shape, 2, 'nearest'));
  });

  it('rejects an input box that does not cover the halo, naming the axis and the fix', () => {
    const out = new Float32Array(4);
    const call = () => boxFilter(new Float32Array(4), [1, 2, 2], [0, 2, 2], [1, 8, 8], [0, 2, 2], [1, 2, 2], 1, 'constant', out);
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(/input y \[2, 4\) must cover \[1, 5\).*haloBox/);
  });

  it('rejects a bad radius, mode and out length', () => {
    const run = (r: number, m: string, outLength: number) => () =>
      boxFilter(new Float32Array(4), [1, 2, 2], ORIGIN, [1, 2, 2], ORIGIN, [1, 2, 2], r, m as BoxFilterMode, new Float32Array(outLength));
    expect(run(-1, 'reflect', 4)).toThrow(/radius must be a non-negative integer/);
    expect(run(1.5, 'reflect', 4)).toThrow(/radius/);
    expect(run(1, 'wrap', 4)).toThrow(/mode must be one of constant, nearest, reflect/);
    expect(run(1, 'reflect', 3)).toThrow(/out holds 3 voxels/);
  });
});

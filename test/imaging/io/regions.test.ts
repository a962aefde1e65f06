import { join } from 'node:path';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../core/index.js';
import type { DType } from '../../../imaging/dtype.js';
import { openImage, writeImage, type ImageSource } from '../../../imaging/io/index.js';
import type { Shape3 } from '../../../imaging/volume.js';
import { expectArrayEqual, makeVolume, sliceBox, tempDir } from './helpers.js';

const dir = tempDir();

/** A box inside `shape`: origin and size per axis, size >= 1. */
const boxIn = (shape: Shape3): fc.Arbitrary<[number[], number[]]> =>
  fc.tuple(...shape.map((n) => fc.tuple(fc.nat(n - 1), fc.nat(n - 1)).map(([a, b]) => [Math.min(a, b), Math.abs(a - b) + 1] as const)))
    .map((axes) => [axes.map((a) => a[0]), axes.map((a) => a[1])]);

const FORMATS: ReadonlyArray<[name: string, ext: string, dtype: DType, shape: Shape3, options: Parameters<typeof writeImage>[2]]> = [
  ['npy', 'npy', 'f64', [5, 9, 11], {}],
  ['raw', 'raw', 'i16', [4, 10, 7], {}],
  ['tiff none', 'tif', 'u32', [5, 13, 9], { compression: 'none' }],
  ['tiff lzw', 'tif', 'u16', [4, 600, 130], { compression: 'lzw' }],
  ['tiff deflate', 'tif', 'f32', [3, 8, 12], { compression: 'deflate' }],
  ['tiff packbits', 'tif', 'u8', [6, 7, 5], { compression: 'packbits' }],
  ['png', 'png', 'u16', [1, 12, 14], {}],
];

describe('readRegion', () => {
  it.each(FORMATS)('of %s equals slicing the full array', (name, ext, dtype, shape, options) => {
    const v = makeVolume(dtype, shape);
    const path = join(dir, `${name.replace(' ', '-')}.${ext}`);
    writeImage(path, v, options);
    const src: ImageSource = openImage(path, ext === 'raw' ? { shape: [shape[2], shape[1], shape[0]], dtype } : {});
    fc.assert(
      fc.property(boxIn(shape), ([origin, size]) => {
        const o = origin as [number, number, number];
        const s = size as [number, number, number];
        expectArrayEqual(src.readRegion(o, s), sliceBox(v, o, s));
      }),
      { numRuns: 40 },
    );
    expect(src.readRegion([0, 0, 0], [0, 0, 0]).length).toBe(0);
  });

  it('throws ConfigError for a box outside the image', () => {
    const path = join(dir, 'bounds.npy');
    writeImage(path, makeVolume('u8', [2, 3, 4]));
    const src = openImage(path);
    expect(() => src.readRegion([0, 0, 1], [2, 3, 4])).toThrowError(ConfigError);
    expect(() => src.readRegion([-1, 0, 0], [1, 1, 1])).toThrowError(/not inside the image of shape \[2, 3, 4\]/);
    expect(() => src.readRegion([0, 0, 0.5], [1, 1, 1])).toThrowError(ConfigError);
  });
});

describe('reading a box into the caller\'s scratch', () => {
  it('fills and returns a scratch of the right type and length (every byte overwritten), else a fresh array', () => {
    const v = makeVolume('u16', [4, 6, 7]);
    const path = join(dir, 'scratch.npy');
    writeImage(path, v);
    const src = openImage(path);
    const scratch = new Uint16Array(2 * 3 * 4).fill(0xabcd);
    const got = src.readRegion([1, 2, 3], [2, 3, 4], scratch);
    expect(got).toBe(scratch);
    expectArrayEqual(got, sliceBox(v, [1, 2, 3], [2, 3, 4]));
    // Wrong length or type: not used.
    const other = src.readRegion([1, 2, 3], [2, 3, 4], new Uint16Array(5));
    expect(other.length).toBe(24);
    expect(src.readRegion([1, 2, 3], [2, 3, 4], new Float32Array(24))).toBeInstanceOf(Uint16Array);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { DType } from '../../../imaging/dtype.js';
import { openImage, readImage, writeImage, type TiffCompression } from '../../../imaging/io/index.js';
import type { Volume } from '../../../imaging/volume.js';
import { ALL_DTYPES, expectArrayEqual, expectVolumeEqual, makeVolume, sliceBox, tempDir } from './helpers.js';
import { buildTiff, chunksOf, compressChunks, type PageSpec } from './tiff-builder.js';

const dir = tempDir();
const COMPRESSIONS: readonly TiffCompression[] = ['none', 'lzw', 'deflate', 'packbits'];
const BITS: Readonly<Record<DType, [bits: number, format: number]>> = {
  u8: [8, 1], u16: [16, 1], i16: [16, 2], u32: [32, 1], i32: [32, 2], f32: [32, 3], f64: [64, 3],
};

/** Pages of `v` as the builder wants them, in byte order `order`, compressed with `code`. */
function pagesOf(v: Volume, le: boolean, code: number, layout: { rowsPerStrip?: number; tile?: readonly [number, number] }, predictor = 1): PageSpec[] {
  const [depth, height, width] = v.shape;
  const [bits, sampleFormat] = BITS[v.dtype];
  const plane = height * width;
  return Array.from({ length: depth }, (_, z) => {
    const raw = chunksOf(v.data.subarray(z * plane, (z + 1) * plane), width, height, le, layout, predictor);
    const rowBytes = (layout.tile?.[0] ?? width) * (bits / 8);
    return { width, height, bits, sampleFormat, compression: code, predictor, ...layout, chunks: compressChunks(raw, code, rowBytes) };
  });
}

describe('TIFF written by writeImage', () => {
  for (const compression of COMPRESSIONS) {
    it.each(ALL_DTYPES)(`round-trips %s with ${compression}`, (dtype) => {
      const v = makeVolume(dtype, [3, 37, 29]);
      const path = join(dir, `rt-${dtype}-${compression}.tif`);
      writeImage(path, v, { compression });
      expectVolumeEqual(readImage(path), v);
    });
  }

  it('stores spacing the way ImageJ does and reads it back', () => {
    const v = { ...makeVolume('u16', [3, 4, 5]), spacing: [2, 0.5, 0.125] as const };
    const path = join(dir, 'spacing.tif');
    writeImage(path, v, { compression: 'lzw' });
    const got = readImage(path);
    expectArrayEqual(got.data, v.data);
    expect(got.spacing![0]).toBe(2);
    expect(got.spacing![1]).toBeCloseTo(0.5, 6);
    expect(got.spacing![2]).toBeCloseTo(0.125, 6);
    writeImage(join(dir, 'no-spacing.tif'), makeVolume('u8', [1, 2, 2]));
    expect(openImage(join(dir, 'no-spacing.tif')).spacing).toBeUndefined();
  });

  it('splits large pages into strips and reads boxes across strip borders', () => {
    const v = makeVolume('u16', [2, 300, 200]);
    const path = join(dir, 'strips.tif');
    writeImage(path, v, { compression: 'deflate' });
    const src = openImage(path);
    expect(src.readRegion([1, 150, 10], [1, 70, 100])).toEqual(sliceBox(v, [1, 150, 10], [1, 70, 100]));
  });
});

describe('TIFF built byte by byte', () => {
  const cases: Array<[order: 'II' | 'MM', code: number, predictor: number]> = [];
  for (const order of ['II', 'MM'] as const) {
    for (const code of [1, 5, 8, 32946, 32773]) for (const predictor of [1, 2]) cases.push([order, code, predictor]);
  }
  it.each(cases)('reads %s compression %i predictor %i for every integer dtype and float', (order, code, predictor) => {
    for (const dtype of ALL_DTYPES) {
      if (predictor === 2 && dtype === 'f64') continue;
      const v = makeVolume(dtype, [2, 11, 13], code + predictor);
      const path = join(dir, `b-${order}-${code}-${predictor}-${dtype}.tif`);
      writeFileSync(path, buildTiff(order, pagesOf(v, order === 'II', code, { rowsPerStrip: 4 }, predictor)));
      expectVolumeEqual(readImage(path), v);
    }
  });

  it.each(['II', 'MM'] as const)('reads %s floating-point predictor 3 for f32 and f64', (order) => {
    for (const dtype of ['f32', 'f64'] as const) {
      const v = makeVolume(dtype, [2, 9, 10]);
      const path = join(dir, `fp-${order}-${dtype}.tif`);
      writeFileSync(path, buildTiff(order, pagesOf(v, order === 'II', 8, { rowsPerStrip: 3 }, 3)));
      expectVolumeEqual(readImage(path), v);
    }
  });

  it.each([[1], [5], [8]])('reads tiled pages (compression %i) and boxes across tiles', (code) => {
    const v = makeVolume('i16', [2, 40, 50]);
    const path = join(dir, `tiles-${code}.tif`);
    writeFileSync(path, buildTiff('MM', pagesOf(v, false, code, { tile: [16, 16] }, code === 1 ? 1 : 2)));
    const src = openImage(path);
    expectVolumeEqual(readImage(path), v);
    expect(src.readRegion([1, 5, 14], [1, 30, 20])).toEqual(sliceBox(v, [1, 5, 14], [1, 30, 20]));
  });

  it('reads BigTIFF in both byte orders', () => {
    for (const order of ['II', 'MM'] as const) {
      const v = makeVolume('u32', [2, 8, 9]);
      const path = join(dir, `big-${order}.tif`);
      writeFileSync(path, buildTiff(order, pagesOf(v, order === 'II', 5, { rowsPerStrip: 3 }), true));
      expectVolumeEqual(readImage(path), v);
    }
  });

  it('skips reduced-resolution pages (thumbnails)', () => {
    const v = makeVolume('u8', [2, 6, 6]);
    const thumb: PageSpec = { width: 3, height: 3, bits: 8, subfileType: 1, chunks: [new Uint8Array(9)] };
    const pages = pagesOf(v, true, 1, {});
    writeFileSync(join(dir, 'thumb.tif'), buildTiff('II', [pages[0]!, thumb, pages[1]!]));
    expectVolumeEqual(readImage(join(dir, 'thumb.tif')), v);
  });

  it('names the compression it cannot read', () => {
    const path = join(dir, 'jpeg.tif');
    writeFileSync(path, buildTiff('II', [{ width: 4, height: 4, bits: 8, compression: 7, chunks: [new Uint8Array(16)] }]));
    expect(() => openImage(path)).toThrowError(/page 0 uses JPEG compression \(7\).*; re-save it uncompressed or with LZW, Deflate or PackBits/);
  });

  it('rejects RGB and 8-bit signed pages with a fix', () => {
    const rgb = join(dir, 'rgb.tif');
    writeFileSync(rgb, buildTiff('II', [{ width: 2, height: 2, bits: 8, samples: 3, photometric: 2, chunks: [new Uint8Array(12)] }]));
    expect(() => openImage(rgb)).toThrowError(/3 samples per pixel.*grayscale/);
    const i8 = join(dir, 'i8.tif');
    writeFileSync(i8, buildTiff('II', [{ width: 2, height: 2, bits: 8, sampleFormat: 2, chunks: [new Uint8Array(4)] }]));
    expect(() => openImage(i8)).toThrowError(/8-bit signed samples/);
  });

  it('rejects pages of different size or dtype, naming the page', () => {
    const a = pagesOf(makeVolume('u8', [1, 4, 4]), true, 1, {});
    const b = pagesOf(makeVolume('u8', [1, 4, 5]), true, 1, {});
    writeFileSync(join(dir, 'mixed.tif'), buildTiff('II', [...a, ...a, ...b]));
    expect(() => openImage(join(dir, 'mixed.tif'))).toThrowError(/page 2 is 5x4 u8 but page 0 is 4x4 u8/);
  });
});

describe('TIFF directory of slices', () => {
  it('stacks slices in natural order (slice2 before slice10), reading only the pages a box needs', () => {
    const v = makeVolume('u16', [12, 10, 8]);
    const stack = join(dir, 'stack');
    mkdirSync(stack);
    for (let z = 0; z < 12; z++) {
      writeImage(join(stack, `slice${z}.tif`), { data: v.data.subarray(z * 80, (z + 1) * 80), shape: [1, 10, 8], dtype: 'u16' }, { compression: z % 2 ? 'lzw' : 'none' });
    }
    writeFileSync(join(stack, 'notes.txt'), 'ignored');
    const src = openImage(stack);
    expect(src.shape).toEqual([12, 10, 8]);
    expectVolumeEqual(readImage(stack), v);
    expect(src.readRegion([9, 2, 1], [3, 5, 6])).toEqual(sliceBox(v, [9, 2, 1], [3, 5, 6]));
  });

  it('names the slice whose size differs', () => {
    const stack = join(dir, 'bad-stack');
    mkdirSync(stack);
    writeImage(join(stack, 'a1.tif'), makeVolume('u8', [1, 4, 4]));
    writeImage(join(stack, 'a2.tif'), makeVolume('u16', [1, 4, 4]));
    expect(() => openImage(stack)).toThrowError(/slice .*a2\.tif \(z 1\) is 4x4 u16 but slice .*a1\.tif is 4x4 u8/);
  });

  it('fails clearly on a directory without TIFF files', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(() => openImage(empty)).toThrowError(/no \.tif or \.tiff files/);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import pngjs from 'pngjs';
import { describe, expect, it } from 'vitest';

import { ImageFormatError, openImage, readImage, writeImage } from '../../../imaging/io/index.js';
import { ALL_DTYPES, expectVolumeEqual, makeVolume, sliceBox, tempDir } from './helpers.js';

const dir = tempDir();

describe('raw', () => {
  it.each(ALL_DTYPES)('round-trips %s given shape [x, y, z] and dtype', (dtype) => {
    const v = makeVolume(dtype, [3, 4, 5]);
    const path = join(dir, `rt-${dtype}.raw`);
    writeImage(path, v);
    expectVolumeEqual(readImage(path, { shape: [5, 4, 3], dtype }), v);
  });

  it('reads big-endian data after a header', () => {
    const bytes = Buffer.alloc(7 + 6);
    bytes.write('HEADER!', 0, 'latin1');
    [1, 256, 65535].forEach((x, i) => bytes.writeUInt16BE(x, 7 + i * 2));
    const path = join(dir, 'be.bin');
    writeFileSync(path, bytes);
    const v = readImage(path, { shape: [3, 1, 1], dtype: 'u16', endian: 'big', headerBytes: 7 });
    expect([...v.data]).toEqual([1, 256, 65535]);
    expect(v.shape).toEqual([1, 1, 3]);
  });

  it('reports a size mismatch with both numbers', () => {
    const path = join(dir, 'short.raw');
    writeFileSync(path, new Uint8Array(1000));
    expect(() => openImage(path, { shape: [64, 64, 64], dtype: 'u16' })).toThrowError(
      `${path}: raw file is 1000 bytes but shape 64x64x64 (x,y,z) u16 with 0 header bytes needs 524288 bytes; check --shape, --dtype and --header-bytes`,
    );
  });

  it('asks for shape and dtype when they are missing', () => {
    const path = join(dir, 'noshape.raw');
    writeFileSync(path, new Uint8Array(8));
    expect(() => openImage(path)).toThrowError(ImageFormatError);
    expect(() => openImage(path)).toThrowError(/--shape x,y,z and --dtype/);
  });

  it('reads boxes by byte ranges', () => {
    const v = makeVolume('i32', [5, 6, 7]);
    const path = join(dir, 'box.raw');
    writeImage(path, v);
    const src = openImage(path, { shape: [7, 6, 5], dtype: 'i32' });
    expect(src.readRegion([1, 1, 1], [3, 4, 5])).toEqual(sliceBox(v, [1, 1, 1], [3, 4, 5]));
  });
});

describe('png', () => {
  it.each(['u8', 'u16'] as const)('round-trips 2D %s', (dtype) => {
    const v = makeVolume(dtype, [1, 17, 23]);
    const path = join(dir, `rt-${dtype}.png`);
    writeImage(path, v);
    expectVolumeEqual(readImage(path), v);
    expect(openImage(path).readRegion([0, 3, 4], [1, 5, 6])).toEqual(sliceBox(v, [0, 3, 4], [1, 5, 6]));
  });

  it('refuses 3D volumes and other dtypes, and leaves no file behind', () => {
    expect(() => writeImage(join(dir, 'three.png'), makeVolume('u8', [2, 3, 3]))).toThrowError(/one 2D image but the volume has 2 z slices; write \.tif or \.npy/);
    expect(() => writeImage(join(dir, 'float.png'), makeVolume('f32', [1, 3, 3]))).toThrowError(/u8 or u16 pixels but the volume is f32/);
    expect(() => openImage(join(dir, 'three.png'))).toThrowError(/no such file/);
  });

  it('rejects colour PNGs with a fix', () => {
    const png = new pngjs.PNG({ width: 2, height: 2 });
    const path = join(dir, 'rgba.png');
    writeFileSync(path, pngjs.PNG.sync.write(png));
    expect(() => openImage(path)).toThrowError(/PNG is RGBA, not grayscale; save it as 8- or 16-bit grayscale/);
  });
});

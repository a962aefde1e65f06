import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import * as io from '../../../imaging/io/index.js';
import { openImage, readImage, writeImage } from '../../../imaging/io/index.js';
import { tempDir } from './helpers.js';

const dir = tempDir();

describe('imaging/io public API', () => {
  // Every change to the public surface shows up here in review.
  it('exports exactly these names', () => {
    expect(Object.keys(io).sort()).toEqual(['ImageFormatError', 'isImageFormatError', 'openImage', 'readImage', 'writeImage']);
  });

  it('runs the example of the module comment', () => {
    const data = new Uint16Array(4 * 64 * 64).map((_, i) => i % 4096);
    writeImage(join(dir, 'stack.tif'), { data, shape: [4, 64, 64], dtype: 'u16' }, { compression: 'lzw' });
    const src = openImage(join(dir, 'stack.tif'));
    expect([src.shape, src.dtype]).toEqual([[4, 64, 64], 'u16']);
    const block = src.readRegion([1, 0, 32], [2, 16, 32]);
    expect(block[0]).toBe(data[64 * 64 + 32]);
    const all = readImage(join(dir, 'stack.tif'));
    writeImage(join(dir, 'stack.npy'), all);
    expect(readImage(join(dir, 'stack.npy')).data).toEqual(data);
  });
});

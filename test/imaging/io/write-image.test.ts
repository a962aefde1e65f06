import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../core/index.js';
import { ImageFormatError, openImage, readImage, writeImage } from '../../../imaging/io/index.js';
import { makeVolume, tempDir } from './helpers.js';

const dir = tempDir();

describe('writeImage', () => {
  it('replaces the target only when the write completes, leaving no temporary file on failure', () => {
    const sub = join(dir, 'atomic');
    mkdirSync(sub);
    const path = join(sub, 'img.png');
    writeImage(path, makeVolume('u8', [1, 4, 4]));
    const before = readFileSync(path);
    expect(() => writeImage(path, makeVolume('u8', [3, 4, 4]), { overwrite: true })).toThrowError(ImageFormatError);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(sub)).toEqual(['img.png']);
  });

  it('reports a missing directory as ImageFormatError', () => {
    expect(() => writeImage(join(dir, 'nope', 'x.npy'), makeVolume('u8', [1, 1, 1]))).toThrowError(/cannot write: ENOENT; check that the directory exists/);
  });

  it('refuses read-only and unknown formats', () => {
    expect(() => writeImage(join(dir, 'x.nrrd'), makeVolume('u8', [1, 1, 1]))).toThrowError(/cannot write extension '\.nrrd'.*MetaImage and NRRD are read-only/);
    expect(() => writeImage(join(dir, 'x.dat'), makeVolume('u8', [1, 1, 1]), { format: 'npy' })).not.toThrow();
    expect(readImage(join(dir, 'x.dat'), { format: 'npy' }).shape).toEqual([1, 1, 1]);
  });

  it('throws ConfigError for bad options and inconsistent volumes', () => {
    const v = makeVolume('u8', [1, 2, 2]);
    expect(() => writeImage(join(dir, 'c.npy'), v, { compression: 'lzw' })).toThrowError(ConfigError);
    expect(() => writeImage(join(dir, 'c.tif'), v, { compression: 'jpeg' as 'lzw' })).toThrowError(/compression 'jpeg'/);
    expect(() => writeImage(join(dir, 'c.npy'), { ...v, dtype: 'u16' })).toThrowError(ConfigError);
    expect(() => writeImage(join(dir, 'c.npy'), { ...v, shape: [1, 2, 3] })).toThrowError(/does not match the 4 voxels/);
  });
});

describe('openImage', () => {
  it('detects the format from magic bytes when the extension says nothing', () => {
    const cases = [['npy', 'a'], ['tif', 'b'], ['png', 'c']] as const;
    for (const [ext, name] of cases) {
      writeImage(join(dir, `${name}.${ext}`), makeVolume('u8', [1, 3, 3]));
      writeFileSync(join(dir, `${name}.data`), readFileSync(join(dir, `${name}.${ext}`)));
      expect(openImage(join(dir, `${name}.data`)).format).toBe(ext === 'tif' ? 'tiff' : ext);
    }
    writeFileSync(join(dir, 'd.data'), 'NDims = 2\nDimSize = 1 1\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n\x07');
    expect(openImage(join(dir, 'd.data')).format).toBe('mha');
    writeFileSync(join(dir, 'e.data'), 'hello');
    expect(() => openImage(join(dir, 'e.data'))).toThrowError(/cannot tell the image format.*pass the format/);
  });

  it('reports a missing file', () => {
    expect(() => openImage(join(dir, 'missing.npy'))).toThrowError(`${join(dir, 'missing.npy')}: cannot open: no such file or directory; check the path`);
  });
});

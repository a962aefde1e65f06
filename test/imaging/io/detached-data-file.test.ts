/**
 * Detached data files (NRRD `data file`, MetaImage `ElementDataFile`) must stay inside the header's
 * folder (issue 13, item 3): an absolute path, a `..` that climbs out, or a symlink that leads out is
 * refused with one line naming the header, the field and the path, unless `allowOutsideData` is set.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Context } from '../../../core/index.js';
import '../../../imaging/index.js'; // ctx.images
import { ImageFormatError, readImage } from '../../../imaging/io/index.js';
import { makeVolume, tempDir } from './helpers.js';

const root = tempDir();
const v = makeVolume('u8', [2, 3, 4]);
const bytes = Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength);

/** `<root>/outside.raw` (the secret), `<root>/images/` (the headers), `<root>/images/sub/inside.raw`. */
const images = join(root, 'images');
const outside = join(root, 'outside.raw');
beforeAll(() => {
  mkdirSync(join(images, 'sub'), { recursive: true });
  writeFileSync(outside, bytes);
  writeFileSync(join(images, 'sibling.raw'), bytes);
  writeFileSync(join(images, 'sub', 'inside.raw'), bytes);
  symlinkSync(outside, join(images, 'link.raw'));
  symlinkSync(join(images, 'sibling.raw'), join(images, 'inner-link.raw'));
  // A folder symlink inside the header's folder that leads out of it.
  symlinkSync(root, join(images, 'up'));
});

interface Format {
  readonly name: string;
  readonly ext: string;
  readonly field: string;
  readonly header: (dataFile: string) => string;
}

const FORMATS: readonly Format[] = [
  {
    name: 'NRRD',
    ext: '.nhdr',
    field: 'data file',
    header: (f) => `NRRD0004\ntype: uint8\ndimension: 3\nsizes: 4 3 2\nencoding: raw\ndata file: ${f}\n`,
  },
  {
    name: 'NRRD (datafile spelling)',
    ext: '.nhdr',
    field: 'datafile',
    header: (f) => `NRRD0004\ntype: uint8\ndimension: 3\nsizes: 4 3 2\nencoding: raw\ndatafile: ${f}\n`,
  },
  {
    name: 'MetaImage',
    ext: '.mhd',
    field: 'ElementDataFile',
    header: (f) => `ObjectType = Image\nNDims = 3\nDimSize = 4 3 2\nElementType = MET_UCHAR\nElementDataFile = ${f}\n`,
  },
];

let serial = 0;
function headerFor(format: Format, dataFile: string): string {
  const path = join(images, `h${serial++}${format.ext}`);
  writeFileSync(path, format.header(dataFile));
  return path;
}

/** The error `readImage` throws, or fails the test when it reads. */
function refusal(path: string): ImageFormatError {
  try {
    readImage(path);
  } catch (err) {
    expect(err).toBeInstanceOf(ImageFormatError);
    return err as ImageFormatError;
  }
  return expect.fail(`${path} was read`);
}

describe.each(FORMATS)('$name', (format) => {
  const escapes: readonly [string, () => string][] = [
    ['an absolute path', () => outside],
    ['a .. that climbs out', () => '../outside.raw'],
    ['a .. hidden in the middle', () => 'sub/../../outside.raw'],
    ['a symlink to a file outside', () => 'link.raw'],
    ['a path through a folder symlink that leads out', () => 'up/outside.raw'],
  ];

  it.each(escapes)('refuses %s with one line naming the header, the field and the path', (_what, name) => {
    const dataFile = name();
    const header = headerFor(format, dataFile);
    const err = refusal(header);
    expect(err.message.split('\n')).toHaveLength(1);
    expect(err.message.startsWith(`${header}: `)).toBe(true);
    expect(err.message).toContain(`${format.field} '${dataFile}'`);
    expect(err.message).toContain('--allow-outside-data');
    expect(err.message).toContain('allowOutsideData');
  });

  it.each(escapes)('reads %s with allowOutsideData', (_what, name) => {
    const header = headerFor(format, name());
    expect(readImage(header, { allowOutsideData: true }).data).toEqual(v.data);
  });

  it('reads a sibling data file', () => {
    expect(readImage(headerFor(format, 'sibling.raw')).data).toEqual(v.data);
  });

  it('reads a data file in a subfolder, and a symlink that stays inside', () => {
    expect(readImage(headerFor(format, 'sub/inside.raw')).data).toEqual(v.data);
    expect(readImage(headerFor(format, './sub/../sibling.raw')).data).toEqual(v.data);
    expect(readImage(headerFor(format, 'inner-link.raw')).data).toEqual(v.data);
  });

  it('says the data file is missing when it is (inside the folder)', () => {
    expect(refusal(headerFor(format, 'nope.raw')).message).toMatch(/cannot open: no such file/);
  });
});

describe('per-slice data file lists', () => {
  // These forms name several files; voxelflow reads none of them, so none can lead outside either.
  const lists: readonly [string, string][] = [
    ['NRRD data file: LIST', `NRRD0004\ntype: uint8\ndimension: 3\nsizes: 4 3 2\nencoding: raw\ndata file: LIST\n../outside.raw\n../outside.raw\n`],
    ['NRRD data file: <format> <min> <max> <step>', `NRRD0004\ntype: uint8\ndimension: 3\nsizes: 4 3 2\nencoding: raw\ndata file: ../out%d.raw 0 1 1\n`],
    ['MetaImage ElementDataFile = LIST 2D', `NDims = 3\nDimSize = 4 3 2\nElementType = MET_UCHAR\nElementDataFile = LIST 2D\n../outside.raw\n`],
    ['MetaImage ElementDataFile = <format> <min> <max> <step>', `NDims = 3\nDimSize = 4 3 2\nElementType = MET_UCHAR\nElementDataFile = ../out%d.raw 0 1 1\n`],
  ];

  it.each(lists)('refuses %s as not supported, even with allowOutsideData', (_what, text) => {
    const path = join(images, `list${serial++}${text.startsWith('NRRD') ? '.nhdr' : '.mhd'}`);
    writeFileSync(path, text);
    expect(() => readImage(path, { allowOutsideData: true })).toThrow(/\(one file per slice\) is not supported/);
  });
});

describe('ctx.images.read', () => {
  let ctx: Context;
  beforeAll(async () => {
    ctx = await Context.create({ master: 'local' });
  });
  afterAll(() => ctx.stop());

  it('refuses a data file outside the header folder, and reads it with { allowOutsideData: true }', async () => {
    const header = headerFor(FORMATS[0]!, '../outside.raw');
    expect(() => ctx.images.read(header)).toThrow(/data file '\.\.\/outside\.raw'/);
    const img = ctx.images.read(header, { allowOutsideData: true });
    expect((await img.toArray()).data).toEqual(v.data);
  });
});

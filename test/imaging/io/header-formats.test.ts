import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, deflateSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { openImage, readImage } from '../../../imaging/io/index.js';
import { makeVolume, sliceBox, tempDir } from './helpers.js';

const dir = tempDir();

/** The bytes of a typed array in the chosen byte order. */
function bytesOf(data: ArrayLike<number> & { BYTES_PER_ELEMENT: number }, bigEndian: boolean, kind: 'u' | 'i' | 'f'): Buffer {
  const w = data.BYTES_PER_ELEMENT;
  const out = Buffer.alloc(data.length * w);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const le = !bigEndian;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    const at = i * w;
    if (w === 1) view.setUint8(at, v);
    else if (kind === 'f' && w === 4) view.setFloat32(at, v, le);
    else if (kind === 'f') view.setFloat64(at, v, le);
    else if (w === 2) view.setUint16(at, v & 0xffff, le);
    else view.setUint32(at, v >>> 0, le);
  }
  return out;
}

describe('MetaImage', () => {
  const v = makeVolume('i16', [3, 4, 5]);
  const header = (extra: string): string =>
    `ObjectType = Image\nNDims = 3\nDimSize = 5 4 3\nElementType = MET_SHORT\nElementSpacing = 0.5 0.25 2\n${extra}`;

  it('reads .mha with inline data, spacing as [z, y, x]', () => {
    const path = join(dir, 'a.mha');
    writeFileSync(path, Buffer.concat([Buffer.from(header('ElementDataFile = LOCAL\n')), bytesOf(v.data, false, 'i')]));
    const got = readImage(path);
    expect(got.data).toEqual(v.data);
    expect(got.shape).toEqual([3, 4, 5]);
    expect(got.spacing).toEqual([2, 0.25, 0.5]);
    expect(openImage(path).readRegion([1, 1, 2], [2, 2, 3])).toEqual(sliceBox(v, [1, 1, 2], [2, 2, 3]));
  });

  it('reads .mhd with a big-endian data file and CRLF lines', () => {
    writeFileSync(join(dir, 'b.raw'), bytesOf(v.data, true, 'i'));
    const path = join(dir, 'b.mhd');
    writeFileSync(path, header('BinaryDataByteOrderMSB = True\nElementDataFile = b.raw\n').replace(/\n/g, '\r\n'));
    expect(readImage(path).data).toEqual(v.data);
  });

  it('reads zlib-compressed data (CompressedData = True)', () => {
    const f = makeVolume('f32', [2, 3, 4]);
    const path = join(dir, 'c.mha');
    const text = 'NDims = 3\nDimSize = 4 3 2\nElementType = MET_FLOAT\nCompressedData = True\nElementDataFile = LOCAL\n';
    writeFileSync(path, Buffer.concat([Buffer.from(text), deflateSync(bytesOf(f.data, false, 'f'))]));
    expect(readImage(path).data).toEqual(f.data);
    expect(openImage(path).readRegion([1, 0, 1], [1, 3, 2])).toEqual(sliceBox(f, [1, 0, 1], [1, 3, 2]));
  });

  it('reads 2D images as z = 1', () => {
    const path = join(dir, 'd.mha');
    writeFileSync(path, Buffer.concat([Buffer.from('NDims = 2\nDimSize = 3 2\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n'), Buffer.from([1, 2, 3, 4, 5, 6])]));
    expect(readImage(path).shape).toEqual([1, 2, 3]);
  });

  it('names unsupported element types and truncated data', () => {
    const bad = join(dir, 'e.mha');
    writeFileSync(bad, 'NDims = 2\nDimSize = 1 1\nElementType = MET_CHAR\nElementDataFile = LOCAL\n\0');
    expect(() => openImage(bad)).toThrowError(/ElementType 'MET_CHAR' is not supported/);
    const short = join(dir, 'f.mha');
    writeFileSync(short, Buffer.concat([Buffer.from(header('ElementDataFile = LOCAL\n')), Buffer.alloc(10)]));
    expect(() => openImage(short)).toThrowError(/truncated: header says 5x4x3 \(x,y,z\) i16 \(120 bytes/);
  });
});

describe('NRRD', () => {
  const v = makeVolume('u16', [3, 4, 5]);
  const header = (encoding: string, extra = ''): string =>
    `NRRD0004\n# comment\ntype: unsigned short\ndimension: 3\nsizes: 5 4 3\nspace directions: (0.5,0,0) (0,0.25,0) (0,0,2)\nendian: big\nencoding: ${encoding}\n${extra}`;

  it('reads attached raw data, big endian, spacing from space directions', () => {
    const path = join(dir, 'a.nrrd');
    writeFileSync(path, Buffer.concat([Buffer.from(`${header('raw')}\n`), bytesOf(v.data, true, 'u')]));
    const got = readImage(path);
    expect(got.data).toEqual(v.data);
    expect(got.spacing).toEqual([2, 0.25, 0.5]);
    expect(openImage(path).readRegion([0, 2, 1], [3, 2, 4])).toEqual(sliceBox(v, [0, 2, 1], [3, 2, 4]));
  });

  it('reads attached gzip data', () => {
    const path = join(dir, 'b.nrrd');
    writeFileSync(path, Buffer.concat([Buffer.from(`${header('gzip')}\n`), gzipSync(bytesOf(v.data, true, 'u'))]));
    expect(readImage(path).data).toEqual(v.data);
  });

  it('reads a detached header (.nhdr) with byte skip', () => {
    writeFileSync(join(dir, 'c.raw'), Buffer.concat([Buffer.alloc(16), bytesOf(v.data, true, 'u')]));
    const path = join(dir, 'c.nhdr');
    writeFileSync(path, header('raw', 'byte skip: 16\ndata file: c.raw\n'));
    expect(readImage(path).data).toEqual(v.data);
  });

  it('reads 2D float images with spacings', () => {
    const f = makeVolume('f64', [1, 2, 3]);
    const path = join(dir, 'd.nrrd');
    const text = 'NRRD0005\ntype: double\ndimension: 2\nsizes: 3 2\nspacings: 0.1 0.2\nendian: little\nencoding: raw\n\n';
    writeFileSync(path, Buffer.concat([Buffer.from(text), bytesOf(f.data, false, 'f')]));
    const got = readImage(path);
    expect(got.data).toEqual(f.data);
    expect(got.shape).toEqual([1, 2, 3]);
    expect(got.spacing).toEqual([1, 0.2, 0.1]);
  });

  it('names unsupported encodings and types', () => {
    const path = join(dir, 'e.nrrd');
    writeFileSync(path, `${header('bzip2')}\n`);
    expect(() => openImage(path)).toThrowError(/encoding 'bzip2' is not supported.*; save it with encoding raw or gzip/);
    writeFileSync(path, `${header('raw').replace('unsigned short', 'signed char')}\n`);
    expect(() => openImage(path)).toThrowError(/type 'signed char' is not supported/);
  });
});

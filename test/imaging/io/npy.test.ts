import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ImageFormatError, openImage, readImage, writeImage } from '../../../imaging/io/index.js';
import { ALL_DTYPES, expectVolumeEqual, makeVolume, pythonHas, runPython, sliceBox, tempDir } from './helpers.js';

const dir = tempDir();

/** An npy file built by hand: preamble for `version`, the header dict, then `data`. */
function npyBytes(dict: string, data: Uint8Array, version = 1): Buffer {
  const lenBytes = version === 1 ? 2 : 4;
  const pad = 64 - ((6 + 2 + lenBytes + dict.length + 1) % 64);
  const header = `${dict}${' '.repeat(pad % 64)}\n`;
  const pre = Buffer.alloc(8 + lenBytes);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = version;
  if (version === 1) pre.writeUInt16LE(header.length, 8);
  else pre.writeUInt32LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), data]);
}

describe('npy', () => {
  it.each(ALL_DTYPES)('round-trips %s', (dtype) => {
    const v = makeVolume(dtype, [3, 5, 7]);
    const path = join(dir, `rt-${dtype}.npy`);
    writeImage(path, v);
    expectVolumeEqual(readImage(path), v);
  });

  it('writes a 64-byte aligned v1.0 header that names the dtype and shape', () => {
    const path = join(dir, 'hdr.npy');
    writeImage(path, makeVolume('i16', [2, 3, 4]));
    const text = readFileSync(path).subarray(0, 128).toString('latin1');
    expect(text.startsWith('\x93NUMPY\x01\x00')).toBe(true);
    expect(text).toContain("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3, 4), }");
    expect((text.indexOf('\n') + 1) % 64).toBe(0);
  });

  it('reads big-endian >u2, >i4, >f8 built byte by byte', () => {
    const be = (n: number, width: number, kind: 'u' | 'i' | 'f'): number[] => {
      const b = Buffer.alloc(width);
      if (kind === 'f') b.writeDoubleBE(n);
      else if (width === 2) b.writeUInt16BE(n);
      else if (kind === 'i') b.writeInt32BE(n);
      else b.writeUInt32BE(n);
      return [...b];
    };
    const cases = [
      { descr: '>u2', width: 2, kind: 'u', values: [1, 258, 65535, 0], Ctor: Uint16Array },
      { descr: '>i4', width: 4, kind: 'i', values: [-1, 16909060, -2147483648, 7], Ctor: Int32Array },
      { descr: '>f8', width: 8, kind: 'f', values: [1.5, -2.25, 1e300, 0], Ctor: Float64Array },
    ] as const;
    for (const c of cases) {
      const data = Uint8Array.from(c.values.flatMap((x) => be(x, c.width, c.kind)));
      const path = join(dir, `be${c.descr.slice(1)}.npy`);
      writeFileSync(path, npyBytes(`{'descr': '${c.descr}', 'fortran_order': False, 'shape': (1, 2, 2), }`, data));
      const v = readImage(path);
      expect(v.data).toEqual(c.Ctor.from(c.values));
      expect(v.shape).toEqual([1, 2, 2]);
    }
  });

  it('reads versions 2.0 and 3.0 headers and 2D arrays as z = 1', () => {
    for (const version of [2, 3]) {
      const path = join(dir, `v${version}.npy`);
      writeFileSync(path, npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", Uint8Array.of(1, 2, 3, 4, 5, 6), version));
      const v = readImage(path);
      expect(v.shape).toEqual([1, 2, 3]);
      expect([...v.data]).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it('reads bool arrays as u8', () => {
    const path = join(dir, 'bool.npy');
    writeFileSync(path, npyBytes("{'descr': '|b1', 'fortran_order': False, 'shape': (1, 1, 3), }", Uint8Array.of(1, 0, 1)));
    expect(readImage(path).dtype).toBe('u8');
  });

  it('rejects Fortran order, naming np.ascontiguousarray', () => {
    const path = join(dir, 'fortran.npy');
    writeFileSync(path, npyBytes("{'descr': '<u2', 'fortran_order': True, 'shape': (2, 2, 2), }", new Uint8Array(16)));
    expect(() => openImage(path)).toThrowError(/Fortran order.*np\.ascontiguousarray/);
  });

  it('rejects 1D arrays and unsupported dtypes with a fix', () => {
    const oneD = join(dir, 'oned.npy');
    writeFileSync(oneD, npyBytes("{'descr': '<u2', 'fortran_order': False, 'shape': (4,), }", new Uint8Array(8)));
    expect(() => openImage(oneD)).toThrowError(/1 dimension/);
    const i8 = join(dir, 'int64.npy');
    writeFileSync(i8, npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 1, 1), }", new Uint8Array(8)));
    expect(() => openImage(i8)).toThrowError(/'<i8' is not supported.*astype\(np\.int32\)/);
  });

  it('reports truncation with the header shape, data size and file size', () => {
    const path = join(dir, 'scan.npy');
    const full = npyBytes("{'descr': '<u2', 'fortran_order': False, 'shape': (64, 64, 64), }", new Uint8Array(1000 - 128));
    writeFileSync(path, full);
    const err = (() => {
      try {
        openImage(path);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ImageFormatError);
    expect((err as ImageFormatError).message).toBe(
      `${path}: truncated: header says 64x64x64 u16 (524288 bytes of data) but the file has 1000 bytes; re-export the file`,
    );
    expect((err as ImageFormatError).format).toBe('npy');
    expect((err as ImageFormatError).file).toBe(path);
  });

  it('reads boxes equal to slicing the full array', () => {
    const v = makeVolume('f32', [4, 6, 9]);
    const path = join(dir, 'box.npy');
    writeImage(path, v);
    const src = openImage(path);
    for (const [o, s] of [[[0, 0, 0], [4, 6, 9]], [[1, 2, 3], [2, 3, 4]], [[3, 5, 8], [1, 1, 1]], [[0, 1, 0], [4, 2, 9]], [[2, 0, 0], [2, 6, 9]]] as const) {
      expect(src.readRegion(o, s)).toEqual(sliceBox(v, o, s));
    }
  });
});

const hasNumpy = pythonHas('numpy');
describe.skipIf(!hasNumpy)(`npy written by numpy${hasNumpy ? '' : ' (skipped: needs numpy; python3 -c "import numpy" failed)'}`, () => {
  it('reads np.save output for every dtype, big endian, 2D and 3D, and rejects Fortran order', () => {
    runPython(`
import numpy as np
d = ${JSON.stringify(dir)}
a = (np.arange(2*3*5) * 37 % 251).reshape(2, 3, 5)
for name in ['uint8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64']:
    np.save(f'{d}/np-{name}.npy', (a - (100 if name.startswith(('int', 'float')) else 0)).astype(name))
np.save(f'{d}/np-be.npy', a.astype('>u2'))
np.save(f'{d}/np-2d.npy', a[0].astype('<f4'))
np.save(f'{d}/np-bool.npy', a > 100)
np.save(f'{d}/np-fortran.npy', np.asfortranarray(a.astype('u2')))
`);
    const expected = Array.from({ length: 30 }, (_, i) => (i * 37) % 251);
    const dtypes = { uint8: 'u8', uint16: 'u16', int16: 'i16', uint32: 'u32', int32: 'i32', float32: 'f32', float64: 'f64' } as const;
    for (const [name, dtype] of Object.entries(dtypes)) {
      const v = readImage(join(dir, `np-${name}.npy`));
      expect(v.dtype).toBe(dtype);
      expect(v.shape).toEqual([2, 3, 5]);
      expect([...v.data]).toEqual(expected.map((x) => x - (/^(int|float)/.test(name) ? 100 : 0)));
    }
    expect([...readImage(join(dir, 'np-be.npy')).data]).toEqual(expected);
    const twoD = readImage(join(dir, 'np-2d.npy'));
    expect(twoD.shape).toEqual([1, 3, 5]);
    expect([...twoD.data]).toEqual(expected.slice(0, 15));
    expect([...readImage(join(dir, 'np-bool.npy')).data]).toEqual(expected.map((x) => (x > 100 ? 1 : 0)));
    expect(() => readImage(join(dir, 'np-fortran.npy'))).toThrowError(/Fortran order/);
  });

  it('writes files np.load reads back', () => {
    const v = makeVolume('i32', [2, 3, 4]);
    const path = join(dir, 'to-numpy.npy');
    writeImage(path, v);
    const out = runPython(`import numpy as np; a = np.load(${JSON.stringify(path)}); print(a.dtype.str, a.shape, int(a.sum()))`);
    const sum = [...v.data].reduce((s, x) => s + x, 0);
    expect(out.trim()).toBe(`<i4 (2, 3, 4) ${sum}`);
  });
});

/**
 * NumPy `.npy` files, versions 1.0, 2.0 and 3.0: a magic string, a Python-literal header dict
 * (`descr`, `fortran_order`, `shape`) and the raw array. Reading is by byte ranges; writing produces
 * version 1.0, little endian, with the header padded to 64 bytes as `np.save` does.
 * Spec: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
import type { DType } from '../dtype.js';
import { bytesPer } from '../dtype.js';
import type { Shape3, Volume } from '../volume.js';
import { littleEndianBytes } from './byte-order.js';
import { ContiguousSource } from './contiguous-source.js';
import { readAt, withFile, writeAll } from './file-bytes.js';
import { failFor, type Fail } from './image-format-error.js';
import { describeShape, type ImageSource } from './image-source.js';

const MAGIC = '\x93NUMPY';

/** numpy type codes (descr without the byte-order character) that map to a voxelflow dtype. */
const DESCR_DTYPES: Readonly<Record<string, DType>> = {
  u1: 'u8', b1: 'u8', u2: 'u16', i2: 'i16', u4: 'u32', i4: 'i32', f4: 'f32', f8: 'f64',
};

/** What to suggest for numpy dtypes voxelflow has no twin for. */
const DESCR_FIXES: Readonly<Record<string, string>> = {
  i1: 'save arr.astype(np.int16)',
  i8: 'save arr.astype(np.int32) or arr.astype(np.float64)',
  u8: 'save arr.astype(np.uint32) or arr.astype(np.float64)',
  f2: 'save arr.astype(np.float32)',
};

/** Parses the header of an `.npy` file; the voxels stay on disk. */
export function openNpy(path: string): ImageSource {
  return openNpyWith(path, false);
}

/**
 * Opens a one-dimensional `.npy` array (a list of angles, say) as an image of shape `[1, 1, n]`; 2D
 * and 3D arrays open as `openNpy` opens them.
 */
export function openNpyVector(path: string): ImageSource {
  return openNpyWith(path, true);
}

function openNpyWith(path: string, vector: boolean): ImageSource {
  const fail: Fail = failFor(path, 'npy');
  return withFile(path, fail, (fd, size) => {
    const prefix = readAt(fd, size, 0, Math.min(size, 12), 'the npy preamble', fail);
    if (prefix.length < 10 || prefix.toString('latin1', 0, 6) !== MAGIC) {
      fail('not an npy file (no \\x93NUMPY magic)', 'save it with np.save or pass the right format');
    }
    const major = prefix[6]!;
    if (major < 1 || major > 3) fail(`unknown npy format version ${major}.${prefix[7]}`, 'save it with np.save from numpy >= 1.9');
    const lenBytes = major === 1 ? 2 : 4;
    if (prefix.length < 8 + lenBytes) fail('truncated: the npy preamble is cut short', 're-export the file');
    const headerLength = major === 1 ? prefix.readUInt16LE(8) : prefix.readUInt32LE(8);
    const dataOffset = 8 + lenBytes + headerLength;
    const text = readAt(fd, size, 8 + lenBytes, headerLength, 'the npy header', fail).toString(major === 3 ? 'utf8' : 'latin1');
    const header = parseHeader(text, fail, vector);
    const bytes = header.dims.reduce((a, b) => a * b, 1) * bytesPer(header.dtype);
    if (dataOffset + bytes > size) {
      fail(
        `truncated: header says ${describeShape(header.dims)} ${header.dtype} (${bytes} bytes of data) but the file has ${size} bytes`,
        're-export the file',
      );
    }
    return new ContiguousSource({ path, format: 'npy', dataFile: path, offset: dataOffset, ...header });
  });
}

interface NpyHeader {
  readonly dims: readonly number[];
  readonly shape: Shape3;
  readonly dtype: DType;
  readonly littleEndian: boolean;
}

/** Reads `descr`, `fortran_order` and `shape` out of the header's Python dict literal. */
function parseHeader(text: string, fail: Fail, vector: boolean): NpyHeader {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    fail(`corrupt header ${JSON.stringify(text.slice(0, 80))}: needs descr, fortran_order and shape`, 'save it with np.save (structured dtypes are not images)');
  }
  if (fortran === 'True') {
    fail('array is stored in Fortran order', 'save it in C order: np.save(path, np.ascontiguousarray(arr))');
  }
  const parts = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const dims = parts.map((s) => (/^\d+L?$/.test(s) ? Number.parseInt(s, 10) : Number.NaN));
  if (dims.some((d) => !Number.isSafeInteger(d))) fail(`corrupt shape (${shapeText})`, 're-export the file');
  const shape: Shape3 | null =
    dims.length === 3 ? [dims[0]!, dims[1]!, dims[2]!] : dims.length === 2 ? [1, dims[0]!, dims[1]!] : dims.length === 1 && vector ? [1, 1, dims[0]!] : null;
  if (shape === null) {
    fail(`array has ${dims.length} dimension(s) (shape (${shapeText})); images have 2 or 3`, 'reshape it to (z, y, x) or (y, x) before saving');
  }
  const order = /^[<>|=]/.test(descr) ? descr[0]! : '|';
  const code = order === descr[0] ? descr.slice(1) : descr;
  const dtype = DESCR_DTYPES[code];
  if (dtype === undefined) {
    fail(`numpy dtype '${descr}' is not supported (voxelflow reads u8, u16, i16, u32, i32, f32, f64)`, DESCR_FIXES[code] ?? 'save arr.astype(np.float32)');
  }
  return { dims, shape, dtype, littleEndian: order !== '>' };
}

/** The numpy `descr` of a dtype, little endian. */
function descrOf(dtype: DType): string {
  const size = bytesPer(dtype);
  const kind = dtype.startsWith('f') ? 'f' : dtype.startsWith('i') ? 'i' : 'u';
  return `${size === 1 ? '|' : '<'}${kind}${size}`;
}

/** The version 1.0 preamble and header for a C-order array, padded so the data starts at a multiple of 64. */
export function npyHeader(shape: Shape3, dtype: DType): Buffer {
  const dict = `{'descr': '${descrOf(dtype)}', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  const unpadded = MAGIC.length + 4 + dict.length + 1;
  const padded = Math.ceil(unpadded / 64) * 64;
  const header = Buffer.alloc(padded, 0x20);
  header.write(MAGIC, 0, 'latin1');
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(padded - 10, 8);
  header.write(dict, 10, 'latin1');
  header[padded - 1] = 0x0a;
  return header;
}

/** Writes `volume` as a 3D `.npy` (shape `(z, y, x)`) to an open descriptor. */
export function writeNpy(fd: number, volume: Volume): void {
  writeAll(fd, npyHeader(volume.shape, volume.dtype));
  writeAll(fd, littleEndianBytes(volume.data));
}

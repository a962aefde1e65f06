/**
 * Raw voxel files: no header of their own, so the caller states the shape (`[x, y, z]`, as the CLI's
 * `--shape` takes it), the dtype, the byte order and how many header bytes to skip. The file size
 * must match exactly, which catches most wrong guesses.
 */
import { bytesPer, DTYPES, type DType } from '../dtype.js';
import type { Volume } from '../volume.js';
import { littleEndianBytes } from './byte-order.js';
import { ContiguousSource } from './contiguous-source.js';
import { withFile, writeAll } from './file-bytes.js';
import { failFor, type Fail } from './image-format-error.js';
import type { ImageSource, OpenOptions } from './image-source.js';

/** Opens a raw file described by `options`. */
export function openRaw(path: string, options: OpenOptions): ImageSource {
  const fail: Fail = failFor(path, 'raw');
  const { shape, dtype } = options;
  if (shape === undefined || dtype === undefined) {
    fail('raw files have no header, so shape and dtype must be given', 'pass --shape x,y,z and --dtype (e.g. u16), and --endian/--header-bytes if needed');
  }
  if (shape.length !== 3 || !shape.every((n) => Number.isSafeInteger(n) && n > 0)) {
    fail(`raw shape [${shape.join(', ')}] must be three positive integers x, y, z`, 'check --shape');
  }
  if (!(DTYPES as readonly string[]).includes(dtype)) fail(`unknown raw dtype '${dtype}'`, `pass one of ${DTYPES.join(', ')}`);
  const headerBytes = options.headerBytes ?? 0;
  if (!Number.isSafeInteger(headerBytes) || headerBytes < 0) fail(`header bytes ${headerBytes} must be a non-negative integer`, 'check --header-bytes');
  const endian = options.endian ?? 'little';
  if (endian !== 'little' && endian !== 'big') fail(`unknown byte order '${String(endian)}'`, "pass 'little' or 'big'");
  const [x, y, z] = shape;
  const needed = headerBytes + x * y * z * bytesPer(dtype as DType);
  withFile(path, fail, (_fd, size) => {
    if (size !== needed) {
      fail(
        `raw file is ${size} bytes but shape ${x}x${y}x${z} (x,y,z) ${dtype} with ${headerBytes} header bytes needs ${needed} bytes`,
        'check --shape, --dtype and --header-bytes',
      );
    }
  });
  return new ContiguousSource({
    path, format: 'raw', dataFile: path, offset: headerBytes, shape: [z, y, x], dtype, littleEndian: endian === 'little',
  });
}

/** Writes the voxels alone, little endian, C order (`z` slowest). */
export function writeRaw(fd: number, volume: Volume): void {
  writeAll(fd, littleEndianBytes(volume.data));
}

/**
 * `writeImage`: pick the writer by option or extension, and write atomically: everything goes to a
 * temporary file in the target's directory, which is renamed over the target only when complete.
 * On any error the temporary file is removed, so no partial image is ever left behind. An existing
 * file is replaced only with `overwrite: true` (as for Zarr stores).
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { extname } from 'node:path';

import { ConfigError } from '../../core/index.js';
import { dtypeOf } from '../dtype.js';
import type { Volume } from '../volume.js';
import { ImageFormatError, isImageFormatError } from './image-format-error.js';
import { writeNpy } from './npy.js';
import { refuseExisting, removeStaleTemporaries, writeBeside } from './output-path.js';
import { writePng } from './png.js';
import { writeRaw } from './raw.js';
import { writeTiff, type TiffCompression } from './tiff-write.js';

/** Formats `writeImage` produces. */
export type WriteFormat = 'npy' | 'tiff' | 'raw' | 'png';

/** Options of `writeImage`. */
export interface WriteOptions {
  /** Overrides the format taken from the extension. */
  readonly format?: WriteFormat;
  /** TIFF only: strip compression (default none). */
  readonly compression?: TiffCompression;
  /** Replace an existing file at the path (default: refuse, before anything is computed or written). */
  readonly overwrite?: boolean;
}

const EXTENSIONS: Readonly<Record<string, WriteFormat>> = {
  '.npy': 'npy', '.tif': 'tiff', '.tiff': 'tiff', '.raw': 'raw', '.bin': 'raw', '.png': 'png',
};
const COMPRESSIONS: readonly TiffCompression[] = ['none', 'lzw', 'deflate', 'packbits'];

/** Writes `volume` to `path` (npy, multi-page TIFF, raw little endian, or 2D PNG). */
export function writeImage(path: string, volume: Volume, options: WriteOptions = {}): void {
  checkVolume(volume);
  const ext = extname(path).toLowerCase();
  const format = options.format ?? EXTENSIONS[ext];
  if (format === undefined || !Object.values(EXTENSIONS).includes(format)) {
    const what = options.format === undefined ? `extension '${ext}'` : `format '${String(options.format)}'`;
    throw new ImageFormatError(path, String(options.format ?? ext), `cannot write ${what}`, 'write .npy, .tif, .raw or .png (MetaImage and NRRD are read-only)');
  }
  const compression = options.compression ?? 'none';
  if (!COMPRESSIONS.includes(compression)) {
    throw new ConfigError('compression', `writeImage: compression '${String(compression)}' is not one of ${COMPRESSIONS.join(', ')}`);
  }
  if (options.compression !== undefined && compression !== 'none' && format !== 'tiff') {
    throw new ConfigError('compression', `writeImage: compression applies to TIFF only, not ${format}`);
  }
  if ((format === 'tiff' || format === 'png') && volume.shape.some((n) => n === 0)) {
    throw new ImageFormatError(path, format, `cannot write an empty volume (shape ${volume.shape.join('x')}) as ${format}`, 'write .npy for empty arrays');
  }
  refuseExisting(path, format, options.overwrite);
  removeStaleTemporaries(path);
  atomicWrite(path, format, options.overwrite, (fd) => {
    if (format === 'npy') writeNpy(fd, volume);
    else if (format === 'raw') writeRaw(fd, volume);
    else if (format === 'png') writePng(fd, volume, path);
    else writeTiff(fd, volume, compression, path);
  });
}

/** Throws `ConfigError` unless the volume's data, dtype and shape agree. */
function checkVolume(volume: Volume): void {
  const { data, shape, dtype } = volume;
  if (dtypeOf(data) !== dtype) throw new ConfigError('volume', `writeImage: volume.dtype is ${dtype} but volume.data is a ${data?.constructor?.name}`);
  if (shape.length !== 3 || !shape.every((n) => Number.isSafeInteger(n) && n >= 0) || shape[0] * shape[1] * shape[2] !== data.length) {
    throw new ConfigError('volume', `writeImage: shape [${shape.join(', ')}] does not match the ${data.length} voxels of volume.data`);
  }
}

/** Runs `write` on a temporary file next to `path`, synced, and renames it into place once it is complete. */
function atomicWrite(path: string, format: string, overwrite: boolean | undefined, write: (fd: number) => void): void {
  try {
    writeBeside(path, format, overwrite, (temp) => {
      const fd = openSync(temp, 'wx');
      try {
        write(fd);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    });
  } catch (err) {
    if (isImageFormatError(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImageFormatError(path, format, `cannot write: ${code ?? (err as Error).message}`, 'check that the directory exists, is writable and has space', { cause: err });
  }
}

/**
 * The voxel part of header formats (MetaImage, NRRD): C-order voxels in the header's own file or a
 * detached one, raw (read by byte ranges) or as one zlib/gzip stream (decoded whole on first use).
 */
import { bytesPer, type DType, type TypedArray } from '../dtype.js';
import type { Shape3 } from '../volume.js';
import { ContiguousSource } from './contiguous-source.js';
import { checkRange, readAt, withFile } from './file-bytes.js';
import type { Fail } from './image-format-error.js';
import type { ImageSource } from './image-source.js';
import { inflateVoxels, MemorySource } from './memory-source.js';

/** Where a header says the voxels are. */
export interface DataLayout {
  readonly path: string;
  readonly format: string;
  readonly shape: Shape3;
  readonly dtype: DType;
  readonly spacing: readonly [number, number, number] | undefined;
  readonly littleEndian: boolean;
  /** The file holding the voxels (the header's own path when attached), and its name for messages. */
  readonly dataFile: string;
  readonly dataName: string;
  /** Byte offset of the voxels or of the compressed stream; -1: the raw voxels end the file. */
  readonly start: number;
  /** For compressed data: the stream's length (default: to the end of the file) and decoded bytes to skip. */
  readonly compressed?: { readonly length?: number | undefined; readonly skip: number };
}

/** Checks that the data fits its file and returns the matching source. */
export function openDataFile(layout: DataLayout, fail: Fail): ImageSource {
  const { shape, dtype, dataFile, littleEndian, compressed } = layout;
  const count = shape[0] * shape[1] * shape[2];
  const bytes = count * bytesPer(dtype);
  const common = { path: layout.path, format: layout.format, shape, dtype, spacing: layout.spacing };
  if (compressed !== undefined) {
    const start = layout.start;
    const length = withFile(dataFile, fail, (_fd, size) => {
      const n = compressed.length ?? size - start;
      checkRange(size, start, n, 'the compressed data', fail);
      return n;
    });
    const decode = (): TypedArray =>
      withFile(dataFile, fail, (fd, size) => inflateVoxels(readAt(fd, size, start, length, 'the compressed data', fail), dtype, count, littleEndian, compressed.skip, fail));
    return new MemorySource({ ...common, decode });
  }
  const offset = withFile(dataFile, fail, (_fd, size) => {
    const at = layout.start === -1 ? size - bytes : layout.start;
    if (!Number.isSafeInteger(at) || at < 0 || at + bytes > size) {
      fail(
        `truncated: header says ${shape[2]}x${shape[1]}x${shape[0]} (x,y,z) ${dtype} (${bytes} bytes of data from byte ${at}) but ${layout.dataName} has ${size} bytes`,
        're-export the file',
      );
    }
    return at;
  });
  return new ContiguousSource({ ...common, dataFile, offset, littleEndian });
}

/**
 * The reader contract: a header parsed once at open, then any box of voxels on demand. A worker that
 * computes block k opens the file and reads block k's box; nothing else of the file is read where the
 * format allows it.
 */
import { ConfigError } from '../../core/index.js';
import type { DType, TypedArray } from '../dtype.js';
import type { Shape3, Volume } from '../volume.js';

/** A voxel position or box size as `[z, y, x]`. */
export type Triple = readonly [z: number, y: number, x: number];

/** The image formats this layer knows. */
export type ImageFormat = 'npy' | 'tiff' | 'raw' | 'mha' | 'nrrd' | 'png' | 'zarr';

/** An opened image: its header, and reads of boxes of voxels. */
export interface ImageSource {
  /** The path as given to `openImage`. */
  readonly path: string;
  /** Format name, e.g. `npy`, `tiff`, `nrrd`. */
  readonly format: string;
  /** Size `[z, y, x]` in voxels, from the header. */
  readonly shape: Shape3;
  /** Voxel type, from the header. */
  readonly dtype: DType;
  /** Physical voxel size `[z, y, x]`, when the file says. */
  readonly spacing?: readonly [number, number, number];
  /**
   * The tile the file is stored in, `[z, y, x]` (a Zarr array's chunk), when it has one: a box of
   * whole tiles is read without decoding any tile twice, so default blocks are made of whole tiles.
   */
  readonly chunkShape?: Shape3;
  /**
   * The voxels of the box at `origin` of `size` (both `[z, y, x]`), C order, in a new host-endian
   * array of the image's dtype. Throws `ConfigError` for a box outside the image. `into`, a scratch
   * array the caller owns (of the image's dtype and the box's length), may be filled and returned
   * instead (readers that decode into a fresh array anyway ignore it).
   */
  readRegion(origin: Triple, size: Triple, into?: TypedArray): TypedArray;
}

/** Options of `openImage`; `shape`, `dtype`, `endian` and `headerBytes` describe raw files. */
export interface OpenOptions {
  /** Overrides the format guessed from the extension or the magic bytes. */
  readonly format?: ImageFormat;
  /** Raw files: size as `[x, y, z]`, the order the CLI's `--shape` takes. */
  readonly shape?: readonly [x: number, y: number, z: number];
  /** Raw files: the voxel type. */
  readonly dtype?: DType;
  /** Raw files: byte order of the voxels (default little). */
  readonly endian?: 'little' | 'big';
  /** Raw files: bytes to skip before the voxels (default 0). */
  readonly headerBytes?: number;
  /**
   * NRRD and MetaImage: read a detached data file that lies outside the header's folder (an absolute
   * path, a `..`, or a symlink leading out). Off by default, because a header could otherwise make
   * voxelflow read any file on the machine; turn it on only for headers you trust.
   */
  readonly allowOutsideData?: boolean;
}

/** Throws `ConfigError` unless `origin`/`size` describe a box inside `shape`. */
export function checkRegion(shape: Shape3, origin: Triple, size: Triple): void {
  for (let axis = 0; axis < 3; axis++) {
    const o = origin[axis];
    const s = size[axis];
    if (!Number.isSafeInteger(o) || !Number.isSafeInteger(s) || o! < 0 || s! < 0 || o! + s! > shape[axis]!) {
      throw new ConfigError(
        'region',
        `region origin [${origin.join(', ')}] size [${size.join(', ')}] is not inside the image of shape ` +
          `[${shape.join(', ')}] (all [z, y, x]); pass non-negative integers with origin + size <= shape`,
      );
    }
  }
}

/** Reads the whole image into a `Volume`. */
export function readAll(source: ImageSource): Volume {
  const data = source.readRegion([0, 0, 0], source.shape);
  return source.spacing === undefined
    ? { data, shape: source.shape, dtype: source.dtype }
    : { data, shape: source.shape, dtype: source.dtype, spacing: source.spacing };
}

/** `64x64x64`: a shape for messages, in the order the file states it. */
export function describeShape(shape: readonly number[]): string {
  return shape.join('x');
}

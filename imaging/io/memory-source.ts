/**
 * A source for formats that must be decoded whole (gzip NRRD, compressed MetaImage, PNG): the first
 * `readRegion` decodes the image and keeps it; later boxes are copied out of memory.
 */
import { unzipSync } from 'node:zlib';

import { allocate, bytesPer, type DType, type TypedArray } from '../dtype.js';
import type { Shape3 } from '../volume.js';
import { bytesOf, toHostOrder } from './byte-order.js';
import type { Fail } from './image-format-error.js';
import { checkRegion, type ImageSource, type Triple } from './image-source.js';

/** The header of a whole-decoded image and the function that decodes its voxels (host order). */
export interface MemoryLayout {
  readonly path: string;
  readonly format: string;
  readonly shape: Shape3;
  readonly dtype: DType;
  readonly spacing?: readonly [number, number, number] | undefined;
  readonly decode: () => TypedArray;
}

/** Decodes once, on first use, and serves boxes from the cached voxels. */
export class MemorySource implements ImageSource {
  readonly path: string;
  readonly format: string;
  readonly shape: Shape3;
  readonly dtype: DType;
  declare readonly spacing?: readonly [number, number, number];
  #decode: (() => TypedArray) | null;
  #voxels: TypedArray | null = null;

  constructor(layout: MemoryLayout) {
    this.path = layout.path;
    this.format = layout.format;
    this.shape = layout.shape;
    this.dtype = layout.dtype;
    if (layout.spacing !== undefined) this.spacing = layout.spacing;
    this.#decode = layout.decode;
  }

  readRegion(origin: Triple, size: Triple): TypedArray {
    checkRegion(this.shape, origin, size);
    if (this.#voxels === null) {
      this.#voxels = this.#decode!();
      this.#decode = null;
    }
    const out = allocate(this.dtype, size[0] * size[1] * size[2]);
    copyBox(this.#voxels, this.shape, origin, size, out);
    return out;
  }
}

/** Copies the box at `origin` of `size` out of C-order `src` of `shape` into `out` (same dtype). */
export function copyBox(src: TypedArray, shape: Shape3, origin: Triple, size: Triple, out: TypedArray): void {
  const Y = shape[1];
  const X = shape[2];
  const sy = size[1];
  const sx = size[2];
  let at = 0;
  for (let z = 0; z < size[0]; z++) {
    for (let y = 0; y < sy; y++, at += sx) {
      const from = ((origin[0] + z) * Y + origin[1] + y) * X + origin[2];
      out.set(src.subarray(from, from + sx), at);
    }
  }
}

/** The most a zlib or gzip stream can expand (deflate tops out near 1032:1), plus slack for headers. */
const MAX_INFLATE_RATIO = 1100;

/**
 * Inflates a zlib or gzip stream of voxels (after skipping `skip` decoded bytes) into a host-order
 * array of `count` voxels. Fails before inflating when the stream is too short to hold them.
 */
export function inflateVoxels(compressed: Uint8Array, dtype: DType, count: number, littleEndian: boolean, skip: number, fail: Fail): TypedArray {
  const bytes = count * bytesPer(dtype);
  if (skip + bytes > compressed.length * MAX_INFLATE_RATIO + 1024) {
    fail(`corrupt: ${compressed.length} compressed bytes cannot hold the ${skip + bytes} bytes the header promises`, 're-export the file');
  }
  let raw: Buffer;
  try {
    raw = unzipSync(compressed);
  } catch (err) {
    return fail(`corrupt compressed data: ${(err as Error).message}`, 're-export the file', err);
  }
  if (raw.length < skip + bytes) {
    fail(`truncated: compressed data decodes to ${raw.length} bytes but the header promises ${skip + bytes}`, 're-export the file');
  }
  const out = allocate(dtype, count);
  const outBytes = bytesOf(out);
  outBytes.set(raw.subarray(skip, skip + bytes));
  toHostOrder(outBytes, bytesPer(dtype), littleEndian);
  return out;
}

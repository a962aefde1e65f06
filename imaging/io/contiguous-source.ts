/**
 * A source over C-order voxels stored uncompressed at a byte offset of a file (npy, raw, uncompressed
 * MetaImage and NRRD). A box is read with one `readSync` per row run, or fewer where rows are adjacent.
 */
import { allocate, bytesPer, isArrayOf, type DType, type TypedArray } from '../dtype.js';
import type { Shape3 } from '../volume.js';
import { bytesOf, toHostOrder } from './byte-order.js';
import { readInto, readRuns, withFile } from './file-bytes.js';
import { failFor, type Fail } from './image-format-error.js';
import { checkRegion, type ImageSource, type Triple } from './image-source.js';

/** Where the voxels lie; the format's opener has checked that they fit in `dataFile`. */
export interface ContiguousLayout {
  readonly path: string;
  readonly format: string;
  /** The file holding the voxels: `path` itself, or a detached data file (`.mhd`, `.nhdr`). */
  readonly dataFile: string;
  readonly offset: number;
  readonly shape: Shape3;
  readonly dtype: DType;
  readonly littleEndian: boolean;
  readonly spacing?: readonly [number, number, number] | undefined;
}

/** Reads boxes straight from the file by byte ranges. */
export class ContiguousSource implements ImageSource {
  readonly path: string;
  readonly format: string;
  readonly shape: Shape3;
  readonly dtype: DType;
  declare readonly spacing?: readonly [number, number, number];
  readonly #layout: ContiguousLayout;

  constructor(layout: ContiguousLayout) {
    this.path = layout.path;
    this.format = layout.format;
    this.shape = layout.shape;
    this.dtype = layout.dtype;
    if (layout.spacing !== undefined) this.spacing = layout.spacing;
    this.#layout = layout;
  }

  readRegion(origin: Triple, size: Triple, into?: TypedArray): TypedArray {
    checkRegion(this.shape, origin, size);
    const { dataFile, offset, littleEndian } = this.#layout;
    const bpe = bytesPer(this.dtype);
    const voxels = size[0] * size[1] * size[2];
    // Every byte of the box is read, so a caller's scratch needs no clearing.
    const out = into !== undefined && into.length === voxels && isArrayOf(this.dtype, into) ? into : allocate(this.dtype, voxels);
    if (out.length === 0) return out;
    const bytes = bytesOf(out);
    const fail: Fail = failFor(this.path, this.format);
    withFile(dataFile, fail, (fd) => readBox(fd, offset, this.shape, bpe, origin, size, bytes, fail));
    toHostOrder(bytes, bpe, littleEndian);
    return out;
  }
}

/** Copies the box's bytes from the file into `bytes`, one `readRuns` per z slice of the box. */
function readBox(fd: number, offset: number, shape: Shape3, bpe: number, origin: Triple, size: Triple, bytes: Uint8Array, fail: Fail): void {
  const Y = shape[1];
  const X = shape[2];
  const plane = Y * X * bpe;
  const run = size[2] * bpe;
  const slab = size[1] * run;
  if (size[1] === Y && size[2] === X) {
    readInto(fd, bytes, offset + origin[0] * plane, fail);
    return;
  }
  for (let z = 0; z < size[0]; z++) {
    const from = offset + (origin[0] + z) * plane + (origin[1] * X + origin[2]) * bpe;
    readRuns(fd, from, X * bpe, bytes, z * slab, run, run, size[1], fail);
  }
}

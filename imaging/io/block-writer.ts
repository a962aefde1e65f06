/**
 * Task-side output of contiguous formats (.npy, .raw, uncompressed TIFF): the driver creates the file under a temporary
 * name in the target's folder, with its header and its full size; each task writes its own blocks at
 * their offsets (positional writes, one per contiguous run); the driver renames the file into place
 * once every task succeeded. So the driver never holds the voxels, the bytes are written by as many
 * threads (or workers, on a shared file system) as compute them, and a failed run leaves no file
 * under the final name. An existing file is refused before the temporary one is made, unless
 * `overwrite`; without it the final rename does not replace one that appeared meanwhile either.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Block } from '../block.js';
import { bytesPer, type DType } from '../dtype.js';
import type { Shape3 } from '../volume.js';
import { littleEndianBytes } from './byte-order.js';
import { ImageFormatError } from './image-format-error.js';
import { npyHeader } from './npy.js';
import { refuseExisting, removeStaleTemporaries, renameIntoPlace } from './output-path.js';
import { startWriteback } from './start-writeback.js';
import { contiguousTiffHeader } from './tiff-write.js';

/** Where the voxels of an output go: a C-order little-endian array at `dataOffset` of `file`. */
export interface ContiguousTarget {
  readonly file: string;
  readonly dataOffset: number;
  readonly shape: Shape3;
  readonly dtype: DType;
}

/** An output being written: its target, and how to finish or abandon it. */
export interface PendingOutput {
  readonly target: ContiguousTarget;
  /** Flushes the file to disk and renames it to its final name. */
  commit(): void;
  /** Removes the temporary file. */
  abandon(): void;
}

/** Options of `createContiguousOutput`. */
export interface ContiguousOutputOptions {
  /** TIFF: the voxel size written into its tags. */
  readonly spacing?: readonly [number, number, number] | undefined;
  /** Replace an existing file (default: refuse). */
  readonly overwrite?: boolean | undefined;
}

/**
 * Creates `path`'s temporary twin with the format's header and its final size (holes until written).
 * Fails at once, naming the path, when the file exists (without `overwrite`) or the folder is missing
 * or not writable.
 */
export function createContiguousOutput(output: string, format: 'npy' | 'raw' | 'tiff', shape: Shape3, dtype: DType, options: ContiguousOutputOptions = {}): PendingOutput {
  // Absolute: on a cluster the tasks run in other processes, in other working directories.
  const path = resolve(output);
  const { spacing, overwrite } = options;
  refuseExisting(path, format, overwrite);
  removeStaleTemporaries(path);
  // An uncompressed TIFF is laid out as headers and IFDs, then the voxels in C order (tiff-write.ts).
  const header = format === 'npy' ? npyHeader(shape, dtype) : format === 'tiff' ? contiguousTiffHeader({ shape, dtype, ...(spacing !== undefined ? { spacing } : {}) }, path).header : Buffer.alloc(0);
  const file = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
  const bytes = header.length + shape[0] * shape[1] * shape[2] * bytesPer(dtype);
  let fd: number | null = null;
  try {
    fd = openSync(file, 'wx');
    writeAt(fd, header, 0);
    ftruncateSync(fd, bytes);
    closeSync(fd);
    fd = null;
  } catch (err) {
    if (fd !== null) closeSync(fd);
    rmSync(file, { force: true });
    throw writeError(path, format, err);
  }
  const target = { file, dataOffset: header.length, shape, dtype };
  return {
    target,
    commit() {
      try {
        const out = openSync(file, 'r+');
        try {
          fsyncSync(out);
        } finally {
          closeSync(out);
        }
        renameIntoPlace(file, path, format, overwrite);
      } catch (err) {
        rmSync(file, { force: true });
        if (err instanceof ImageFormatError) throw err;
        throw writeError(path, format, err);
      }
    },
    abandon() {
      rmSync(file, { force: true });
    },
  };
}

function writeError(path: string, format: string, err: unknown): ImageFormatError {
  const code = (err as NodeJS.ErrnoException).code;
  const fix = code === 'ENOENT' ? `create the folder ${dirname(path)} first` : code === 'ENOSPC' ? 'free space on that disk or write elsewhere' : 'check that the folder exists and is writable';
  return new ImageFormatError(path, format, `cannot write: ${code ?? (err as Error).message}`, fix, { cause: err });
}

/**
 * Writes one band (the blocks of one z and y block position, in x order) into the target; returns the
 * bytes written. The band writer node (nodes/band-write.ts) computes a band's blocks into per-thread
 * scratch and calls this at once.
 */
export function writeBand(target: ContiguousTarget, row: readonly Block[]): number {
  const { file, dataOffset, shape, dtype } = target;
  const fd = openSync(file, 'r+');
  try {
    if (isFullWidthRow(row, shape)) return writeRow(fd, dataOffset, shape, bytesPer(dtype), row);
    let written = 0;
    for (const b of row) written += writeBlock(fd, dataOffset, shape, bytesPer(dtype), b);
    return written;
  } finally {
    closeSync(fd);
  }
}

/** Whether `row` (in x order) covers the image's whole width with blocks of one z and y extent. */
function isFullWidthRow(row: readonly Block[], shape: Shape3): boolean {
  const first = row[0];
  if (first === undefined) return false;
  let x = 0;
  for (const b of row) {
    if (b.origin[0] !== first.origin[0] || b.origin[1] !== first.origin[1] || b.shape[0] !== first.shape[0] || b.shape[1] !== first.shape[1] || b.origin[2] !== x) return false;
    x += b.shape[2];
  }
  return x === shape[2];
}

/** Writes a full-width row of blocks: per z plane, its rows of every block assembled in a thread scratch, one write. */
function writeRow(fd: number, dataOffset: number, shape: Shape3, bpe: number, row: readonly Block[]): number {
  const [, Y, X] = shape;
  const [z0, y0] = (row[0] as Block).origin;
  const [bz, by] = (row[0] as Block).shape;
  const planeBytes = by * X * bpe;
  const band = rowScratch(planeBytes);
  const sources = row.map((b) => littleEndianBytes(b.data));
  for (let z = 0; z < bz; z++) {
    row.forEach((b, i) => {
      const run = b.shape[2] * bpe;
      const src = sources[i] as Uint8Array;
      for (let y = 0; y < by; y++) {
        const from = (z * by + y) * run;
        band.set(src.subarray(from, from + run), (y * X + b.origin[2]) * bpe);
      }
    });
    writeAt(fd, band, dataOffset + ((z0 + z) * Y + y0) * X * bpe);
  }
  // The band's planes span this range (with other bands' rows between them, written or not).
  const first = dataOffset + (z0 * Y + y0) * X * bpe;
  startWriteback(fd, first, dataOffset + ((z0 + bz - 1) * Y + y0) * X * bpe + planeBytes - first);
  return bz * planeBytes;
}

// One band buffer per thread, grown as needed (tasks on a thread run one at a time).
let rowBuffer = new Uint8Array(0);

function rowScratch(bytes: number): Uint8Array {
  if (rowBuffer.length < bytes) rowBuffer = new Uint8Array(bytes);
  return rowBuffer.subarray(0, bytes);
}

/** One positional write per contiguous run: a row, a plane when the block spans whole rows, or the block. */
function writeBlock(fd: number, dataOffset: number, shape: Shape3, bpe: number, b: Block): number {
  const [, Y, X] = shape;
  const [bz, by, bx] = b.shape;
  const [z0, y0, x0] = b.origin;
  const bytes = littleEndianBytes(b.data);
  const wholeRows = bx === X;
  const wholePlanes = wholeRows && by === Y;
  const run = (wholePlanes ? bz * by * bx : wholeRows ? by * bx : bx) * bpe;
  const rows = wholePlanes ? 1 : wholeRows ? bz : bz * by;
  for (let r = 0; r < rows; r++) {
    const z = wholePlanes ? 0 : wholeRows ? r : Math.floor(r / by);
    const y = wholeRows ? 0 : r % by;
    const at = dataOffset + (((z0 + z) * Y + (y0 + y)) * X + x0) * bpe;
    writeAt(fd, bytes.subarray(r * run, (r + 1) * run), at);
  }
  const first = dataOffset + ((z0 * Y + y0) * X + x0) * bpe;
  startWriteback(fd, first, dataOffset + (((z0 + bz - 1) * Y + (y0 + by - 1)) * X + x0 + bx) * bpe - first);
  return bytes.length;
}

function writeAt(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

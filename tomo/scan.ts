/**
 * A tomography scan as the reconstruction sees it: where its projection, flat and dark frames are
 * (stacks of `[frame][row][column]`), and the angle of each projection. It is plain JSON, so it rides in
 * a plan to every worker, which opens the stacks itself and reads only the rows its slab needs.
 */
import type { Broadcast } from '../core/index.js';
import type { TypedArray } from '../imaging/dtype.js';

/** The formats a stack of frames can be in. */
export type StackFormat = 'npy' | 'tiff' | 'hdf5' | 'memory';

/** One stack of frames: a file (`.npy`, TIFF), a dataset of an HDF5 file, or frames in memory. */
export interface StackRef {
  /** The file, or for frames in memory a name for messages (e.g. the stream's series). */
  readonly path: string;
  /** How the frames are stored (a file format, or memory). */
  readonly format: StackFormat;
  /** HDF5 only: the dataset's path inside the file, e.g. `/exchange/data`. */
  readonly dataset?: string;
  /** Memory only: the frames `[frame][row][column]`, broadcast once to each worker, and their shape. */
  readonly frames?: Broadcast<TypedArray>;
  /** Memory only: `[frames, rows, columns]` of `frames`. */
  readonly shape?: readonly [number, number, number];
}

/** A scan: projections, optional flats (before, and after) and darks, and angles in degrees. */
export interface TomoScan {
  /** The projection frames `[frame][row][column]`, frame k at angles[k]. */
  readonly projections: StackRef;
  /** Open-beam frames; null only with `noFlat` (no correction: the projections are transmission already). */
  readonly flats: StackRef | null;
  /** Flats taken after the scan: each projection's flat is interpolated between the two by its index. */
  readonly flatsAfter: StackRef | null;
  /** Dark frames; null means a dark of zero. */
  readonly darks: StackRef | null;
  /** One angle per projection, in degrees. */
  readonly angles: readonly number[];
  /** `[projections, rows, columns]`. */
  readonly shape: readonly [number, number, number];
}

/** `proj.npy`, or `scan.h5:/exchange/data`: a stack for messages. */
export function describeStack(ref: StackRef): string {
  return ref.dataset === undefined ? ref.path : `${ref.path}:${ref.dataset}`;
}

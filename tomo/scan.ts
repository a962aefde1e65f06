/**
 * A tomography scan as the reconstruction sees it: where its projection, flat and dark frames are
 * (stacks of `[frame][row][column]`), and the angle of each projection. It is plain JSON, so it rides in
 * a plan to every worker, which opens the stacks itself and reads only the rows its slab needs.
 */

/** The formats a stack of frames can be in. */
export type StackFormat = 'npy' | 'tiff' | 'hdf5';

/** One stack of frames: a file (`.npy`, TIFF) or a dataset of an HDF5 file. */
export interface StackRef {
  readonly path: string;
  readonly format: StackFormat;
  /** HDF5 only: the dataset's path inside the file, e.g. `/exchange/data`. */
  readonly dataset?: string;
}

/** A scan: projections, optional flats (before, and after) and darks, and angles in degrees. */
export interface TomoScan {
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

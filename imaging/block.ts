/**
 * A block: one partition of an image, a dense C-order box of voxels. An image RDD is an RDD of
 * blocks, one per partition, partition i = block i of the grid in raster order.
 */
import type { DType, TypedArray } from './dtype.js';
import type { Box, Vec3 } from './box.js';
import type { BlockGrid } from './block-grid.js';

/** One block of an image: its place in the grid and its voxels. */
export interface Block {
  /** Grid index [bz, by, bx]. */
  readonly index: Vec3;
  /** Global position of data[0], [z, y, x]. */
  readonly origin: Vec3;
  /** Size `[z, y, x]` of the block (edge blocks may be smaller than the image's blockShape). */
  readonly shape: Vec3;
  /** The voxels in C order `[z][y][x]`, of the image's dtype. */
  readonly data: TypedArray;
}

/** What every image knows about itself without running a job. */
export interface ImageMeta {
  /** Size of the image `[z, y, x]` in voxels (2D images have z = 1). */
  readonly shape: Vec3;
  /** Voxel type. */
  readonly dtype: DType;
  /** Physical voxel size `[z, y, x]` (from the file, else 1, 1, 1); used by shape statistics. */
  readonly spacing: Vec3;
  /** Size of every block but those at the far edges, `[z, y, x]`. */
  readonly blockShape: Vec3;
}

/** The box `{ origin, shape }` a block covers. */
export function blockAsBox(b: Block): Box {
  return { origin: b.origin, shape: b.shape };
}

export type { BlockGrid };

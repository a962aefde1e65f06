/**
 * A block: one partition of an image, a dense C-order box of voxels. An image RDD is an RDD of
 * blocks, one per partition, partition i = block i of the grid in raster order.
 */
import type { DType, TypedArray } from './dtype.js';
import type { Box, Vec3 } from './box.js';
import type { BlockGrid } from './block-grid.js';

export interface Block {
  /** Grid index [bz, by, bx]. */
  readonly index: Vec3;
  /** Global position of data[0], [z, y, x]. */
  readonly origin: Vec3;
  readonly shape: Vec3;
  readonly data: TypedArray;
}

/** What every image knows about itself without running a job. */
export interface ImageMeta {
  readonly shape: Vec3;
  readonly dtype: DType;
  readonly spacing: Vec3;
  readonly blockShape: Vec3;
}

export function blockAsBox(b: Block): Box {
  return { origin: b.origin, shape: b.shape };
}

export type { BlockGrid };

/**
 * A dense volume in memory: C-order `[z][y][x]` voxels of one dtype. 2D images have z = 1. This is
 * what readers return, writers take, and `img.toArray()` gives back.
 */
import type { DType, TypedArray } from './dtype.js';

/** Shape as `[z, y, x]`. */
export type Shape3 = readonly [z: number, y: number, x: number];

/** A dense image in memory: what readers return, writers take and `img.toArray()` gives back. */
export interface Volume {
  /** The voxels in C order `[z][y][x]`. */
  readonly data: TypedArray;
  /** Size `[z, y, x]` in voxels; data.length is their product. */
  readonly shape: Shape3;
  /** Voxel type, matching data's array type. */
  readonly dtype: DType;
  /** Physical voxel size `[z, y, x]`, when the file says. */
  readonly spacing?: readonly [number, number, number];
}

/** Number of voxels of a shape. */
export function voxelCount(shape: Shape3): number {
  return shape[0] * shape[1] * shape[2];
}

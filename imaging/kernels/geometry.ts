/**
 * Block geometry shared by the kernels: global voxel positions and the halo rule for neighbourhood
 * operators.
 */
import type { Shape3 } from '../volume.js';

/** A global voxel position or box origin, `[z, y, x]` like `Shape3`. */
export type Index3 = readonly [z: number, y: number, x: number];

/** An axis-aligned box of an image: `[origin, origin + shape)` on every axis. */
export interface Box3 {
  readonly origin: Index3;
  readonly shape: Shape3;
}

/**
 * The input box a neighbourhood kernel of `radius` needs to produce the output box `[origin, origin +
 * shape)`: grown by `radius` on every axis where the image extent is above 1, clipped to the image.
 * Axes of extent 1 (z of a 2D image) are not filtered, so they get no halo.
 *
 * @example
 *   haloBox([0, 4, 4], [1, 4, 4], [1, 10, 10], 2); // { origin: [0, 2, 2], shape: [1, 8, 8] }
 */
export function haloBox(origin: Index3, shape: Shape3, imageShape: Shape3, radius: number): Box3 {
  const lo = [0, 0, 0];
  const size = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const r = imageShape[a]! > 1 ? radius : 0;
    const start = Math.max(0, origin[a]! - r);
    const end = Math.min(imageShape[a]!, origin[a]! + shape[a]! + r);
    lo[a] = start;
    size[a] = end - start;
  }
  return { origin: [lo[0]!, lo[1]!, lo[2]!], shape: [size[0]!, size[1]!, size[2]!] };
}

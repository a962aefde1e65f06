/**
 * Boxes of voxels in `[z, y, x]` order (origin + shape, half-open) and the one copy routine every
 * operator uses to move a sub-box between C-order arrays (row runs with `set(subarray)`).
 */
import type { TypedArray } from './dtype.js';

/** A position or size in voxels, `[z, y, x]`. */
export type Vec3 = [z: number, y: number, x: number];

/** A box of voxels: `[origin, origin + shape)` on each axis. */
export interface Box {
  /** The first voxel `[z, y, x]`. */
  readonly origin: Vec3;
  /** Voxels along each axis `[z, y, x]`. */
  readonly shape: Vec3;
}

/** Number of voxels in a box. */
export function boxVoxels(b: Box): number {
  return b.shape[0] * b.shape[1] * b.shape[2];
}

/** Intersection of two boxes, or null when they do not overlap. */
export function intersect(a: Box, b: Box): Box | null {
  const origin: Vec3 = [0, 0, 0];
  const shape: Vec3 = [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    const lo = Math.max(a.origin[i] as number, b.origin[i] as number);
    const hi = Math.min((a.origin[i] as number) + (a.shape[i] as number), (b.origin[i] as number) + (b.shape[i] as number));
    if (hi <= lo) return null;
    origin[i] = lo;
    shape[i] = hi - lo;
  }
  return { origin, shape };
}

/** Grows a box by `r` on every axis where `grow[i]` is true. */
export function grow(b: Box, r: number, axes: readonly [boolean, boolean, boolean]): Box {
  const origin = b.origin.map((o, i) => (axes[i] ? o - r : o)) as Vec3;
  const shape = b.shape.map((s, i) => (axes[i] ? s + 2 * r : s)) as Vec3;
  return { origin, shape };
}

/** Clips a box to `[0, extent)` on every axis. */
export function clip(b: Box, extent: Vec3): Box {
  const c = intersect(b, { origin: [0, 0, 0], shape: extent });
  return c ?? { origin: [...b.origin] as Vec3, shape: [0, 0, 0] };
}

/** The box moved by `by`. */
export function translate(b: Box, by: Vec3): Box {
  return { origin: [b.origin[0] + by[0], b.origin[1] + by[1], b.origin[2] + by[2]], shape: [...b.shape] as Vec3 };
}

/** Whether two boxes have the same origin and shape. */
export function sameBox(a: Box, b: Box): boolean {
  for (let i = 0; i < 3; i++) if (a.origin[i] !== b.origin[i] || a.shape[i] !== b.shape[i]) return false;
  return true;
}

/**
 * Copies the voxels of `region` (global coordinates) from `src` (holding box `srcBox`) into `dst`
 * (holding box `dstBox`). `region` must lie inside both. Runs along x are contiguous in both arrays.
 */
export function copyRegion(src: TypedArray, srcBox: Box, dst: TypedArray, dstBox: Box, region: Box): void {
  const [rz, ry, rx] = region.shape;
  const [sy, sx] = [srcBox.shape[1], srcBox.shape[2]];
  const [dy, dx] = [dstBox.shape[1], dstBox.shape[2]];
  const oz = region.origin[0], oy = region.origin[1], ox = region.origin[2];
  for (let z = 0; z < rz; z++) {
    for (let y = 0; y < ry; y++) {
      const s = ((oz + z - srcBox.origin[0]) * sy + (oy + y - srcBox.origin[1])) * sx + (ox - srcBox.origin[2]);
      const d = ((oz + z - dstBox.origin[0]) * dy + (oy + y - dstBox.origin[1])) * dx + (ox - dstBox.origin[2]);
      (dst as Float64Array).set((src as Float64Array).subarray(s, s + rx), d);
    }
  }
}

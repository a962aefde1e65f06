/**
 * How an image is cut into blocks: a regular grid of `blockShape` boxes (edge blocks are smaller).
 * Partition i of an image RDD is block i in raster order (z, then y, then x).
 */
import { bytesPer, type DType } from './dtype.js';
import type { Box, Vec3 } from './box.js';

/** Target bytes per block (at 4 bytes a voxel) when the user does not choose: 8 MB, 128^3 cubes for large volumes. */
export const TARGET_BLOCK_BYTES = 8 * 1024 * 1024;

export interface BlockGrid {
  readonly imageShape: Vec3;
  readonly blockShape: Vec3;
  /** Blocks per axis. */
  readonly counts: Vec3;
}

export function makeGrid(imageShape: Vec3, blockShape: Vec3): BlockGrid {
  const counts = imageShape.map((s, i) => Math.max(1, Math.ceil(s / (blockShape[i] as number)))) as Vec3;
  return { imageShape, blockShape, counts };
}

export function blockCount(g: BlockGrid): number {
  return g.counts[0] * g.counts[1] * g.counts[2];
}

/** Grid index [bz, by, bx] of block `i`. */
export function blockIndex(g: BlockGrid, i: number): Vec3 {
  const bx = i % g.counts[2];
  const by = Math.floor(i / g.counts[2]) % g.counts[1];
  const bz = Math.floor(i / (g.counts[2] * g.counts[1]));
  return [bz, by, bx];
}

export function blockNumber(g: BlockGrid, idx: Vec3): number {
  return (idx[0] * g.counts[1] + idx[1]) * g.counts[2] + idx[2];
}

/** The voxels block `i` covers. */
export function blockBox(g: BlockGrid, i: number): Box {
  const idx = blockIndex(g, i);
  const origin = idx.map((b, a) => b * (g.blockShape[a] as number)) as Vec3;
  const shape = origin.map((o, a) => Math.min(g.blockShape[a] as number, (g.imageShape[a] as number) - o)) as Vec3;
  return { origin, shape };
}

/** Numbers of the blocks that intersect `box`, in raster order. */
export function blocksIntersecting(g: BlockGrid, box: Box): number[] {
  const lo = box.origin.map((o, a) => Math.max(0, Math.floor(o / (g.blockShape[a] as number)))) as Vec3;
  const hi = box.origin.map((o, a) =>
    Math.min((g.counts[a] as number) - 1, Math.floor((o + (box.shape[a] as number) - 1) / (g.blockShape[a] as number))),
  ) as Vec3;
  const out: number[] = [];
  for (let z = lo[0]; z <= hi[0]; z++) for (let y = lo[1]; y <= hi[1]; y++) for (let x = lo[2]; x <= hi[2]; x++) out.push(blockNumber(g, [z, y, x]));
  return out;
}

/**
 * A block shape of about TARGET_BLOCK_BYTES: whole xy planes when they are small, otherwise cubes
 * rounded to multiples of 16 so that blocks line up with typical chunked files.
 */
export function autoBlockShape(imageShape: Vec3, dtype: DType): Vec3 {
  const voxels = Math.max(1, Math.floor(TARGET_BLOCK_BYTES / Math.max(bytesPer(dtype), 4)));
  const [z, y, x] = imageShape;
  const plane = y * x;
  if (plane * 8 <= voxels || z === 1) {
    const slabs = Math.max(1, Math.min(z, Math.floor(voxels / Math.max(1, plane))));
    if (z === 1 && plane > voxels) {
      const rows = Math.max(16, Math.floor(voxels / x / 16) * 16);
      return [1, Math.min(y, rows), x];
    }
    return [slabs, y, x];
  }
  const edge = Math.max(16, Math.floor(Math.cbrt(voxels) / 16) * 16);
  return [Math.min(z, edge), Math.min(y, edge), Math.min(x, edge)];
}

/** A block shape no larger than the image. */
export function clampBlock(block: Vec3, shape: Vec3): Vec3 {
  return [Math.min(block[0], shape[0]), Math.min(block[1], shape[1]), Math.min(block[2], shape[2])];
}

/**
 * The default block shape of a file stored in tiles of `chunk` (a Zarr array's chunks): whole tiles,
 * so that every task decodes each tile it reads once and no tile is decoded by several tasks (with
 * cubic blocks over 1 x 2048 x 2048 chunks, each chunk would be decoded by 256 tasks). A tile larger
 * than TARGET_BLOCK_BYTES is one block; smaller tiles are grouped, doubling the count along the axis
 * whose block is shortest (so blocks stay near cubic), while the block holds at most the target.
 */
export function chunkAlignedBlockShape(imageShape: Vec3, dtype: DType, chunk: Vec3): Vec3 {
  const bytes = Math.max(bytesPer(dtype), 4);
  const block = clampBlock(chunk, imageShape);
  for (;;) {
    const axes = [0, 1, 2].filter((a) => (block[a] as number) < (imageShape[a] as number));
    if (axes.length === 0) break;
    const a = axes.reduce((best, x) => ((block[x] as number) < (block[best] as number) ? x : best));
    const grown = Math.min(imageShape[a] as number, (block[a] as number) * 2);
    if ((block[0] * block[1] * block[2] * grown * bytes) / (block[a] as number) > TARGET_BLOCK_BYTES) break;
    block[a] = grown;
  }
  return block;
}

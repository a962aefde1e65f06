/**
 * Image lineage nodes. Beyond the RDD contract, an image node may compute any box of its output
 * (`region`), pulling the boxes it needs from its parent. That is how operators declare their
 * region rule: a pointwise operator asks for the same box, a box filter for the box grown by its
 * radius, a crop for a shifted box. So `img.boxFilter(1).roi(...)` only ever computes the voxels the
 * crop needs, and halos are read from neighbouring cached blocks or recomputed from the source.
 */
import type { RDD, TaskContext } from '../core/index.js';
import { allocate, type TypedArray } from './dtype.js';
import { boxVoxels, copyRegion, intersect, sameBox, type Box } from './box.js';
import { blockBox, blockCount, blockIndex, blocksIntersecting, makeGrid, type BlockGrid } from './block-grid.js';
import type { Block, ImageMeta } from './block.js';

/** An RDD node that produces blocks and can compute arbitrary boxes of its image. */
export interface RegionNode {
  readonly meta: ImageMeta;
  /**
   * The voxels of `box`. `into`, when given, is a scratch array the caller owns and reads before it
   * asks again (its own per-thread buffer); a node that computes into a fresh array of `into`'s type
   * and length may write there instead. Nodes that hand out views (sources, cached blocks) ignore it.
   */
  region(box: Box, tc: TaskContext, into?: TypedArray): TypedArray;
}

/** Whether a lineage node can compute any box of its image (every image operator and source can). */
export function isRegionNode<T>(node: T): node is T & RegionNode {
  return typeof (node as Partial<RegionNode>).region === 'function';
}

export function gridOf(meta: ImageMeta): BlockGrid {
  return makeGrid(meta.shape, meta.blockShape);
}

/**
 * Reads `box` of the image an RDD holds: through its region rule when it has one and is not
 * persisted, otherwise by assembling the blocks that intersect the box (cache-aware).
 */
export function readRegion(rdd: RDD<Block>, meta: ImageMeta, box: Box, tc: TaskContext, into?: TypedArray): TypedArray {
  const node = rdd.node;
  if (rdd.storageLevel === 'NONE' && !rdd.isCheckpointed && isRegionNode(node)) return node.region(box, tc, into);
  const grid = gridOf(meta);
  const blocks = blocksIntersecting(grid, box);
  if (blocks.length === 1) {
    // The box is one whole block (the common case for pointwise operators): no copy. Block data
    // read from the cache is shared, so operators never write into their inputs.
    let whole: TypedArray | null = null;
    rdd.iterate(blocks[0] as number, tc, (b) => {
      if (sameBox({ origin: b.origin, shape: b.shape }, box)) whole = b.data;
    });
    if (whole !== null) return whole;
  }
  const out = allocate(meta.dtype, boxVoxels(box));
  for (const q of blocks) {
    rdd.iterate(q, tc, (b) => {
      const bb = { origin: b.origin, shape: b.shape };
      const inter = intersect(bb, box);
      if (inter !== null) copyRegion(b.data, bb, out, box, inter);
    });
  }
  return out;
}

/** Emits block `split` of a region node. */
export function emitBlock(node: RegionNode, split: number, tc: TaskContext, emit: (b: Block) => void): void {
  const grid = gridOf(node.meta);
  const box = blockBox(grid, split);
  emit({ index: blockIndex(grid, split), origin: box.origin, shape: box.shape, data: node.region(box, tc) });
}

export function numBlocks(meta: ImageMeta): number {
  return blockCount(gridOf(meta));
}

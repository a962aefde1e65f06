/**
 * The narrow dependency of a region operator: output block p reads the parent blocks that intersect
 * p's box mapped through the operator's region rule. The scheduler uses it to hand the task any
 * cached neighbour blocks (halo exchange through the block store).
 */
import type { NarrowDependency, RDD } from '../../core/index.js';
import { blockBox, blocksIntersecting } from '../block-grid.js';
import type { Block, ImageMeta } from '../block.js';
import type { Box } from '../box.js';
import { gridOf } from '../image-node.js';

export function regionDependency(parent: RDD<Block>, parentMeta: ImageMeta, meta: ImageMeta, need: (box: Box) => Box): NarrowDependency {
  const grid = gridOf(meta);
  const parentGrid = gridOf(parentMeta);
  return {
    kind: 'narrow',
    rdd: parent as RDD<unknown>,
    getParents: (p) => blocksIntersecting(parentGrid, need(blockBox(grid, p))),
  };
}

/**
 * The two sides of `ImageRDD.fromVoxels`: each voxel keyed by the block that holds it, and the voxels
 * shuffled to one block become that block. Shipped by name (they need the block grid and dtype
 * helpers), see core's namedFunction.
 */
import { namedFunction } from '../core/index.js';
import { blockBox, blockIndex, blockNumber } from './block-grid.js';
import type { Block, ImageMeta } from './block.js';
import { boxVoxels } from './box.js';
import { allocate } from './dtype.js';
import { gridOf } from './image-node.js';

type Voxel = [[number, number, number], number];

/** A voxel keyed by the number of the block its position falls in (positions are `[x, y, z]`). */
export const keyVoxelByBlock = namedFunction(
  'imaging.keyVoxelByBlock',
  (voxel: Voxel, env: { readonly meta: ImageMeta }): [number, Voxel] => {
    const grid = gridOf(env.meta);
    const [x, y, z] = voxel[0];
    const bs = grid.blockShape;
    return [blockNumber(grid, [Math.floor(z / bs[0]), Math.floor(y / bs[1]), Math.floor(x / bs[2])]), voxel];
  },
  import.meta.url,
);

/** Builds block `index` from its voxels; positions never mentioned stay 0. */
export const voxelsToBlock = namedFunction(
  'imaging.voxelsToBlock',
  (index: number, it: IterableIterator<[number, Voxel]>, env: { readonly meta: ImageMeta }): Block[] => {
    const grid = gridOf(env.meta);
    const box = blockBox(grid, index);
    const [sz, sy, sx] = env.meta.shape;
    const data = allocate(env.meta.dtype, boxVoxels(box));
    for (const [, [p, v]] of it) {
      if (!Number.isInteger(p[0]) || !Number.isInteger(p[1]) || !Number.isInteger(p[2])) {
        throw new RangeError(`fromVoxels: voxel [${p.join(', ')}] has non-integer coordinates; positions are [x, y, z] voxel indices`);
      }
      if (p[0] < 0 || p[1] < 0 || p[2] < 0 || p[0] >= sx || p[1] >= sy || p[2] >= sz) {
        throw new RangeError(`fromVoxels: voxel [${p.join(', ')}] lies outside the image (x,y,z < ${[sx, sy, sz].join(', ')})`);
      }
      data[((p[2] - box.origin[0]) * box.shape[1] + (p[1] - box.origin[1])) * box.shape[2] + (p[0] - box.origin[2])] = v;
    }
    return [{ index: blockIndex(grid, index), origin: box.origin, shape: box.shape, data }];
  },
  import.meta.url,
);

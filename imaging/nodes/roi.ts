/**
 * `img.roi(min, max)`: a crop. Its region rule shifts the box into the parent, so whatever sits
 * below computes only the cropped voxels (plus its own halo): the crop is pushed down by construction.
 */
import type { Dependency, RDD, TaskContext } from '../../core/index.js';
import type { Block, ImageMeta } from '../block.js';
import { translate, type Box, type Vec3 } from '../box.js';
import type { TypedArray } from '../dtype.js';
import { emitBlock, numBlocks, readRegion, type RegionNode } from '../image-node.js';
import { regionDependency } from './region-dependency.js';

export interface RoiParams {
  readonly meta: ImageMeta;
  readonly input: ImageMeta;
  /** Position of the crop's [0, 0, 0] in the parent, [z, y, x]. */
  readonly offset: Vec3;
}

export class RoiNode implements RegionNode {
  readonly op = 'image.roi';
  readonly parents: readonly RDD<unknown>[];
  readonly partitioner = null;
  readonly meta: ImageMeta;
  constructor(private readonly parent: RDD<Block>, readonly params: RoiParams) {
    this.parents = [parent as RDD<unknown>];
    this.meta = params.meta;
  }
  numPartitions(): number {
    return numBlocks(this.meta);
  }
  dependencies(): readonly Dependency[] {
    return [regionDependency(this.parent, this.params.input, this.meta, (b) => translate(b, this.params.offset))];
  }
  compute(split: number, tc: TaskContext, emit: (b: Block) => void): void {
    emitBlock(this, split, tc, emit);
  }
  region(box: Box, tc: TaskContext): TypedArray {
    return readRegion(this.parent, this.params.input, translate(box, this.params.offset), tc);
  }
  describe(): string {
    const [z, y, x] = this.params.offset;
    const [sz, sy, sx] = this.meta.shape;
    return `roi [${x}, ${y}, ${z}] .. [${x + sx}, ${y + sy}, ${z + sz})`;
  }
}

/**
 * `img.boxFilter(r, { mode })`: f32 mean over the (2r+1)^d window. A box needs the parent's box grown
 * by r (clipped to the image): the halo. Kernel: separable running sums (kernels/box-filter.ts).
 */
import type { Dependency, RDD, TaskContext } from '../../core/index.js';
import type { Block, ImageMeta } from '../block.js';
import { clip, grow, type Box } from '../box.js';
import type { TypedArray } from '../dtype.js';
import { emitBlock, numBlocks, readRegion, type RegionNode } from '../image-node.js';
import { boxFilter, type BoxFilterMode } from '../kernels/index.js';
import { regionDependency } from './region-dependency.js';

export interface BoxFilterParams {
  readonly meta: ImageMeta;
  readonly input: ImageMeta;
  readonly radius: number;
  readonly mode: BoxFilterMode;
}

export class BoxFilterNode implements RegionNode {
  readonly op = 'image.boxFilter';
  readonly parents: readonly RDD<unknown>[];
  readonly partitioner = null;
  readonly meta: ImageMeta;
  constructor(private readonly parent: RDD<Block>, readonly params: BoxFilterParams) {
    this.parents = [parent as RDD<unknown>];
    this.meta = params.meta;
  }
  numPartitions(): number {
    return numBlocks(this.meta);
  }
  /** The input box a box of output needs. */
  halo(box: Box): Box {
    const axes = this.meta.shape.map((s) => s > 1) as [boolean, boolean, boolean];
    return clip(grow(box, this.params.radius, axes), this.meta.shape);
  }
  dependencies(): readonly Dependency[] {
    return [regionDependency(this.parent, this.params.input, this.meta, (b) => this.halo(b))];
  }
  compute(split: number, tc: TaskContext, emit: (b: Block) => void): void {
    emitBlock(this, split, tc, emit);
  }
  region(box: Box, tc: TaskContext): TypedArray {
    const inBox = this.halo(box);
    const src = readRegion(this.parent, this.params.input, inBox, tc);
    const out = new Float32Array(box.shape[0] * box.shape[1] * box.shape[2]);
    boxFilter(src, inBox.shape, inBox.origin, this.meta.shape, box.origin, box.shape, this.params.radius, this.params.mode, out);
    tc.count(`voxels:${this.op}`, out.length);
    return out;
  }
  describe(): string {
    return `boxFilter(r=${this.params.radius}, ${this.params.mode})`;
  }
}

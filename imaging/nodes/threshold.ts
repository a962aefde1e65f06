/** `img.threshold({ above, below })`: u8 mask, pointwise, so a box needs the same box of the input. */
import type { Dependency, RDD, TaskContext } from '../../core/index.js';
import type { Block, ImageMeta } from '../block.js';
import type { Box } from '../box.js';
import type { TypedArray } from '../dtype.js';
import { emitBlock, numBlocks, readRegion, type RegionNode } from '../image-node.js';
import { threshold } from '../kernels/index.js';
import { regionDependency } from './region-dependency.js';

export interface ThresholdParams {
  readonly meta: ImageMeta;
  readonly input: ImageMeta;
  readonly above: number | null;
  readonly below: number | null;
}

export class ThresholdNode implements RegionNode {
  readonly op = 'image.threshold';
  readonly parents: readonly RDD<unknown>[];
  readonly partitioner = null;
  readonly meta: ImageMeta;
  constructor(private readonly parent: RDD<Block>, readonly params: ThresholdParams) {
    this.parents = [parent as RDD<unknown>];
    this.meta = params.meta;
  }
  numPartitions(): number {
    return numBlocks(this.meta);
  }
  dependencies(): readonly Dependency[] {
    return [regionDependency(this.parent, this.params.input, this.meta, (b) => b)];
  }
  compute(split: number, tc: TaskContext, emit: (b: Block) => void): void {
    emitBlock(this, split, tc, emit);
  }
  region(box: Box, tc: TaskContext): TypedArray {
    const src = readRegion(this.parent, this.params.input, box, tc);
    const out = new Uint8Array(src.length);
    threshold(src, this.params.above, this.params.below, out);
    tc.count(`voxels:${this.op}`, out.length);
    return out;
  }
  describe(): string {
    const { above, below } = this.params;
    return `threshold(${[above !== null ? `> ${above}` : '', below !== null ? `< ${below}` : ''].filter(Boolean).join(' and ')})`;
  }
}

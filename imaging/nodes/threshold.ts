/** `img.threshold({ above, below })`: u8 mask, pointwise, so a box needs the same box of the input. */
import type { RDD, TaskContext } from '../../core/index.js';
import type { Block, ImageMeta } from '../block.js';
import type { Box } from '../box.js';
import type { TypedArray } from '../dtype.js';
import { kernels } from '../../native/index.js';
import { UnaryRegionNode } from './region-node.js';

export interface ThresholdParams {
  readonly meta: ImageMeta;
  readonly input: ImageMeta;
  readonly above: number | null;
  readonly below: number | null;
}

export class ThresholdNode extends UnaryRegionNode<ThresholdParams> {
  readonly op = 'image.threshold';
  need(box: Box): Box {
    return box;
  }
  region(box: Box, tc: TaskContext, into?: TypedArray): TypedArray {
    return this.apply(this.input(box, tc), tc, into instanceof Uint8Array ? into : undefined);
  }
  /**
   * The mask of `src`, a box of this node's input (a consumer that already holds the input box calls
   * this instead of region); into `into` when it has src's length (the kernel writes every voxel).
   */
  apply(src: TypedArray, tc: TaskContext, into?: Uint8Array): Uint8Array {
    const out = into !== undefined && into.length === src.length ? into : new Uint8Array(src.length);
    kernels.threshold(src, this.params.above, this.params.below, out);
    tc.count(`voxels:${this.op}`, out.length);
    return out;
  }
  /** The RDD this node thresholds. */
  get source(): RDD<Block> {
    return this.parent;
  }
  describe(): string {
    const { above, below } = this.params;
    return `threshold(${[above !== null ? `> ${above}` : '', below !== null ? `< ${below}` : ''].filter(Boolean).join(' and ')})`;
  }
}

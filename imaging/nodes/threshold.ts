/** `img.threshold({ above, below })`: u8 mask, pointwise, so a box needs the same box of the input. */
import { ConfigError, type RDD, type TaskContext } from '../../core/index.js';
import type { Block, ImageMeta } from '../block.js';
import type { Box } from '../box.js';
import type { TypedArray } from '../dtype.js';
import { kernels } from '../kernels/dispatch.js';
import type { UnaryOperator } from './operator.js';
import { UnaryRegionNode } from './region-node.js';

export interface ThresholdParams {
  readonly meta: ImageMeta;
  readonly input: ImageMeta;
  readonly above: number | null;
  readonly below: number | null;
}

/** `img.threshold({ above, below })`: 1 where `v > above` and/or `v < below` (both: inside the open interval). */
export interface ThresholdOptions {
  readonly above?: number;
  readonly below?: number;
}

export const threshold: UnaryOperator<ThresholdOptions, ThresholdParams> = {
  op: 'image.threshold',
  parse(options, input) {
    const above = options.above ?? null;
    const below = options.below ?? null;
    if (above === null && below === null) throw new ConfigError('above', 'threshold needs { above } or { below } (or both)');
    for (const [name, v] of [['above', above], ['below', below]] as const) {
      if (v !== null && !Number.isFinite(v)) throw new ConfigError(name, `threshold: ${name} must be a finite number, got ${v}`);
    }
    return { meta: { ...input, dtype: 'u8' }, input, above, below };
  },
  create: (parent, params) => new ThresholdNode(parent, params),
};

export class ThresholdNode extends UnaryRegionNode<ThresholdParams> {
  readonly op = threshold.op;
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

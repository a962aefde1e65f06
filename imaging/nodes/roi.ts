/**
 * `img.roi(min, max)`: a crop. Its region rule shifts the box into the parent, so whatever sits
 * below computes only the cropped voxels (plus its own halo): the crop is pushed down by construction.
 */
import { ConfigError, type TaskContext } from '../../core/index.js';
import type { ImageMeta } from '../block.js';
import { translate, type Box, type Vec3 } from '../box.js';
import type { TypedArray } from '../dtype.js';
import { clampBlock } from '../block-grid.js';
import type { UnaryOperator } from './operator.js';
import { UnaryRegionNode } from './region-node.js';

export interface RoiParams {
  readonly meta: ImageMeta;
  readonly input: ImageMeta;
  /** Position of the crop's [0, 0, 0] in the parent, [z, y, x]. */
  readonly offset: Vec3;
}

/** `img.roi(min, max)`: the corners of the crop `[min, max)`, each `[x, y, z]`. */
export interface RoiOptions {
  readonly min: readonly [number, number, number];
  readonly max: readonly [number, number, number];
}

export const roi: UnaryOperator<RoiOptions, RoiParams> = {
  op: 'image.roi',
  parse({ min, max }, input) {
    const [sz, sy, sx] = input.shape;
    const ext = [sx, sy, sz];
    for (let i = 0; i < 3; i++) {
      const lo = min[i] as number, hi = max[i] as number;
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > (ext[i] as number) || hi <= lo) {
        throw new ConfigError(
          'max',
          `roi: ${'xyz'[i]} range [${lo}, ${hi}) must be integers with 0 <= min < max <= ${ext[i]} (the image is ${sx}x${sy}x${sz} as x,y,z)`,
        );
      }
    }
    const shape: Vec3 = [max[2] - min[2], max[1] - min[1], max[0] - min[0]];
    return { meta: { ...input, shape, blockShape: clampBlock(input.blockShape, shape) }, input, offset: [min[2], min[1], min[0]] };
  },
  create: (parent, params) => new RoiNode(parent, params),
};

export class RoiNode extends UnaryRegionNode<RoiParams> {
  readonly op = roi.op;
  need(box: Box): Box {
    return translate(box, this.params.offset);
  }
  region(box: Box, tc: TaskContext): TypedArray {
    return this.input(box, tc);
  }
  describe(): string {
    const [z, y, x] = this.params.offset;
    const [sz, sy, sx] = this.meta.shape;
    return `roi [${x}, ${y}, ${z}] .. [${x + sx}, ${y + sy}, ${z + sz})`;
  }
}

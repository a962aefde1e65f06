/**
 * `img.roi(min, max)`: a crop. Its region rule shifts the box into the parent, so whatever sits
 * below computes only the cropped voxels (plus its own halo): the crop is pushed down by construction.
 */
import type { TaskContext } from '../../core/index.js';
import type { ImageMeta } from '../block.js';
import { translate, type Box, type Vec3 } from '../box.js';
import type { TypedArray } from '../dtype.js';
import { UnaryRegionNode } from './region-node.js';

export interface RoiParams {
  readonly meta: ImageMeta;
  readonly input: ImageMeta;
  /** Position of the crop's [0, 0, 0] in the parent, [z, y, x]. */
  readonly offset: Vec3;
}

export class RoiNode extends UnaryRegionNode<RoiParams> {
  readonly op = 'image.roi';
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

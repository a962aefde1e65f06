/** `ctx.images.fromArray(data, [z, y, x])`: an in-memory volume cut into blocks. */
import type { TaskContext } from '../../core/index.js';
import type { ImageMeta } from '../block.js';
import { copyRegion, type Box } from '../box.js';
import { allocate, type TypedArray } from '../dtype.js';
import { SourceRegionNode } from './region-node.js';

export interface ArraySourceParams {
  readonly meta: ImageMeta;
  readonly data: TypedArray;
}

export class ArraySourceNode extends SourceRegionNode<ArraySourceParams> {
  readonly op = 'image.array';
  region(box: Box, tc: TaskContext): TypedArray {
    const out = allocate(this.meta.dtype, box.shape[0] * box.shape[1] * box.shape[2]);
    copyRegion(this.params.data, { origin: [0, 0, 0], shape: this.meta.shape }, out, box, box);
    tc.count(`voxels:${this.op}`, out.length);
    return out;
  }
  describe(): string {
    return `array ${this.meta.shape.join('x')} ${this.meta.dtype}`;
  }
}

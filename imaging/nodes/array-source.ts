/**
 * `ctx.images.fromArray(data, [z, y, x])`: an in-memory volume cut into blocks. The array travels as
 * a broadcast variable — once per worker thread, not inside every stage's plan.
 */
import type { Broadcast, TaskContext } from '../../core/index.js';
import type { ImageMeta } from '../block.js';
import { copyRegion, type Box } from '../box.js';
import { allocate, type TypedArray } from '../dtype.js';
import { SourceRegionNode } from './region-node.js';

export interface ArraySourceParams {
  readonly meta: ImageMeta;
  readonly data: Broadcast<TypedArray>;
}

export class ArraySourceNode extends SourceRegionNode<ArraySourceParams> {
  readonly op = 'image.array';
  region(box: Box, tc: TaskContext): TypedArray {
    const out = allocate(this.meta.dtype, box.shape[0] * box.shape[1] * box.shape[2]);
    copyRegion(this.params.data.value, { origin: [0, 0, 0], shape: this.meta.shape }, out, box, box);
    tc.count(`voxels:${this.op}`, out.length);
    return out;
  }
  describe(): string {
    return `array ${this.meta.shape.join('x')} ${this.meta.dtype}`;
  }
}

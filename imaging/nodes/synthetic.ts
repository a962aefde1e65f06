/** `ctx.images.synthetic({ kind, shape, seed })`: phantoms generated per block (see phantoms.ts). */
import type { TaskContext } from '../../core/index.js';
import type { ImageMeta } from '../block.js';
import type { Box } from '../box.js';
import { allocate, type TypedArray } from '../dtype.js';
import { SourceRegionNode } from './region-node.js';
import { kernels } from '../kernels/dispatch.js';
import { knownRegion } from '../known-phantom.js';

export type PhantomKind = 'blobs' | 'bone' | 'known';

export interface SyntheticParams {
  readonly meta: ImageMeta;
  readonly kind: PhantomKind;
  readonly seed: number;
}

export class SyntheticNode extends SourceRegionNode<SyntheticParams> {
  readonly op = 'image.synthetic';
  region(box: Box, tc: TaskContext): TypedArray {
    const [sz, sy, sx] = box.shape;
    const out = allocate(this.meta.dtype, sz * sy * sx);
    if (this.params.kind === 'known') {
      knownRegion(box.origin, box.shape, out);
      tc.count(`voxels:${this.op}`, out.length);
      return out;
    }
    // blobsAt / boneAt (phantoms.ts) over the box, block-wise; native where the addon loaded
    kernels.phantomRegion(this.params.kind, box.origin, box.shape, this.params.seed, out);
    tc.count(`voxels:${this.op}`, out.length);
    return out;
  }
  describe(): string {
    return `synthetic ${this.params.kind} ${this.meta.shape.join('x')} seed ${this.params.seed}`;
  }
}

/**
 * `img.boxFilter(r, { mode })`: f32 mean over the (2r+1)^d window, d the image's dimensionality (2 when
 * z = 1, else 3). A box needs the parent's box grown by r (clipped to the image): the halo. Kernel:
 * separable running sums (kernels/box-filter.ts), native where the addon loaded (native/index.ts).
 *
 * The kernel windows only the axes of extent > 1. An image axis of extent 1 still counts in d (scipy
 * windows every axis of the array it is given): in 'constant' mode its window holds the voxel and 2r
 * zeros, so the mean is the kernel's divided by 2r+1; in 'nearest' and 'reflect' every window position
 * maps back to the one voxel and the kernel's mean is already right.
 */
import { ConfigError, type TaskContext } from '../../core/index.js';
import type { ImageMeta } from '../block.js';
import { clip, grow, type Box } from '../box.js';
import type { TypedArray } from '../dtype.js';
import { boxFilterScratchLength, type BoxFilterMode } from '../kernels/index.js';
import { backends, kernels } from '../kernels/dispatch.js';
import type { UnaryOperator } from './operator.js';
import { UnaryRegionNode } from './region-node.js';
import { scratchOf } from '../thread-scratch.js';

export interface BoxFilterParams {
  readonly meta: ImageMeta;
  readonly input: ImageMeta;
  readonly radius: number;
  readonly mode: BoxFilterMode;
}

/** `img.boxFilter(radius, { mode })`. */
export interface BoxFilterOptions {
  readonly radius: number;
  /** As scipy.ndimage: 'constant' (zeros outside), 'nearest' or 'reflect'; default 'constant'. */
  readonly mode?: BoxFilterMode;
}

const MODES: readonly BoxFilterMode[] = ['constant', 'nearest', 'reflect'];

export const boxFilter: UnaryOperator<BoxFilterOptions, BoxFilterParams> = {
  op: 'image.boxFilter',
  parse({ radius, mode = 'constant' }, input) {
    if (!Number.isInteger(radius) || radius < 0) throw new ConfigError('radius', `boxFilter: radius must be a non-negative integer, got ${radius}`);
    if (!MODES.includes(mode)) throw new ConfigError('mode', `boxFilter: mode must be 'constant', 'nearest' or 'reflect', got '${String(mode)}'`);
    return { meta: { ...input, dtype: 'f32' }, input, radius, mode };
  },
  create: (parent, params) => new BoxFilterNode(parent, params),
};

export class BoxFilterNode extends UnaryRegionNode<BoxFilterParams> {
  readonly op = boxFilter.op;
  /** The input box a box of output needs: grown by the radius (the halo), clipped to the image. */
  need(box: Box): Box {
    const axes = this.meta.shape.map((s) => s > 1) as [boolean, boolean, boolean];
    return clip(grow(box, this.params.radius, axes), this.meta.shape);
  }
  region(box: Box, tc: TaskContext, into?: TypedArray): TypedArray {
    const inBox = this.need(box);
    // The input (the box and its halo) is read only by the kernel below: a per-thread scratch.
    const src = this.input(box, tc, scratchOf(this, this.params.input.dtype, inBox.shape[0] * inBox.shape[1] * inBox.shape[2]));
    const voxels = box.shape[0] * box.shape[1] * box.shape[2];
    // The kernel writes every voxel, so a caller's scratch needs no clearing.
    const out = into instanceof Float32Array && into.length === voxels ? into : new Float32Array(voxels);
    kernels.boxFilter(src, inBox.shape, inBox.origin, this.meta.shape, box.origin, box.shape, this.params.radius, this.params.mode, out, NATIVE ? undefined : scratchFor(inBox));
    const scale = this.flatAxesScale();
    if (scale !== 1) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * scale;
    tc.count(`voxels:${this.op}`, out.length);
    return out;
  }
  /** 1 / (2r+1)^k for the k image axes of extent 1 that a 'constant' window still spans (see above). */
  private flatAxesScale(): number {
    if (this.params.mode !== 'constant' || this.params.radius === 0) return 1;
    // z of extent 1 makes the image 2D, so only y and x can be flat axes inside the dimensionality
    const [, y, x] = this.meta.shape;
    const flat = (y === 1 ? 1 : 0) + (x === 1 ? 1 : 0);
    return 1 / (2 * this.params.radius + 1) ** flat;
  }
  describe(): string {
    return `boxFilter(r=${this.params.radius}, ${this.params.mode})`;
  }
}

// The native kernel keeps its own per-thread plane buffers; only the TypeScript twin needs the scratch.
const NATIVE = backends().boxFilter === 'native';

// One scratch buffer per thread, grown as needed: tasks on a thread run one at a time, and allocating
// (and zeroing) tens of MB per block made concurrent threads contend on the allocator.
let scratch = new Float32Array(0);
function scratchFor(inBox: Box): Float32Array {
  const n = boxFilterScratchLength(inBox.shape);
  if (scratch.length < n) scratch = new Float32Array(n);
  return scratch;
}

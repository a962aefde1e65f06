/**
 * Step 1 of block labeling: each block is labeled on its own (union-find raster scan); its per-label
 * partial statistics and the boundary layers its neighbours need are cut in the same task. When the
 * labels fit the memory budget (`keep`), the block's local labels are kept too, in the narrowest type
 * that holds them (1 or 2 bytes a voxel on most blocks), so that the relabel pass is a table lookup;
 * otherwise the relabel pass recomputes them from the mask (and so re-runs whatever fused chain made
 * the mask: reading, filtering). Keeping measured 2-3x faster for the relabel pass of analyze's fused
 * pipeline at 256^3-512^3; recomputing is what lets a volume far past the budget through without
 * spilling a label array to disk.
 */
import { cacheableArray, type Dependency, type RDD, type RddNode, type TaskContext } from '../../core/index.js';
import { blockBox, blockIndex } from '../block-grid.js';
import type { Block, ImageMeta } from '../block.js';
import type { Vec3 } from '../box.js';
import { gridOf, numBlocks, readRegion } from '../image-node.js';
import { labelScratchLength } from '../kernels/index.js';
import { kernels } from '../kernels/dispatch.js';
import { regionDependency } from '../nodes/region-dependency.js';
import { ThresholdNode } from '../nodes/threshold.js';
import { scratchOf } from '../thread-scratch.js';
import type { Box } from '../box.js';
import type { TypedArray } from '../dtype.js';
import { blockLayers, labelArray, type Layer, type LayerLabels } from './boundary.js';

/**
 * What block labeling keeps of a block: the count n of its local labels 1..n (numbered in raster
 * order of their first voxel within the block), their partial statistics, field-major as labelStats
 * makes them (field f of label l at `f * (n + 1) + l`, partials.ts F), and its boundary layers keyed
 * by neighbour pair. Typed arrays only: the cache stores them raw.
 */
export interface BlockLabels {
  readonly block: number;
  readonly n: number;
  readonly partials: Float64Array;
  readonly layers: [[number, number], Layer][];
  /** The block's local labels 1..n (0 background), when the labeling keeps them (LocalLabelParams.keep). */
  readonly labels?: LayerLabels;
}

export interface LocalLabelParams {
  readonly mask: ImageMeta;
  readonly intensity: ImageMeta | null;
  readonly connectivity: number;
  /** Neighbour directions the connectivity allows (boundary.ts positiveDirections). */
  readonly dirs: readonly Vec3[];
  /** Keep each block's local labels for the relabel pass (they fit the memory budget). */
  readonly keep?: boolean;
}

export class LocalLabelNode implements RddNode<BlockLabels> {
  readonly op = 'image.labelLocal';
  readonly parents: readonly RDD<unknown>[];
  readonly partitioner = null;
  constructor(
    private readonly mask: RDD<Block>,
    private readonly intensity: RDD<Block> | null,
    readonly params: LocalLabelParams,
  ) {
    this.parents = intensity === null ? [mask as RDD<unknown>] : [mask as RDD<unknown>, intensity as RDD<unknown>];
  }
  numPartitions(): number {
    return numBlocks(this.params.mask);
  }
  dependencies(): readonly Dependency[] {
    const deps = [regionDependency(this.mask, this.params.mask, this.params.mask, (b) => b)];
    if (this.intensity !== null && this.params.intensity !== null) {
      deps.push(regionDependency(this.intensity, this.params.intensity, this.params.mask, (b) => b));
    }
    return deps;
  }
  describe(): string {
    return `label blocks (connectivity ${this.params.connectivity})`;
  }
  compute(split: number, tc: TaskContext, emit: (r: BlockLabels) => void): void {
    const meta = this.params.mask;
    const grid = gridOf(meta);
    const box = blockBox(grid, split);
    const { src, intensity } = this.inputs(box, tc);
    const labels = threadLabels(src.length);
    const n = labelMask(src, box.shape, this.params.connectivity, labels);
    const partials = kernels.labelStats(labels, n, box.shape, box.origin, meta.shape, intensity).data;
    const layers = blockLayers(labels, n, box.shape, split, blockIndex(grid, split), grid.counts, this.params.dirs);
    emit(this.params.keep === true ? { block: split, n, partials, layers, labels: compactLabels(labels, n, recordRoom(partials, layers)) } : { block: split, n, partials, layers });
  }

  /**
   * The block's mask and intensity. When the mask is a threshold of the intensity image (analyze's
   * pipeline: the components of a filtered image, measured on it), the intensity box is computed once
   * and thresholded here, instead of running the fused chain that makes it (read, filter) twice.
   */
  private inputs(box: Box, tc: TaskContext): { src: TypedArray; intensity: TypedArray | null } {
    const meta = this.params.mask;
    if (this.intensity === null || this.params.intensity === null) return { src: readRegion(this.mask, meta, box, tc), intensity: null };
    const node = this.mask.node as unknown;
    if (node instanceof ThresholdNode && node.source === this.intensity && this.mask.storageLevel === 'NONE' && !this.mask.isCheckpointed) {
      // Both are read before this task ends and kept nowhere: per-thread scratch, not fresh arrays
      // (fresh pages cost more than the filter that fills them: ~0.6 s per GiB on this VM).
      const voxels = box.shape[0] * box.shape[1] * box.shape[2];
      const intensity = readRegion(this.intensity, this.params.intensity, box, tc, scratchOf(this, this.params.intensity.dtype, voxels));
      return { src: node.apply(intensity, tc, threadMask(voxels)), intensity };
    }
    const src = readRegion(this.mask, meta, box, tc);
    return { src, intensity: this.intensity === this.mask ? src : readRegion(this.intensity, this.params.intensity, box, tc) };
  }
}

/**
 * A copy of `labels` (labels up to `n`) in the narrowest type that holds them. With `room`, the copy
 * is a cacheableArray with that many bytes before it, so that persisting the block's record (whose
 * last array it is) writes the rest of the record there instead of copying the labels again.
 */
export function compactLabels(labels: Uint32Array, n: number, room?: number): LayerLabels {
  const len = labels.length;
  const out: LayerLabels =
    room === undefined ? labelArray(n, len) : n < 2 ** 8 ? cacheableArray(Uint8Array, len, room) : n < 2 ** 16 ? cacheableArray(Uint16Array, len, room) : cacheableArray(Uint32Array, len, room);
  // Into fresh (zero) memory, writing foreground only: a block's empty pages are never touched.
  return kernels.mapLabels(labels, null, out);
}

/** Room for a BlockLabels record's header and its other arrays: the partials, and the layers (msgpack'd in the header). */
function recordRoom(partials: Float64Array, layers: BlockLabels['layers']): number {
  let bytes = 4096 + partials.byteLength;
  for (const [, layer] of layers) bytes += layer.labels.byteLength + 64;
  return bytes;
}

/** The foreground (non-zero) of a block of any dtype as a u8 mask: the block itself when it is u8. */
export function asMask(src: TypedArray): Uint8Array {
  return src instanceof Uint8Array ? src : Uint8Array.from(src, (v) => (v !== 0 ? 1 : 0));
}

/** Labels a block of any dtype (foreground = non-zero) into `out`; returns the label count. */
export function labelMask(src: TypedArray, shape: Vec3, connectivity: number, out: Uint32Array): number {
  const mask = asMask(src);
  const need = labelScratchLength(shape);
  if (unionScratch.length < need) unionScratch = new Uint32Array(need);
  return kernels.labelBlock(mask, shape, connectivity as 26, out, unionScratch);
}

// Per-thread buffers reused across blocks (tasks on a thread run one at a time): allocating and
// zeroing several MB per block made concurrent threads contend on the allocator.
let unionScratch = new Uint32Array(0);
let labelsScratch = new Uint32Array(0);

let maskScratch = new Uint8Array(0);

/** A scratch mask of `n` voxels, valid until the next call on this thread. */
function threadMask(n: number): Uint8Array {
  if (maskScratch.length < n) maskScratch = new Uint8Array(n);
  return maskScratch.subarray(0, n);
}

/** A scratch label array of `n` voxels, valid until the next call on this thread. */
export function threadLabels(n: number): Uint32Array {
  if (labelsScratch.length < n) labelsScratch = new Uint32Array(n);
  return labelsScratch.subarray(0, n);
}

/**
 * Step 1 of block labeling: each block is labeled on its own (union-find raster scan) and its
 * per-label partial statistics are gathered in the same task. The record keeps the block's local
 * labels, so that the relabel pass (step 4) only looks them up; boundary layers are cut from them
 * when the exchange reads the record (boundary.ts).
 */
import type { Dependency, RDD, TaskContext } from '../../core/index.js';
import { blockBox, blockIndex } from '../block-grid.js';
import type { Block, ImageMeta } from '../block.js';
import type { Vec3 } from '../box.js';
import { gridOf, numBlocks, readRegion } from '../image-node.js';
import { labelScratchLength } from '../kernels/index.js';
import { kernels } from '../../native/index.js';
import { regionDependency } from '../nodes/region-dependency.js';
import type { TypedArray } from '../dtype.js';

/**
 * What block labeling keeps of a block: its local labels 1..n (numbered in raster order of their
 * first voxel within the block) and their partial statistics, field-major as labelStats makes them
 * (field f of label l at `f * (n + 1) + l`, partials.ts F). Typed arrays only: the cache stores them
 * raw and later tasks read them as views.
 */
export interface BlockLabels {
  readonly block: number;
  readonly index: Vec3;
  readonly origin: Vec3;
  readonly shape: Vec3;
  readonly n: number;
  readonly labels: Uint32Array;
  readonly partials: Float64Array;
}

export interface LocalLabelParams {
  readonly mask: ImageMeta;
  readonly intensity: ImageMeta | null;
  readonly connectivity: number;
}

export class LocalLabelNode {
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
    const src = readRegion(this.mask, meta, box, tc);
    const labels = new Uint32Array(src.length);
    const n = labelMask(src, box.shape, this.params.connectivity, labels);
    const intensity =
      this.intensity === null || this.params.intensity === null
        ? null
        : this.intensity === this.mask
          ? src
          : readRegion(this.intensity, this.params.intensity, box, tc);
    const partials = kernels.labelStats(labels, n, box.shape, box.origin, meta.shape, intensity).data;
    emit({ block: split, index: blockIndex(grid, split), origin: box.origin, shape: box.shape, n, labels, partials });
  }
}

/** Labels a block of any dtype (foreground = non-zero) into `out`; returns the label count. */
export function labelMask(src: TypedArray, shape: Vec3, connectivity: number, out: Uint32Array): number {
  const mask = src instanceof Uint8Array ? src : Uint8Array.from(src, (v) => (v !== 0 ? 1 : 0));
  const need = labelScratchLength(shape);
  if (unionScratch.length < need) unionScratch = new Uint32Array(need);
  return kernels.labelBlock(mask, shape, connectivity as 26, out, unionScratch);
}

// A per-thread parent table reused across blocks (tasks on a thread run one at a time): allocating
// and zeroing several MB per block made concurrent threads contend on the allocator.
let unionScratch = new Uint32Array(0);

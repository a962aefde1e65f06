/**
 * Step 1 of block labeling: each block is labeled on its own (union-find raster scan) and its
 * per-label partial statistics are gathered in the same task. Provisional global ids need no
 * serial chain over blocks: id = block number * 2^32 + local label.
 */
import type { Dependency, RDD, TaskContext } from '../../core/index.js';
import { blockBox, blockIndex } from '../block-grid.js';
import type { Block, ImageMeta } from '../block.js';
import type { Vec3 } from '../box.js';
import { gridOf, numBlocks, readRegion } from '../image-node.js';
import { labelScratchLength, PARTIAL_FIELDS } from '../kernels/index.js';
import { kernels } from '../../native/index.js';
import { regionDependency } from '../nodes/region-dependency.js';
import { ROW } from './partials.js';
import { blockLayers, type Layer } from './boundary.js';
import type { TypedArray } from '../dtype.js';

export { ID_BASE } from './partials.js';

/**
 * What block labeling keeps of a block: the number of local labels, the partial statistics of each
 * (row l-1 for label l) and the boundary layers its neighbours need. Not the label array itself:
 * the relabel step recomputes it from the mask (labelBlock is deterministic and cheaper than
 * caching and decoding 4 bytes per voxel).
 */
export interface LocalLabels {
  readonly block: number;
  readonly index: Vec3;
  readonly n: number;
  readonly rows: Float64Array;
  readonly layers: [[number, number], Layer][];
}

export interface LocalLabelParams {
  readonly mask: ImageMeta;
  readonly intensity: ImageMeta | null;
  readonly connectivity: number;
  /** Neighbour directions the connectivity allows (boundary.ts positiveDirections). */
  readonly dirs: readonly Vec3[];
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
  compute(split: number, tc: TaskContext, emit: (r: LocalLabels) => void): void {
    const meta = this.params.mask;
    const grid = gridOf(meta);
    const box = blockBox(grid, split);
    const src = readRegion(this.mask, meta, box, tc);
    const labels = threadLabels(src.length);
    const n = labelMask(src, box.shape, this.params.connectivity, labels);
    const intensity =
      this.intensity === null || this.params.intensity === null
        ? null
        : this.intensity === this.mask
          ? src
          : readRegion(this.intensity, this.params.intensity, box, tc);
    const rows = partialRows(labels, n, box.shape, box.origin, meta.shape, intensity);
    const index = blockIndex(grid, split);
    emit({ block: split, index, n, rows, layers: blockLayers(labels, box.shape, split, index, grid.counts, this.params.dirs) });
  }
}

/** Labels a block of any dtype (foreground = non-zero) into `out`; returns the label count. */
export function labelMask(src: TypedArray, shape: Vec3, connectivity: number, out: Uint32Array): number {
  const mask = src instanceof Uint8Array ? src : Uint8Array.from(src, (v) => (v !== 0 ? 1 : 0));
  const need = labelScratchLength(shape);
  if (unionScratch.length < need) unionScratch = new Uint32Array(need);
  return kernels.labelBlock(mask, shape, connectivity as 26, out, unionScratch);
}

// Per-thread buffers reused across blocks (tasks on a thread run one at a time): allocating and
// zeroing several MB per block made concurrent threads contend on the allocator.
let unionScratch = new Uint32Array(0);
let labelsScratch = new Uint32Array(0);

/** A scratch label array of `n` voxels, valid until the next call on this thread. */
function threadLabels(n: number): Uint32Array {
  if (labelsScratch.length < n) labelsScratch = new Uint32Array(n);
  return labelsScratch.subarray(0, n);
}

/**
 * One row of partial statistics per label (row l-1 for label l), from the kernel's per-field
 * partials (kernels/label-stats.ts: the same 18 fields, in the same order).
 */
export function partialRows(labels: Uint32Array, n: number, shape: Vec3, origin: Vec3, image: Vec3, intensity: TypedArray | null): Float64Array {
  const p = kernels.labelStats(labels, n, shape, origin, image, intensity);
  const rows = new Float64Array(n * ROW);
  for (let f = 0; f < ROW; f++) {
    const field = p[PARTIAL_FIELDS[f] as (typeof PARTIAL_FIELDS)[number]];
    for (let l = 1; l <= n; l++) rows[(l - 1) * ROW + f] = field[l] as number;
  }
  return rows;
}

/**
 * The task-side write of a contiguous output (.npy, .raw, uncompressed TIFF), one band per task: the
 * blocks of one z and y block position, all along x, so that each z plane of the band is one
 * contiguous range of the file (block-writer.ts). Each block of the band is computed through its
 * image's region rule into a scratch array this node owns on the thread — one per position in the
 * band, reused by every band the thread writes — and written at once. A volume's voxels therefore
 * pass through a few blocks of memory per thread instead of fresh arrays for the whole image (on this
 * class of machine the page faults of fresh memory cost more than the writes). A cached image is read
 * from its blocks instead (readRegion).
 */
import type { Dependency, RDD, RddNode, TaskContext } from '../../core/index.js';
import { blockBox, blockIndex, blockNumber } from '../block-grid.js';
import type { Block, ImageMeta } from '../block.js';
import { boxVoxels } from '../box.js';
import { gridOf, readRegion } from '../image-node.js';
import { type ContiguousTarget, writeBand } from '../io/block-writer.js';
import { scratchOf } from '../thread-scratch.js';

export const BAND_WRITE_OP = 'image.writeBands';

/** The image's meta and where its voxels go. */
export interface BandWriteParams {
  readonly meta: ImageMeta;
  readonly target: ContiguousTarget;
}

export class BandWriteNode implements RddNode<number> {
  readonly op = BAND_WRITE_OP;
  readonly partitioner = null;
  readonly parents: readonly RDD<unknown>[];
  /** One scratch owner per position along x in a band (scratchOf keys arrays by their owner). */
  private readonly slots: object[] = [];

  constructor(
    private readonly image: RDD<Block>,
    readonly params: BandWriteParams,
  ) {
    this.parents = [image as RDD<unknown>];
  }

  /** One partition per band: z block rows times y block rows. */
  numPartitions(): number {
    const [cz, cy] = gridOf(this.params.meta).counts;
    return cz * cy;
  }

  dependencies(): readonly Dependency[] {
    const grid = gridOf(this.params.meta);
    const [, cy, cx] = grid.counts;
    return [
      {
        kind: 'narrow',
        rdd: this.image as RDD<unknown>,
        getParents: (band: number) => Array.from({ length: cx }, (_, bx) => blockNumber(grid, [Math.floor(band / cy), band % cy, bx])),
      },
    ];
  }

  /** Computes the band's blocks into this thread's scratch, writes them, and emits the bytes written. */
  compute(band: number, tc: TaskContext, emit: (written: number) => void): void {
    const { meta, target } = this.params;
    const grid = gridOf(meta);
    const [, cy, cx] = grid.counts;
    const row: Block[] = [];
    for (let bx = 0; bx < cx; bx++) {
      const split = blockNumber(grid, [Math.floor(band / cy), band % cy, bx]);
      const box = blockBox(grid, split);
      const slot = (this.slots[bx] ??= {});
      const data = readRegion(this.image, meta, box, tc, scratchOf(slot, meta.dtype, boxVoxels(box)));
      row.push({ index: blockIndex(grid, split), origin: box.origin, shape: box.shape, data });
    }
    emit(writeBand(target, row));
  }

  describe(): string {
    return `write ${this.params.target.file}`;
  }
}

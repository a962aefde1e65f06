/**
 * `ctx.images`: where images come from — files, arrays in memory, and seeded phantoms.
 */
import { ConfigError, RDD, type Context } from '../core/index.js';
import { autoBlockShape, chunkAlignedBlockShape } from './block-grid.js';
import type { Block, ImageMeta } from './block.js';
import type { Vec3 } from './box.js';
import { dtypeOf, type DType, type TypedArray } from './dtype.js';
import { ImageRDD } from './image-rdd.js';
import { openImage, type OpenOptions } from './io/index.js';
import { ArraySourceNode } from './nodes/array-source.js';
import { FileSourceNode } from './nodes/file-source.js';
import { SyntheticNode, type PhantomKind } from './nodes/synthetic.js';

/** How an image is cut into blocks, and its voxel size. */
export interface BlockOptions {
  /** Block shape `[z, y, x]`; default: a few MB per block. */
  readonly blockShape?: Vec3;
  /** Voxel size `[z, y, x]`; default from the file, else 1. */
  readonly spacing?: Vec3;
}

/** Options of `ctx.images.synthetic`. */
export interface SyntheticOptions extends BlockOptions {
  /** Which phantom: 'blobs', 'bone' or 'known'. */
  readonly kind: PhantomKind;
  /** `[z, y, x]`. */
  readonly shape: Vec3;
  /** Seed of the generator (default 1): the same seed gives the same voxels. */
  readonly seed?: number;
  /** Voxel type (default 'u16'). */
  readonly dtype?: DType;
}

/** The kinds `synthetic` makes. */
export const PHANTOM_KINDS: readonly PhantomKind[] = ['blobs', 'bone', 'known'];

/** `ctx.images`: opens image files, wraps arrays and generates phantoms as ImageRDDs. */
export class Images {
  constructor(private readonly ctx: Context) {}

  /**
   * Opens an image file (header read now; blocks read by the tasks that need them). A `.nhdr`/`.mhd`
   * data file outside the header's folder is refused unless `{ allowOutsideData: true }`.
   */
  read(path: string, options: OpenOptions & BlockOptions = {}): ImageRDD {
    const { blockShape, spacing, ...open } = options;
    const src = openImage(path, open);
    const shape = [...src.shape] as Vec3;
    const tiles = blockShape ?? (src.chunkShape === undefined ? undefined : chunkAlignedBlockShape(shape, src.dtype, [...src.chunkShape] as Vec3));
    const meta = makeMeta(shape, src.dtype, tiles, spacing ?? src.spacing);
    return this.image(new FileSourceNode({ meta, path, options: open }), meta);
  }

  /** An image from a typed array in C order `[z][y][x]` (2D: z = 1). */
  fromArray(data: TypedArray, shape: Vec3, options: BlockOptions = {}): ImageRDD {
    const dtype = dtypeOf(data);
    if (dtype === null) throw new ConfigError('data', 'fromArray: data must be a typed array (Uint8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array or Float64Array)');
    checkShape(shape, 'fromArray');
    if (shape[0] * shape[1] * shape[2] !== data.length) {
      throw new ConfigError('shape', `fromArray: shape ${shape.join('x')} has ${shape[0] * shape[1] * shape[2]} voxels but the array has ${data.length}`);
    }
    const meta = makeMeta(shape, dtype, options.blockShape, options.spacing);
    return this.image(new ArraySourceNode({ meta, data: this.ctx.broadcast(data) }), meta);
  }

  /**
   * A seeded phantom of any size, generated block by block: 'blobs', 'bone', or 'known' (objects
   * whose exact components `knownComponents(shape)` gives without labeling; see known-phantom.ts).
   */
  synthetic(options: SyntheticOptions): ImageRDD {
    checkShape(options.shape, 'synthetic');
    if (!PHANTOM_KINDS.includes(options.kind)) throw new ConfigError('kind', `synthetic: kind must be one of ${PHANTOM_KINDS.map((k) => `'${k}'`).join(', ')}, got '${String(options.kind)}'`);
    const meta = makeMeta(options.shape, options.dtype ?? 'u16', options.blockShape, options.spacing);
    return this.image(new SyntheticNode({ meta, kind: options.kind, seed: options.seed ?? 1 }), meta);
  }

  private image(node: unknown, meta: ImageMeta): ImageRDD {
    return new ImageRDD(new RDD<Block>(this.ctx, node as RDD<Block>['node']), meta);
  }
}

function makeMeta(shape: Vec3, dtype: DType, blockShape: Vec3 | undefined, spacing: readonly number[] | undefined): ImageMeta {
  const bs = blockShape ?? autoBlockShape(shape, dtype);
  checkShape(bs, 'blockShape');
  return {
    shape: [...shape] as Vec3,
    dtype,
    spacing: spacing === undefined ? [1, 1, 1] : ([...spacing] as Vec3),
    blockShape: [Math.min(bs[0], shape[0]), Math.min(bs[1], shape[1]), Math.min(bs[2], shape[2])],
  };
}

function checkShape(shape: readonly number[], what: string): void {
  if (shape.length !== 3 || shape.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new ConfigError('shape', `${what}: shape must be [z, y, x] with positive integers (2D images have z = 1), got [${shape.join(', ')}]`);
  }
}

/**
 * ImageRDD: an image as an RDD of dense blocks, with voxel-level operators. Operators are lineage
 * nodes with region rules (see image-node.ts); `voxels()` gives the key-value view the original
 * Spark Imaging Layer used, and `ImageRDD.fromVoxels` turns such an RDD back into blocks.
 *
 * @example
 *   const img = ctx.images.synthetic({ kind: 'blobs', shape: [64, 64, 64], seed: 1 });
 *   const mask = img.boxFilter(1).threshold({ above: 400 });
 *   const labels = mask.labelComponents({ connectivity: 26 });
 *   console.log(await labels.componentCount());
 */
import { ConfigError, formatBytes, RangePartitioner, RDD, type StorageLevel } from '../core/index.js';
import type { Block, ImageMeta } from './block.js';
import { blockNumber, clampBlock, makeGrid } from './block-grid.js';
import type { Vec3 } from './box.js';
import { extname } from 'node:path';
import { allocate, bytesPer, DTYPES, type DType, type TypedArray } from './dtype.js';
import { numBlocks } from './image-node.js';
import { keyVoxelByBlock, voxelsToBlock } from './voxel-blocks.js';
import { writeImage, type WriteOptions, type ZarrWriteOptions } from './io/index.js';
import { createZarrOutput, writeZarrChunks } from './io/zarr/index.js';
import { createContiguousOutput } from './io/block-writer.js';
import { BandWriteNode } from './nodes/band-write.js';
import { refuseExisting } from './io/output-path.js';
import { boxFilter } from './nodes/box-filter.js';
import type { UnaryOperator, UnaryParams } from './nodes/operator.js';
import { roi } from './nodes/roi.js';
import { threshold, type ThresholdOptions } from './nodes/threshold.js';
import type { LabelOptions, LabeledImage } from './labeling/label-components.js';
import type { BoxFilterMode } from './kernels/index.js';
import type { Volume } from './volume.js';
import { histogram, type Histogram, type HistogramOptions } from './preview/histogram.js';
import { plane, type Axis } from './preview/planes.js';
import { Preview, type DisplayWindow } from './preview/preview.js';
import { thousands } from '../core/thousands.js';

/** A voxel in the key-value view: `[[x, y, z], value]`. */
export type Voxel = [[number, number, number], number];

/**
 * An image as a lazy RDD of dense blocks (`ctx.images.read`, `fromArray`, `synthetic`): operators build
 * new images, and only actions (`toArray`, `write`, `slice`, `histogram`, ...) run jobs.
 */
export class ImageRDD {
  constructor(
    /** The blocks, one per partition, partition i = block i of the grid in raster order. */
    readonly blocks: RDD<Block>,
    /** Shape, dtype, spacing and block shape, known without running a job. */
    readonly meta: ImageMeta,
  ) {}

  /** `[z, y, x]`. */
  get shape(): Vec3 {
    return this.meta.shape;
  }
  /** Voxel type. */
  get dtype(): DType {
    return this.meta.dtype;
  }
  /** Physical voxel size `[z, y, x]` (1, 1, 1 unless the file or options say). */
  get spacing(): Vec3 {
    return this.meta.spacing;
  }
  /** Size `[z, y, x]` of the blocks (the edge blocks may be smaller). */
  get blockShape(): Vec3 {
    return this.meta.blockShape;
  }
  /** 2 when z = 1, else 3. */
  get ndim(): 2 | 3 {
    return this.meta.shape[0] === 1 ? 2 : 3;
  }
  /** Blocks in the grid: the RDD's partition count. */
  get numBlocks(): number {
    return numBlocks(this.meta);
  }
  /** The context the image's jobs run on. */
  get context(): RDD<Block>['context'] {
    return this.blocks.context;
  }

  // ---- operators -----------------------------------------------------------------------------

  /** u8 mask: 1 where `v > above` and/or `v < below` (both given: inside the open interval). */
  threshold(options: ThresholdOptions): ImageRDD {
    return this.apply(threshold, options);
  }

  /** Crop to `[min, max)`, corners given as `[x, y, z]`. Work outside the box is never done. */
  roi(min: readonly [number, number, number], max: readonly [number, number, number]): ImageRDD {
    return this.apply(roi, { min, max });
  }

  /** f32 mean over the (2r+1)^d window; `mode` as scipy.ndimage ('constant' zero, 'nearest', 'reflect'). */
  boxFilter(radius: number, options: { mode?: BoxFilterMode } = {}): ImageRDD {
    return this.apply(boxFilter, { radius, ...options });
  }

  /** Any unary operator (nodes/operator.ts): its options parsed once, its node over these blocks. */
  apply<Options, Params extends UnaryParams>(operator: UnaryOperator<Options, Params>, options: Options): ImageRDD {
    const params = operator.parse(options, this.meta);
    return new ImageRDD(new RDD<Block>(this.blocks.context, operator.create(this.blocks, params)), params.meta);
  }

  /** u32 connected-component labels numbered in raster order of first voxel (scipy.ndimage.label's numbering). */
  labelComponents(options: LabelOptions = {}): LabeledImage {
    if (labelImpl === null) throw new Error('labeling is not loaded; import voxelflow (or voxelflow/imaging) instead of image-rdd directly');
    return labelImpl(this, options);
  }

  // ---- pictures ------------------------------------------------------------------------------

  /**
   * The plane across `axis` (default z) at `index`, as a Preview (PNG bytes, `writePng`). Only the blocks
   * that cut the plane run. Across z, rows are y and columns x; across y or x, rows are z.
   */
  async slice(index: number, options: { axis?: Axis; window?: DisplayWindow } = {}): Promise<Preview> {
    const p = await plane(this.blocks, this.meta, options.axis ?? 'z', index);
    return new Preview(p.data, p.cols, p.rows, options.window ?? 'auto');
  }

  /** Maximum intensity projection along `axis` (default z), as a Preview; NaN only where a whole line is NaN. */
  async mip(axis: Axis = 'z', options: { window?: DisplayWindow } = {}): Promise<Preview> {
    const p = await plane(this.blocks, this.meta, axis, null);
    return new Preview(p.data, p.cols, p.rows, options.window ?? 'auto');
  }

  /** Histogram of the values (numpy.histogram's bins; see preview/histogram.ts). */
  histogram(options: HistogramOptions = {}): Promise<Histogram> {
    return histogram(this.blocks, options);
  }

  // ---- key-value view ------------------------------------------------------------------------

  /** Every voxel as `[[x, y, z], value]`, produced lazily block by block. */
  voxels(): RDD<Voxel> {
    return this.blocks.flatMap(function* (b) {
      const [sz, sy, sx] = b.shape;
      const [oz, oy, ox] = b.origin;
      const d = b.data;
      let i = 0;
      for (let z = 0; z < sz; z++)
        for (let y = 0; y < sy; y++)
          for (let x = 0; x < sx; x++) yield [[ox + x, oy + y, oz + z], d[i++] as number] as Voxel;
    });
  }

  /** Builds an image from key-value voxels; positions never mentioned are 0. */
  static fromVoxels(rdd: RDD<Voxel>, shape: Vec3, dtype: DType, options: { blockShape?: Vec3; spacing?: Vec3 } = {}): ImageRDD {
    checkVec3(shape, 'fromVoxels: shape');
    if (!DTYPES.includes(dtype)) throw new ConfigError('dtype', `fromVoxels: dtype must be one of ${DTYPES.join(', ')}, got '${String(dtype)}'`);
    if (options.blockShape !== undefined) checkVec3(options.blockShape, 'fromVoxels: blockShape');
    const blockShape = clampBlock(options.blockShape ?? [64, 64, 64], shape);
    const meta: ImageMeta = { shape, dtype, spacing: options.spacing ?? [1, 1, 1], blockShape };
    const n = numBlocks(meta);
    const byBlock = rdd
      .map(keyVoxelByBlock, { meta })
      .partitionBy(new RangePartitioner(n, Array.from({ length: n - 1 }, (_, i) => i), true));
    const blocks = byBlock.mapPartitionsWithIndex(voxelsToBlock, { meta });
    return new ImageRDD(blocks, meta);
  }

  // ---- persistence and output ----------------------------------------------------------------

  /** Keeps the blocks once computed (default 'MEMORY_AND_DISK': spilled to disk past the memory budget). */
  persist(level: StorageLevel = 'MEMORY_AND_DISK'): this {
    this.blocks.persist(level);
    return this;
  }
  /** `persist('MEMORY_AND_DISK')` (unlike RDD.cache, blocks spill rather than being recomputed). */
  cache(): this {
    return this.persist('MEMORY_AND_DISK');
  }
  /** Stops keeping the blocks and frees those kept. */
  unpersist(): this {
    this.blocks.unpersist();
    return this;
  }
  /** Marks the blocks for checkpointing: the next job that computes them writes them to the context's checkpointDir. */
  checkpoint(): this {
    this.blocks.checkpoint();
    return this;
  }

  /** The whole image on the driver (refused past what one typed array holds: write it to a file instead). */
  async toArray(): Promise<Volume> {
    const voxels = this.meta.shape[0] * this.meta.shape[1] * this.meta.shape[2];
    if (voxels > MAX_ARRAY_ELEMENTS) {
      throw new ConfigError(
        'toArray',
        `toArray: the image has ${thousands(voxels)} voxels (${formatBytes(voxels * bytesPer(this.meta.dtype))}), more than one typed array holds (${thousands(MAX_ARRAY_ELEMENTS)} elements); ` +
          "write it to a file with img.write('out.npy') (each task writes its own blocks), or take a region with img.roi(...)",
      );
    }
    const out = allocate(this.meta.dtype, voxels);
    const all = { origin: [0, 0, 0] as Vec3, shape: this.meta.shape };
    const blocks = await this.blocks.collect();
    const { copyRegion } = await import('./box.js');
    for (const b of blocks) copyRegion(b.data, { origin: b.origin, shape: b.shape }, out, all, { origin: b.origin, shape: b.shape });
    return { data: out, shape: this.meta.shape, dtype: this.meta.dtype, spacing: this.meta.spacing };
  }

  /**
   * Writes the image (format from the extension: .npy, .tif, .raw, .png, .zarr). `.npy` and `.raw`
   * are written by the tasks that compute the blocks, each at its own offsets, into a temporary file
   * the driver renames into place when all succeeded; `.zarr` (OME-Zarr 0.5, see io/zarr) likewise,
   * one chunk file per block, and `label: true` writes a label image (also at `IMAGE.zarr/labels/NAME`);
   * other formats go through the driver. An existing file or store is refused before anything is
   * computed, unless `overwrite: true`.
   */
  async write(path: string, options: WriteOptions & ZarrWriteOptions = {}): Promise<void> {
    if ((options.format === undefined && extname(path).toLowerCase() === '.zarr') || options.label === true) {
      // Chunk grid = block grid: each task writes its blocks' chunks (and their pyramid levels).
      const store = createZarrOutput(path, this.meta, options);
      try {
        await this.blocks.mapPartitions(writeZarrChunks, { target: store.target }).count();
        store.commit();
      } catch (err) {
        store.abandon();
        throw err;
      }
      return;
    }
    const format = contiguousFormat(path, options);
    if (format === null) {
      refuseExisting(path, options.format ?? extname(path).slice(1).toLowerCase(), options.overwrite);
      writeImage(path, await this.toArray(), options);
      return;
    }
    const output = createContiguousOutput(path, format, this.meta.shape, this.meta.dtype, { spacing: this.meta.spacing, overwrite: options.overwrite });
    try {
      // A band of blocks along x per task, computed into the task's scratch and written at once: each
      // z plane of the band is one contiguous write (nodes/band-write.ts).
      const bands = new RDD<number>(this.blocks.context, new BandWriteNode(this.blocks, { meta: this.meta, target: output.target }));
      await bands.setName(`write ${path}`).count();
      output.commit();
    } catch (err) {
      output.abandon();
      throw err;
    }
  }

  /** The lineage of the blocks, one RDD per line, indented at shuffle boundaries (like Spark's). */
  toDebugString(): string {
    return this.blocks.toDebugString();
  }
}

// Labeling builds on ImageRDD (LabeledImage extends it), so it is handed over instead of imported
// (a static import would be a cycle): imaging/index.ts, the folder's entry, does it.
let labelImpl: ((img: ImageRDD, options: LabelOptions) => LabeledImage) | null = null;

/** Installs the labeling implementation; imaging/index.ts calls it with labelComponents. */
export function setLabelImplementation(fn: (img: ImageRDD, options: LabelOptions) => LabeledImage): void {
  labelImpl = fn;
}

/** The most elements one typed array holds in Node 20 (2^32). */
const MAX_ARRAY_ELEMENTS = 2 ** 32;

/** 'npy' or 'raw' when `path` is written task-side (contiguous, uncompressed); null for the driver's writers. */
function contiguousFormat(path: string, options: WriteOptions): 'npy' | 'raw' | 'tiff' | null {
  const format = options.format ?? ({ '.npy': 'npy', '.raw': 'raw', '.bin': 'raw', '.tif': 'tiff', '.tiff': 'tiff' } as const)[extname(path).toLowerCase() as '.npy' | '.raw' | '.bin' | '.tif' | '.tiff'];
  if ((format !== 'npy' && format !== 'raw' && format !== 'tiff') || (options.compression !== undefined && options.compression !== 'none')) return null;
  return format;
}

function checkVec3(v: readonly number[], what: string): void {
  if (!Array.isArray(v) || v.length !== 3 || v.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new ConfigError(what, `${what} must be [z, y, x] with positive integers, got [${Array.isArray(v) ? v.join(', ') : String(v)}]`);
  }
}


/** Index of the block that holds voxel `zyx`. */
export function blockOf(meta: ImageMeta, zyx: Vec3): number {
  const g = makeGrid(meta.shape, meta.blockShape);
  return blockNumber(g, [Math.floor(zyx[0] / g.blockShape[0]), Math.floor(zyx[1] / g.blockShape[1]), Math.floor(zyx[2] / g.blockShape[2])]);
}

export type { TypedArray };
export { clampBlock };

/**
 * `img.labelComponents({ connectivity, method })`: connected components as u32 labels numbered
 * 1..N in raster order of each component's first voxel — scipy.ndimage.label's numbering.
 *
 * Method 'blocks' (default), after DESIGN.md, in four stages whatever the volume size:
 *   1. one narrow pass labels each block alone and gathers its per-label partial statistics and
 *      boundary layers (local-labels.ts, persisted); the driver collects each block's label count
 *      and first voxels;
 *   2. one exchange pairs the boundary layers of neighbouring blocks (a map stage reads them from
 *      the persisted block records, a reduce stage turns each pair of layers into label pairs,
 *      which the driver collects: boundary.ts);
 *   3. the driver resolves the pairs with a union-find over typed arrays and numbers components by
 *      their first voxel (numbering.ts), giving one lookup table per block;
 *   4. one relabel pass relabels each block from its mask and writes it through its table
 *      (RelabelNode).
 * Every record is a typed-array batch (a block's partials, a layer, a block pair's label pairs, a
 * table), never one JS object per voxel or label. Before this shape (issue 14 item 5) the labels and
 * their count took 13 stages of generic shuffles of per-label records.
 * Steps 1-3 run when the labels or the count are first needed (the relabel node's prepare hook),
 * so building the pipeline stays lazy. Statistics stay on the executors, merged by final label in
 * one more exchange when shapeStats asks for them (no second scan of the image).
 */
import { cacheableArray, ConfigError, driverContext, RangePartitioner, RDD, type Dependency, type RddNode, type TaskContext } from '../../core/index.js';
import { blockBox, blockIndex, blocksIntersecting } from '../block-grid.js';
import { boxVoxels, copyRegion, intersect, sameBox, type Box } from '../box.js';
import type { TypedArray } from '../dtype.js';
import type { Block, ImageMeta } from '../block.js';
import { gridOf, numBlocks, readRegion } from '../image-node.js';
import { ImageRDD } from '../image-rdd.js';
import { kernels } from '../kernels/dispatch.js';
import { normalizeConnectivity } from '../kernels/index.js';
import { regionDependency } from '../nodes/region-dependency.js';
import { RoiNode } from '../nodes/roi.js';
import { ThresholdNode } from '../nodes/threshold.js';
import { positiveDirections, reach } from './boundary.js';
import { asMask, labelMask, LocalLabelNode, type BlockLabels } from './local-labels.js';
import { numberComponents } from './numbering.js';
import type { ShapeRow } from './partials.js';
import { ShapeTable } from './shape-table.js';
import { labelByPropagation } from './propagate.js';
import type { ResolveOptions } from './resolve.js';
import { blockFirsts, layersOf, mergeStatsBatches, pairLayers, statsBatches } from './steps.js';

/** Options of `img.labelComponents`. */
export interface LabelOptions extends ResolveOptions {
  /** 6 | 18 | 26 in 3D, 4 | 8 in 2D (6 → 4 and 18/26 → 8 on 2D images). Default 26 (8 in 2D). */
  readonly connectivity?: 4 | 6 | 8 | 18 | 26;
  /** 'blocks' (default): per-block labels joined across block faces, a fixed number of stages; 'propagate': the original key-value label propagation, a slow reference. */
  readonly method?: 'blocks' | 'propagate';
  /**
   * Image whose values give each component's mean intensity (same shape). Default: the image the
   * mask was thresholded from, when the labeled image is `x.threshold(...)` (so `meanIntensity` is
   * the mean of `x` over the component); otherwise the labeled image itself.
   */
  readonly intensity?: ImageRDD;
}

/** What every labeling method yields besides the label image. */
export interface LabelSummary {
  readonly count: number;
  /** The merged statistics of every label (computed when first asked for, then kept). */
  readonly table: () => Promise<ShapeTable>;
}

/** What steps 1-3 produce. */
interface Resolved extends LabelSummary {
  /** Partition k holds block k's lookup table, local label → final label. */
  readonly tables: RDD<Uint32Array>;
}

/** Final labels per stats partition: the merged rows of 10^5 labels take about 15 MB. */
const LABELS_PER_STATS_PARTITION = 100_000;

/** Partition k holds integer key k: lines shuffled per-block data up with the block grid. */
export function blockPartitioner(n: number): RangePartitioner {
  return new RangePartitioner(n, Array.from({ length: n - 1 }, (_, i) => i), true);
}

/** Labels plus the statistics gathered while labeling. */
export class LabeledImage extends ImageRDD {
  constructor(
    blocks: RDD<Block>,
    meta: ImageMeta,
    private readonly resolved: () => Promise<LabelSummary>,
    private readonly intensity: ImageRDD | null,
  ) {
    super(blocks, meta);
  }

  /** Number of components N (labels are 1..N). */
  async componentCount(): Promise<number> {
    return (await this.resolved()).count;
  }

  /**
   * The statistics of every label as a table of typed-array batches (no object per label: what
   * millions of components need). Without an argument (or with the intensity image given to
   * labelComponents) they come from the partials gathered during labeling: no second scan.
   */
  async shapeTable(intensity?: ImageRDD): Promise<ShapeTable> {
    const table = await (await this.resolved()).table();
    if (intensity === undefined || intensity === this.intensity) return table;
    return table.withIntensitySums(await intensitySums(this, intensity));
  }

  /** One row per label, in label order (shapeTable's rows as objects). */
  async shapeStats(intensity?: ImageRDD): Promise<ShapeRow[]> {
    return (await this.shapeTable(intensity)).toRows();
  }
}

/**
 * Sum of `intensity` per label, block by block. The intensity image is first cut on the labels'
 * grid (a zero-offset crop: its region rule reads whatever blocks overlap), so that block k of both
 * covers the same voxels and the two RDDs zip.
 */
function intensitySums(labels: ImageRDD, intensity: ImageRDD): Promise<Map<number, number>> {
  if (intensity.shape.join() !== labels.shape.join()) {
    return Promise.reject(new ConfigError('intensity', `shapeStats: intensity image ${intensity.shape.join('x')} differs from labels ${labels.shape.join('x')}`));
  }
  const aligned =
    intensity.blockShape.join() === labels.blockShape.join()
      ? intensity.blocks
      : new RDD<Block>(
          labels.context,
          new RoiNode(intensity.blocks, { meta: { ...intensity.meta, blockShape: labels.blockShape }, input: intensity.meta, offset: [0, 0, 0] }),
        );
  return labels.blocks
    .zip(aligned)
    .flatMap(([l, v]) => {
      const sums = new Map<number, number>();
      for (let i = 0; i < l.data.length; i++) {
        const label = l.data[i] as number;
        if (label !== 0) sums.set(label, (sums.get(label) ?? 0) + (v.data[i] as number));
      }
      return sums;
    })
    .reduceByKey((a, b) => a + b)
    .collectAsMap();
}

/**
 * The relabel node: block k of the output = table k applied to the local labels of block k. The local labels
 * are the ones the block pass kept (`local`, when they fit the budget: local-labels.ts), else they are
 * recomputed from the mask (deterministic).
 */
/** The relabel node's parameters: the labels' meta, the mask's, and the connectivity. */
export interface RelabelParams {
  readonly meta: ImageMeta;
  readonly mask: ImageMeta;
  readonly connectivity: number;
}

export class RelabelNode implements RddNode<Block> {
  readonly op = 'image.relabel';
  readonly partitioner = null;
  tables: RDD<Uint32Array> | null;
  constructor(
    private readonly mask: RDD<Block>,
    tables: RDD<Uint32Array> | null,
    readonly params: RelabelParams,
    private readonly resolve: (() => Promise<Resolved>) | null,
    private readonly local: RDD<BlockLabels> | null = null,
  ) {
    this.tables = tables;
  }
  get parents(): readonly RDD<unknown>[] {
    const out = [this.mask as RDD<unknown>];
    if (this.tables !== null) out.push(this.tables as RDD<unknown>);
    if (this.tables !== null && this.local !== null) out.push(this.local as RDD<unknown>);
    return out;
  }
  numPartitions(): number {
    return numBlocks(this.params.meta);
  }
  dependencies(): readonly Dependency[] {
    const deps: Dependency[] = [regionDependency(this.mask, this.params.mask, this.params.meta, (b) => b)];
    if (this.tables !== null) deps.push({ kind: 'narrow', rdd: this.tables as RDD<unknown>, getParents: (p: number) => [p] });
    if (this.tables !== null && this.local !== null) deps.push({ kind: 'narrow', rdd: this.local as RDD<unknown>, getParents: (p: number) => [p] });
    return deps;
  }
  async prepare(): Promise<void> {
    if (this.tables === null && this.resolve !== null) this.tables = (await this.resolve()).tables;
  }
  describe(): string {
    return `label ${this.params.connectivity}-connected: relabel (raster order of first voxel)`;
  }
  compute(split: number, tc: TaskContext, emit: (b: Block) => void): void {
    const grid = gridOf(this.params.meta);
    const box = blockBox(grid, split);
    emit({ index: blockIndex(grid, split), origin: box.origin, shape: box.shape, data: this.labelsOf(split, box, tc, null) });
  }

  /**
   * The labels of `box`. A whole block goes into `into` when the caller gives one of its length (a
   * consumer that writes it out at once, such as the band writer, so that a volume's labels never take
   * fresh memory); any other box is assembled from the blocks it cuts.
   */
  region(box: Box, tc: TaskContext, into?: TypedArray): TypedArray {
    const grid = gridOf(this.params.meta);
    const blocks = blocksIntersecting(grid, box);
    const only = blocks.length === 1 ? (blocks[0] as number) : -1;
    if (only >= 0 && sameBox(blockBox(grid, only), box)) return this.labelsOf(only, box, tc, into instanceof Uint32Array ? into : null);
    const out = new Uint32Array(boxVoxels(box));
    for (const b of blocks) {
      const bb = blockBox(grid, b);
      const inter = intersect(bb, box);
      if (inter !== null) copyRegion(this.labelsOf(b, bb, tc, null), bb, out, box, inter);
    }
    return out;
  }

  /** Block `split`'s labels (its box `box`), into `into` when it has the block's length, else a fresh array. */
  private labelsOf(split: number, box: Box, tc: TaskContext, into: Uint32Array | null): Uint32Array {
    if (this.tables === null) throw new Error('relabel ran before its equivalences were resolved');
    let table: Uint32Array | null = null;
    this.tables.iterate(split, tc, (t) => void (table = t));
    if (table === null) throw new Error(`relabel: no lookup table for block ${split}`);
    const n = boxVoxels(box);
    // The lookup skips background words, so a reused array is cleared first; a fresh one is zero.
    // A fresh block is made cacheable: caching the labels then keeps them where they are (no copy).
    const labels = into !== null && into.length === n ? into.fill(0) : cacheableArray(Uint32Array, n);
    // A block without foreground (a table of background only) is its zeroed output.
    if ((table as Uint32Array).length > 1) {
      let kept: BlockLabels['labels'];
      this.local?.iterate(split, tc, (r) => void (kept = r.labels));
      // The kept local labels through the block's table (background skipped: empty pages stay untouched).
      if (kept !== undefined) kernels.mapLabels(kept, table, labels);
      else {
        const mask = asMask(readRegion(this.mask, this.params.mask, box, tc));
        labelMask(mask, box.shape, this.params.connectivity, labels);
        relabel(mask, table, labels);
      }
    }
    return labels;
  }
}

/**
 * labels[i] = table[labels[i]] in place, where `labels` labels `mask`. Four voxels of background
 * mask are skipped with one 32-bit read (measured ~10% faster than a lookup of every voxel on the
 * 384^3 blobs phantom, 6% foreground).
 */
export function relabel(mask: Uint8Array, table: Uint32Array, labels: Uint32Array): Uint32Array {
  let i = 0;
  if (mask.byteOffset % 4 === 0) {
    const words = new Uint32Array(mask.buffer, mask.byteOffset, mask.length >>> 2);
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      for (let j = 4 * w; j < 4 * w + 4; j++) labels[j] = table[labels[j] as number] as number;
    }
    i = 4 * words.length;
  }
  for (; i < labels.length; i++) labels[i] = table[labels[i] as number] as number;
  return labels;
}

/** The image `img` was thresholded from, when it is a threshold's output: the natural intensity of its components. */
function thresholdedFrom(img: ImageRDD): ImageRDD | null {
  const node = img.blocks.node;
  if (!(node instanceof ThresholdNode)) return null;
  return new ImageRDD(node.parents[0] as RDD<Block>, node.params.input);
}

/** Builds the labeling pipeline for `img` (lazy: nothing runs until labels or stats are needed). */
export function labelComponents(img: ImageRDD, options: LabelOptions = {}): LabeledImage {
  const requested = options.connectivity ?? (img.ndim === 2 ? 8 : 26);
  if (![4, 6, 8, 18, 26].includes(requested)) {
    throw new ConfigError('connectivity', `labelComponents: connectivity must be 6, 18 or 26 (3D) or 4 or 8 (2D), got ${String(requested)}`);
  }
  const connectivity = normalizeConnectivity(img.shape, requested);
  const intensity = options.intensity ?? thresholdedFrom(img);
  if (intensity !== null && intensity.shape.join() !== img.shape.join()) {
    throw new ConfigError('intensity', `labelComponents: intensity image ${intensity.shape.join('x')} must have the labeled image's shape ${img.shape.join('x')}`);
  }
  const meta: ImageMeta = { ...img.meta, dtype: 'u32' };
  if ((options.method ?? 'blocks') === 'propagate') return labelByPropagation(img, connectivity, intensity, options, (blocks, meta, summary, source) => new LabeledImage(blocks, meta, summary, source));
  if (options.method !== undefined && options.method !== 'blocks') {
    throw new ConfigError('method', `labelComponents: method must be 'blocks' or 'propagate', got '${String(options.method)}'`);
  }
  const ctx = img.context;
  const keep = keepsLabels(ctx, img.meta);
  const localNode = new LocalLabelNode(img.blocks, intensity?.blocks ?? img.blocks, {
    mask: img.meta,
    intensity: intensity?.meta ?? img.meta,
    connectivity,
    dirs: positiveDirections(reach(connectivity), img.ndim === 2),
    keep,
  });
  const local = new RDD<BlockLabels>(ctx, localNode).persist('MEMORY_AND_DISK');
  let memo: Promise<Resolved> | null = null;
  const resolve = (): Promise<Resolved> => (memo ??= resolveAll(local, img.meta, connectivity, options));
  const node = new RelabelNode(img.blocks, null, { meta, mask: img.meta, connectivity }, resolve, keep ? local : null);
  return new LabeledImage(new RDD<Block>(ctx, node), meta, resolve, intensity);
}

/**
 * Whether the block pass keeps the local labels for the relabel pass: when, at 2 bytes a voxel (most
 * blocks have fewer than 65536 labels), they take at most half of the memory budget still free. Past
 * that the relabel pass recomputes them, so a volume far larger than the budget never spills labels.
 */
function keepsLabels(ctx: ImageRDD['context'], mask: ImageMeta): boolean {
  const stats = driverContext(ctx).storageStats();
  const voxels = mask.shape[0] * mask.shape[1] * mask.shape[2];
  return 2 * voxels <= (stats.memoryBudget - stats.memoryUsed) / 2;
}

/** Steps 1-3: the block pass, the boundary exchange, the driver's resolution and numbering. */
async function resolveAll(local: RDD<BlockLabels>, mask: ImageMeta, connectivity: number, options: ResolveOptions): Promise<Resolved> {
  const ctx = driverContext(local.context);
  const n = numBlocks(mask);
  const k = reach(connectivity);
  const dirs = positiveDirections(k, mask.shape[0] === 1);
  // Stage names say what the user asked for, on the progress line and the dashboard.
  const what = `label ${connectivity}-connected`;
  const firsts = await local.map(blockFirsts).setName(`${what}: block pass`).collect();
  const pairs = n === 1 ? [] : await local
    .flatMap(layersOf)
    .setName(`${what}: boundary layers`)
    .groupByKey(Math.max(1, Math.min(n, ctx.defaultParallelism)))
    .flatMap(pairLayers, { dirs, k })
    .setName(`${what}: boundary exchange`)
    .collect();
  const { count, tables } = await numberComponents(ctx, firsts, pairs, options);
  const tableRdd = ctx.parallelize(tables, n);
  const parts = Math.max(1, Math.min(n, Math.ceil(count / LABELS_PER_STATS_PARTITION)));
  const step = Math.max(1, Math.ceil(count / parts));
  const stats = local
    .zip(tableRdd)
    .flatMap(statsBatches, { step })
    .setName(`${what}: statistics by label`)
    .groupByKey({ partitioner: blockPartitioner(parts) })
    .flatMap(mergeStatsBatches, { step, count })
    .setName(`${what}: statistics`);
  let table: Promise<ShapeTable> | null = null;
  return { count, tables: tableRdd, table: () => (table ??= stats.collect().then((batches) => new ShapeTable(batches))) };
}


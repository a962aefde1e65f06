/**
 * `img.labelComponents({ connectivity, method })`: connected components as u32 labels numbered
 * 1..N in raster order of each component's first voxel — scipy.ndimage.label's numbering.
 *
 * Method 'blocks' (default), after DESIGN.md:
 *   1. label each block alone, gathering per-label partial statistics (local-labels.ts);
 *   2. neighbouring blocks exchange boundary layers and emit equivalent id pairs (boundary.ts);
 *   3. resolve the equivalences (resolve.ts: distributed min-label propagation, or a driver
 *      union-find when the graph is small);
 *   4. number components by their first voxel (a distributed sort), merge partial statistics per
 *      component, and relabel every block through a per-block lookup table (a narrow step).
 * Steps 3-4 run when the labels are first needed (the relabel node's prepare hook), so building
 * the pipeline stays lazy. No step is serial over blocks or holds the volume in one place.
 */
import { RangePartitioner, RDD, type Dependency, type TaskContext } from '../../core/index.js';
import { blockBox, blockIndex } from '../block-grid.js';
import type { Block, ImageMeta } from '../block.js';
import { gridOf, numBlocks } from '../image-node.js';
import { ImageRDD, setLabelImplementation } from '../image-rdd.js';
import { normalizeConnectivity } from '../kernels/index.js';
import { RoiNode } from '../nodes/roi.js';
import { positiveDirections, reach } from './boundary.js';
import { labelMask, LocalLabelNode, type LocalLabels } from './local-labels.js';
import { regionDependency } from '../nodes/region-dependency.js';
import { readRegion } from '../image-node.js';
import { shapeRow, type ShapeRow } from './partials.js';
import { labelByPropagation } from './propagate.js';
import { resolveEquivalences, type ResolveOptions } from './resolve.js';
import { labelRows, mergeRowsFn, pairEdges } from './steps.js';

export interface LabelOptions extends ResolveOptions {
  /** 6 | 18 | 26 in 3D, 4 | 8 in 2D (6 → 4 and 18/26 → 8 on 2D images). Default 26 (8 in 2D). */
  readonly connectivity?: 4 | 6 | 8 | 18 | 26;
  readonly method?: 'blocks' | 'propagate';
  /** Image whose values give each component's mean intensity (same shape). Default: the labeled image. */
  readonly intensity?: ImageRDD;
}

/** What every labeling method yields besides the label image. */
export interface LabelSummary {
  readonly count: number;
  /** [label, merged partial row], sorted by label. */
  readonly stats: RDD<[number, Float64Array]>;
}

/** What steps 3-4 produce. */
interface Resolved extends LabelSummary {
  /** [block, [[local, label], ...]] partitioned so that partition k holds block k. */
  readonly tables: RDD<[number, [number, number][]]>;
}

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
   * One row per label, in label order. Without an argument (or with the intensity image given to
   * labelComponents) the rows come from the partials gathered during labeling: no second scan.
   */
  async shapeStats(intensity?: ImageRDD): Promise<ShapeRow[]> {
    const r = await this.resolved();
    const rows = await r.stats.collect();
    if (intensity === undefined || intensity === this.intensity) return rows.map(([label, row]) => shapeRow(label, row));
    const sums = await intensitySums(this, intensity);
    return rows.map(([label, row]) => {
      const copy = row.slice();
      copy[16] = sums.get(label) ?? 0;
      return shapeRow(label, copy);
    });
  }
}

/**
 * Sum of `intensity` per label, block by block. The intensity image is first cut on the labels'
 * grid (a zero-offset crop: its region rule reads whatever blocks overlap), so that block k of both
 * covers the same voxels and the two RDDs zip.
 */
function intensitySums(labels: ImageRDD, intensity: ImageRDD): Promise<Map<number, number>> {
  if (intensity.shape.join() !== labels.shape.join()) {
    return Promise.reject(new TypeError(`shapeStats: intensity image ${intensity.shape.join('x')} differs from labels ${labels.shape.join('x')}`));
  }
  const aligned =
    intensity.blockShape.join() === labels.blockShape.join()
      ? intensity.blocks
      : new RDD<Block>(
          labels.context,
          new RoiNode(intensity.blocks, { meta: { ...intensity.meta, blockShape: labels.blockShape }, input: intensity.meta, offset: [0, 0, 0] }) as unknown as RDD<Block>['node'],
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
 * The relabel node: block k of the output = lookup(table k, labels of block k). The block's local
 * labels are recomputed from the mask (deterministic, and cheaper than keeping them).
 */
export class RelabelNode {
  readonly op = 'image.relabel';
  readonly partitioner = null;
  tables: RDD<[number, [number, number][]]> | null;
  constructor(
    private readonly mask: RDD<Block>,
    tables: RDD<[number, [number, number][]]> | null,
    readonly params: { readonly meta: ImageMeta; readonly mask: ImageMeta; readonly connectivity: number },
    private readonly resolve: (() => Promise<Resolved>) | null,
  ) {
    this.tables = tables;
  }
  get parents(): readonly RDD<unknown>[] {
    return this.tables === null ? [this.mask as RDD<unknown>] : [this.mask as RDD<unknown>, this.tables as RDD<unknown>];
  }
  numPartitions(): number {
    return numBlocks(this.params.meta);
  }
  dependencies(): readonly Dependency[] {
    const deps: Dependency[] = [regionDependency(this.mask, this.params.mask, this.params.meta, (b) => b)];
    if (this.tables !== null) deps.push({ kind: 'narrow', rdd: this.tables as RDD<unknown>, getParents: (p: number) => [p] });
    return deps;
  }
  async prepare(): Promise<void> {
    if (this.tables === null && this.resolve !== null) this.tables = (await this.resolve()).tables;
  }
  describe(): string {
    return 'relabel (raster order of first voxel)';
  }
  compute(split: number, tc: TaskContext, emit: (b: Block) => void): void {
    if (this.tables === null) throw new Error('relabel ran before its equivalences were resolved');
    const grid = gridOf(this.params.meta);
    const box = blockBox(grid, split);
    const out = new Uint32Array(box.shape[0] * box.shape[1] * box.shape[2]);
    const n = labelMask(readRegion(this.mask, this.params.mask, box, tc), box.shape, this.params.connectivity, out);
    const lut = new Uint32Array(n + 1);
    this.tables.iterate(split, tc, ([, entries]) => {
      for (const [l, label] of entries) lut[l] = label;
    });
    for (let i = 0; i < out.length; i++) out[i] = lut[out[i] as number] as number;
    emit({ index: blockIndex(grid, split), origin: box.origin, shape: box.shape, data: out });
  }
}

/** Builds the labeling pipeline for `img` (lazy: nothing runs until labels or stats are needed). */
export function labelComponents(img: ImageRDD, options: LabelOptions = {}): LabeledImage {
  const requested = options.connectivity ?? (img.ndim === 2 ? 8 : 26);
  if (![4, 6, 8, 18, 26].includes(requested)) {
    throw new TypeError(`labelComponents: connectivity must be 6, 18 or 26 (3D) or 4 or 8 (2D), got ${String(requested)}`);
  }
  const connectivity = normalizeConnectivity(img.shape, requested);
  const intensity = options.intensity ?? null;
  if (intensity !== null && intensity.shape.join() !== img.shape.join()) {
    throw new TypeError(`labelComponents: intensity image ${intensity.shape.join('x')} must have the labeled image's shape ${img.shape.join('x')}`);
  }
  const meta: ImageMeta = { ...img.meta, dtype: 'u32' };
  if ((options.method ?? 'blocks') === 'propagate') return labelByPropagation(img, connectivity, intensity, options);
  if (options.method !== undefined && options.method !== 'blocks') {
    throw new TypeError(`labelComponents: method must be 'blocks' or 'propagate', got '${String(options.method)}'`);
  }
  const ctx = img.context;
  const dirs = positiveDirections(reach(connectivity), img.ndim === 2);
  const localNode = new LocalLabelNode(img.blocks, intensity?.blocks ?? img.blocks, {
    mask: img.meta,
    intensity: intensity?.meta ?? img.meta,
    connectivity,
    dirs,
  });
  const local = new RDD<LocalLabels>(ctx, localNode as unknown as RDD<LocalLabels>['node']).persist('MEMORY_AND_DISK');
  const n = numBlocks(img.meta);
  const k = reach(connectivity);
  let memo: Promise<Resolved> | null = null;
  const resolve = (): Promise<Resolved> => (memo ??= resolveAll(local, n, dirs, k, options));
  const node = new RelabelNode(img.blocks, null, { meta, mask: img.meta, connectivity }, resolve);
  return new LabeledImage(new RDD<Block>(ctx, node as unknown as RDD<Block>['node']), meta, resolve, intensity);
}

async function resolveAll(
  local: RDD<LocalLabels>,
  n: number,
  dirs: ReturnType<typeof positiveDirections>,
  k: number,
  options: ResolveOptions,
): Promise<Resolved> {
  const edges = local
    .flatMap((r) => r.layers)
    .groupByKey()
    .flatMap(pairEdges, { dirs, k })
    .distinct();
  const roots = await resolveEquivalences(edges, options);
  const rows = local.flatMap(labelRows);
  const withRoot = rows
    .leftOuterJoin(roots)
    .map(([id, [row, root]]) => [root ?? id, [id, row]] as [number, [number, Float64Array]])
    .persist('MEMORY_AND_DISK');
  const comps = withRoot
    .mapValues(([, row]) => row)
    .reduceByKey(mergeRowsFn)
    .persist('MEMORY_AND_DISK');
  const ranks = comps
    .map(([root, row]) => [row[17] as number, root] as [number, number])
    .sortByKey()
    .zipWithIndex()
    .map(([[, root], i]) => [root, i + 1] as [number, number])
    .persist('MEMORY_AND_DISK');
  const count = await ranks.count();
  const tables = withRoot
    .map(([root, [id]]) => [root, id] as [number, number])
    .join(ranks)
    .map(([, [id, label]]) => [Math.floor(id / 2 ** 32), [id % 2 ** 32, label]] as [number, [number, number]])
    .groupByKey({ partitioner: blockPartitioner(n) })
    .persist('MEMORY_AND_DISK');
  const stats = comps
    .join(ranks)
    .map(([, [row, label]]) => [label, row] as [number, Float64Array])
    .sortByKey()
    .persist('MEMORY_AND_DISK');
  return { count, tables, stats };
}

setLabelImplementation(labelComponents);

/**
 * Method 'propagate': the Spark Imaging Layer's original labeling on key-value voxels. Every
 * foreground voxel starts with its own id (its linear index), spreads it to its neighbours
 * (flatMap), keeps the minimum (reduceByKey), restricted to the foreground (join), until no label
 * changes. The minimum linear index of a component is its first voxel in raster order, so ranking
 * those gives scipy's numbering. A reference: correct at any scale, fast at none. Lineage is
 * truncated every few rounds.
 */
import { RDD } from '../../core/index.js';
import type { Block, ImageMeta } from '../block.js';
import { ImageRDD, type Voxel } from '../image-rdd.js';
import { DeferredNode } from '../nodes/deferred.js';
import { reach } from './boundary.js';
import { mergeRowsFn } from './steps.js';
import { ShapeTable } from './shape-table.js';
import type { LabeledImage, LabelOptions, LabelSummary } from './label-components.js';

type P = [number, number, number];

/** How label-components.ts builds its LabeledImage (passed in: importing the class here would be an import cycle). */
export type MakeLabeled = (blocks: RDD<Block>, meta: ImageMeta, summary: () => Promise<LabelSummary>, intensity: ImageRDD | null) => LabeledImage;

export function labelByPropagation(img: ImageRDD, connectivity: number, intensity: ImageRDD | null, options: LabelOptions, make: MakeLabeled): LabeledImage {
  const [Z, Y, X] = img.shape;
  const k = reach(connectivity);
  const offsets: P[] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const nnz = (dx !== 0 ? 1 : 0) + (dy !== 0 ? 1 : 0) + (dz !== 0 ? 1 : 0);
        if (nnz === 0 || nnz > k || (Z === 1 && dz !== 0)) continue;
        offsets.push([dx, dy, dz]);
      }
  const env = { X, Y, Z, offsets };
  const every = options.checkpointEvery ?? 5;
  const meta: ImageMeta = { ...img.meta, dtype: 'u32' };
  let memo: Promise<{ blocks: RDD<Block>; summary: LabelSummary }> | null = null;
  const run = () =>
    (memo ??= (async () => {
      const fg = img
        .voxels()
        .filter(([, v]) => v !== 0)
        .map(([p], e) => [p, (p[2] * e.Y + p[1]) * e.X + p[0]] as [P, number], env)
        .persist('MEMORY_AND_DISK');
      const fgKeys = fg.mapValues(() => true).persist('MEMORY_AND_DISK');
      let labels = fg;
      for (let round = 1; ; round++) {
        const next = labels
          .flatMap(([p, l], e) => {
            const out: [P, number][] = [[p, l]];
            for (const o of e.offsets) {
              const q: P = [p[0] + o[0], p[1] + o[1], p[2] + o[2]];
              if (q[0] >= 0 && q[1] >= 0 && q[2] >= 0 && q[0] < e.X && q[1] < e.Y && q[2] < e.Z) out.push([q, l]);
            }
            return out;
          }, env)
          .reduceByKey((a, b) => Math.min(a, b))
          .join(fgKeys)
          .mapValues(([l]) => l)
          .persist('MEMORY_AND_DISK');
        if (round % every === 0) next.localCheckpoint();
        const changed = await next
          .join(labels)
          .filter(([, [a, b]]) => a !== b)
          .count();
        if (labels !== fg) labels.unpersist();
        labels = next;
        options.onRound?.(round, changed);
        if (changed === 0) break;
      }
      const ranks = labels
        .values()
        .distinct()
        .sortBy((l) => l)
        .zipWithIndex()
        .map(([l, i]) => [l, i + 1] as [number, number])
        .persist('MEMORY_AND_DISK');
      const final = labels
        .map(([p, l]) => [l, p] as [number, P])
        .join(ranks)
        .map(([, [p, label]]) => [p, label] as Voxel)
        .persist('MEMORY_AND_DISK');
      const values = intensity ?? img;
      const stats = final
        .join(values.voxels())
        .map(([p, [label, v]], e) => {
          const [x, y, z] = p;
          const first = (z * e.Y + y) * e.X + x;
          const row = Float64Array.of(1, x, y, z, x * x, y * y, z * z, x * y, x * z, y * z, x, y, z, x, y, z, v, first);
          return [label, row] as [number, Float64Array];
        }, env)
        .reduceByKey(mergeRowsFn)
        .sortByKey()
        .persist('MEMORY_AND_DISK');
      const count = await ranks.count();
      const blocks = ImageRDD.fromVoxels(final, img.shape, 'u32', { blockShape: img.blockShape, spacing: img.spacing }).blocks;
      let table: Promise<ShapeTable> | null = null;
      return { blocks, summary: { count, table: () => (table ??= stats.collect().then((pairs) => ShapeTable.fromPairs(pairs))) } };
    })());
  const node = new DeferredNode({ meta, what: `label by propagation (connectivity ${connectivity})` }, null, async () => (await run()).blocks);
  const blocks = new RDD<Block>(img.context, node);
  return make(blocks, meta, async () => (await run()).summary, intensity);
}

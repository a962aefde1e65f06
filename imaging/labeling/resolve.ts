/**
 * Step 3 of block labeling: resolve the equivalences between boundary labels. Every label of the
 * image has a dense global index (block k's label l is `offsets[k] + l - 1`), and `parent` (a
 * Uint32Array over those indices) is a union-find forest that ends with every index pointing at its
 * component's smallest index. The driver resolves the pairs itself over typed arrays (they are few:
 * only labels on block faces take part); past `driverThreshold` pairs the executors resolve them by
 * min-label propagation with hooking and pointer jumping, round after round until no label changes,
 * truncating lineage every few rounds.
 */
import type { RDD } from '../../core/index.js';
import type { BlockPairs } from './steps.js';

export interface ResolveOptions {
  /**
   * Equivalence pairs at or below which the driver resolves them with a union-find (default
   * 50,000,000). Measured: the driver's union-find joins ~23 million random pairs a second on one
   * core (10 million pairs over 20 million labels, a loaded 2-core machine), with 8 bytes a pair
   * and 4 a label; one round of the distributed resolution is seven shuffles of JS pairs, slower
   * than that at any size. So the limit is the driver's memory (50 million pairs: 400 MB), and the
   * distributed resolution serves graphs past it and as a reference (driverThreshold: 0).
   */
  readonly driverThreshold?: number;
  /** Rounds between lineage truncations in the distributed resolution (default 5). */
  readonly checkpointEvery?: number;
  /** Called after each distributed round with the number of labels that changed. */
  readonly onRound?: (round: number, changed: number) => void;
}

/** See ResolveOptions.driverThreshold. */
export const DRIVER_THRESHOLD = 50_000_000;

/** Edges per partition in the distributed resolution's shuffles. */
const EDGES_PER_PARTITION = 25_000;

interface ParallelizeContext {
  parallelize<T>(data: T[], n?: number): RDD<T>;
  readonly defaultParallelism: number;
}

/**
 * Joins the labels that `pairs` name in `parent` (identity on entry), on the driver or on the
 * executors; afterwards `find(parent, i)` is the smallest index of i's component.
 */
export async function resolveEquivalences(
  ctx: ParallelizeContext,
  parent: Uint32Array,
  offsets: Float64Array,
  pairs: readonly BlockPairs[],
  options: ResolveOptions = {},
): Promise<void> {
  let count = 0;
  for (const p of pairs) count += p.pairs.length / 2;
  if (count === 0) return;
  if (count <= (options.driverThreshold ?? DRIVER_THRESHOLD)) {
    unionPairs(parent, offsets, pairs);
    return;
  }
  const edges: [number, number][] = [];
  for (const { a, b, pairs: ab } of pairs) {
    const oa = (offsets[a] as number) - 1, ob = (offsets[b] as number) - 1;
    for (let i = 0; i < ab.length; i += 2) edges.push([oa + (ab[i] as number), ob + (ab[i + 1] as number)]);
  }
  const p = Math.max(1, Math.min(ctx.defaultParallelism, Math.ceil(edges.length / EDGES_PER_PARTITION)));
  const roots = await propagateMin(ctx.parallelize(edges, p), edges.length, options);
  for (const [id, root] of await roots.collect()) parent[id] = root;
}

/** Driver union-find over typed arrays: path halving, the smaller root wins. */
export function unionPairs(parent: Uint32Array, offsets: Float64Array, pairs: readonly BlockPairs[]): void {
  for (const { a, b, pairs: ab } of pairs) {
    const oa = (offsets[a] as number) - 1, ob = (offsets[b] as number) - 1;
    for (let i = 0; i < ab.length; i += 2) {
      const ra = find(parent, oa + (ab[i] as number));
      const rb = find(parent, ob + (ab[i + 1] as number));
      if (ra < rb) parent[rb] = ra;
      else if (rb < ra) parent[ra] = rb;
    }
  }
}

/** The root of `v` in `parent`, halving the path on the way. */
export function find(parent: Uint32Array, v: number): number {
  let p = parent[v] as number;
  while (p !== v) {
    const gp = parent[p] as number;
    parent[v] = gp;
    v = p;
    p = gp;
  }
  return v;
}

/**
 * Min-label propagation with hooking and pointer jumping (after Shiloach and Vishkin). Each round:
 *   1. hop: every id hears its neighbours' labels;
 *   2. hook: the id an id points to (its label) hears what that id heard, so a smaller label that
 *      reaches any member of a tree reaches the tree's root at once;
 *   3. jump: every id takes its label's label, halving the trees' depth.
 * Without the hook a smaller label would cross a tree one edge per round (its members point at the
 * root, not at the member that heard it), and a path whose ids rise and fall — a component that
 * meanders through the block grid — would take as many rounds as it has edges.
 */
async function propagateMin(edges: RDD<[number, number]>, count: number, options: ResolveOptions): Promise<RDD<[number, number]>> {
  const every = options.checkpointEvery ?? 5;
  // Every shuffle names its partition count: unions would otherwise add partitions round after round.
  // The count follows the graph's size, not the block count of the image: a round runs seven
  // shuffles, and a small graph split 64 ways spends its time scheduling empty tasks.
  const ctx = edges.context;
  const p = Math.min(64, Math.max(2 * ctx.defaultParallelism, Math.ceil(count / EDGES_PER_PARTITION)));
  const both = edges.flatMap(([a, b]) => [[a, b], [b, a]] as [number, number][]).persist('MEMORY_AND_DISK');
  let labels = both
    .reduceByKey((x, y) => Math.min(x, y), p)
    .map(([v, m]) => [v, Math.min(v, m)] as [number, number])
    .persist('MEMORY_AND_DISK');
  for (let round = 1; ; round++) {
    const hop = both.join(labels, p).map(([, [v, lu]]) => [v, lu] as [number, number]);
    const heard = labels.union(hop).reduceByKey((x, y) => Math.min(x, y), p);
    const hooked = labels.join(heard, p).map(([, [l, h]]) => [l, h] as [number, number]);
    const candidate = heard.union(hooked).reduceByKey((x, y) => Math.min(x, y), p);
    const jumped = candidate
      .map(([v, l]) => [l, v] as [number, number])
      .join(candidate, p)
      .map(([l, [v, ll]]) => [v, Math.min(l, ll)] as [number, number]);
    const next = candidate.union(jumped).reduceByKey((x, y) => Math.min(x, y), p).persist('MEMORY_AND_DISK');
    if (round % every === 0) next.localCheckpoint();
    const changed = await next
      .join(labels, p)
      .filter(([, [a, b]]) => a !== b)
      .count();
    labels.unpersist();
    labels = next;
    options.onRound?.(round, changed);
    if (changed === 0) return labels;
  }
}

/**
 * Step 3 of block labeling: resolve the equivalence graph (edges between provisional ids) into
 * id -> root (the component's smallest id). Small graphs go to a driver-side union-find; large ones
 * are resolved on the executors by min-label propagation with hooking and pointer jumping, round
 * after round until no label changes, truncating lineage every few rounds.
 */
import type { RDD } from '../../core/index.js';

export interface ResolveOptions {
  /** Edge count at or below which the driver resolves with a union-find (default 200,000). */
  readonly driverThreshold?: number;
  /** Rounds between lineage truncations in the distributed resolution (default 5). */
  readonly checkpointEvery?: number;
  /** Called after each distributed round with the number of labels that changed. */
  readonly onRound?: (round: number, changed: number) => void;
}

/** Edges per partition in the distributed resolution's shuffles. */
const EDGES_PER_PARTITION = 25_000;

export async function resolveEquivalences(edges: RDD<[number, number]>, options: ResolveOptions = {}): Promise<RDD<[number, number]>> {
  const threshold = options.driverThreshold ?? 200_000;
  const ctx = edges.context as unknown as { parallelize<T>(data: T[], n?: number): RDD<T>; defaultParallelism: number };
  edges.persist('MEMORY_AND_DISK');
  const count = await edges.count();
  if (count <= threshold) {
    const roots = unionFind(await edges.collect());
    return ctx.parallelize(roots, Math.max(1, Math.min(ctx.defaultParallelism, Math.ceil(roots.length / 10_000))));
  }
  return propagateMin(edges, count, options);
}

/** Driver-side union-find (path halving, union by smaller id) → [id, root] for every id seen. */
export function unionFind(edges: readonly (readonly [number, number])[]): [number, number][] {
  const parent = new Map<number, number>();
  const find = (v: number): number => {
    let p = parent.get(v) ?? v;
    while (p !== v) {
      const gp = parent.get(p) ?? p;
      parent.set(v, gp);
      v = p;
      p = gp;
    }
    return v;
  };
  for (const [a, b] of edges) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  return [...parent.keys()].map((v) => [v, find(v)]);
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
  const ctx = edges.context as unknown as { defaultParallelism: number };
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

/**
 * Step 3 of block labeling: resolve the equivalence graph (edges between provisional ids) into
 * id -> root (the component's smallest id). Small graphs go to a driver-side union-find; large ones
 * are resolved on the executors by min-label propagation with pointer jumping, round after round
 * until no label changes, truncating lineage every few rounds.
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

export async function resolveEquivalences(edges: RDD<[number, number]>, options: ResolveOptions = {}): Promise<RDD<[number, number]>> {
  const threshold = options.driverThreshold ?? 200_000;
  const ctx = edges.context as unknown as { parallelize<T>(data: T[], n?: number): RDD<T>; defaultParallelism: number };
  edges.persist('MEMORY_AND_DISK');
  const count = await edges.count();
  if (count <= threshold) {
    const roots = unionFind(await edges.collect());
    return ctx.parallelize(roots, Math.max(1, Math.min(ctx.defaultParallelism, Math.ceil(roots.length / 10_000))));
  }
  return propagateMin(edges, options);
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

async function propagateMin(edges: RDD<[number, number]>, options: ResolveOptions): Promise<RDD<[number, number]>> {
  const every = options.checkpointEvery ?? 5;
  // Every shuffle names its partition count: unions would otherwise add partitions round after round.
  const ctx = edges.context as unknown as { defaultParallelism: number };
  const p = Math.max(2 * ctx.defaultParallelism, Math.min(edges.getNumPartitions(), 64));
  const both = edges.flatMap(([a, b]) => [[a, b], [b, a]] as [number, number][]).persist('MEMORY_AND_DISK');
  let labels = both
    .reduceByKey((x, y) => Math.min(x, y), p)
    .map(([v, m]) => [v, Math.min(v, m)] as [number, number])
    .persist('MEMORY_AND_DISK');
  for (let round = 1; ; round++) {
    // one hop: every node hears its neighbours' labels
    const hop = both.join(labels, p).map(([, [v, lu]]) => [v, lu] as [number, number]);
    const hopped = labels.union(hop).reduceByKey((x, y) => Math.min(x, y), p);
    // pointer jumping: a node takes its label's label, halving chain lengths each round
    const jumped = hopped
      .map(([v, l]) => [l, v] as [number, number])
      .join(hopped, p)
      .map(([l, [v, ll]]) => [v, Math.min(l, ll)] as [number, number]);
    const next = hopped.union(jumped).reduceByKey((x, y) => Math.min(x, y), p).persist('MEMORY_AND_DISK');
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

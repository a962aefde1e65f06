/**
 * The reduce side of a shuffle: reads bucket `split` of every map output, combines values per key
 * (when there is an aggregator) and sorts by key (sortByKey). Buckets are flat encoded arrays
 * `[k0, v0, k1, v1, ...]` so decoding allocates no pair objects.
 */
import { decode } from '../codec.js';
import type { Aggregator, Dependency, ShuffleDependency } from '../dependency.js';
import { KeyMap } from '../key-map.js';
import { compareKeys } from '../keys.js';
import { RangePartitioner, type Partitioner } from '../partitioner.js';
import type { Emit, RddNode } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface ShuffledParams {
  readonly shuffleId: number;
  readonly partitioner: Partitioner['spec'];
  readonly aggregator: Aggregator | null;
  readonly mapSideCombine: boolean;
  /** Sort each reduce partition by key: 'asc', 'desc' or not at all. */
  readonly ordering: 'asc' | 'desc' | null;
}

type AnyFn = (...args: unknown[]) => unknown;

export class ShuffledNode implements RddNode<[unknown, unknown]> {
  readonly op = 'shuffled';
  readonly parents: readonly RDD<unknown>[];
  private dep: ShuffleDependency | null = null;
  private prepared: boolean;

  constructor(
    private readonly parent: RDD<unknown> | null,
    private part: Partitioner,
    private readonly options: Omit<ShuffledParams, 'partitioner'>,
  ) {
    this.parents = parent === null ? [] : [parent];
    // A range partitioner without bounds is filled in by prepare() from a sample of the parent.
    this.prepared = !(part instanceof RangePartitioner) || part.bounds.length > 0 || part.numPartitions === 1;
  }

  get params(): ShuffledParams {
    return { ...this.options, partitioner: this.part.spec };
  }
  get partitioner(): Partitioner {
    return this.part;
  }
  numPartitions(): number {
    return this.part.numPartitions;
  }
  dependencies(): readonly Dependency[] {
    if (this.parent === null) return [];
    if (this.dep === null) {
      const node = this;
      this.dep = {
        kind: 'shuffle',
        shuffleId: this.options.shuffleId,
        rdd: this.parent,
        get partitioner() {
          return node.part;
        },
        aggregator: this.options.aggregator,
        mapSideCombine: this.options.mapSideCombine,
      };
    }
    return [this.dep];
  }
  describe(): string {
    const agg = this.options.aggregator ? ', combine' : '';
    const ord = this.options.ordering ? `, sort ${this.options.ordering}` : '';
    return `shuffle ${this.options.shuffleId} (${this.part.spec.kind} ${this.part.numPartitions}${agg}${ord})`;
  }

  async prepare(): Promise<void> {
    if (this.prepared || this.parent === null) return;
    const n = this.part.numPartitions;
    const parentParts = this.parent.getNumPartitions();
    const perPartition = Math.ceil((3 * Math.min(20 * n, 1e6)) / Math.max(1, parentParts));
    const samples = await this.parent.context.runJob<unknown[]>(this.parent, { op: 'sampleKeys', size: perPartition, seed: 42 });
    const keys = samples.flat();
    const asc = this.options.ordering !== 'desc';
    this.part = new RangePartitioner(n, RangePartitioner.boundsFromSample(keys, n), asc);
    this.prepared = true;
  }

  compute(split: number, tc: TaskContext, emit: Emit<[unknown, unknown]>): void {
    const buckets = tc.blocks.shuffleBuckets(this.options.shuffleId, split);
    const agg = this.options.aggregator;
    const ordering = this.options.ordering;
    if (agg === null) {
      const pairs: [unknown, unknown][] = [];
      const sink = ordering === null ? emit : (kv: [unknown, unknown]) => void pairs.push(kv);
      for (const bucket of buckets) {
        const flat = decode<unknown[]>(bucket);
        tc.shuffleRecordsRead += flat.length >>> 1;
        for (let i = 0; i < flat.length; i += 2) sink([flat[i], flat[i + 1]]);
      }
      if (ordering !== null) emitSorted(pairs, ordering, emit);
      return;
    }
    const combined = combineBuckets(buckets, agg, this.options.mapSideCombine, tc);
    if (ordering === null) {
      combined.forEach((c, k) => emit([k, c]));
    } else {
      emitSorted(Array.from(combined.entries()), ordering, emit);
    }
  }
}

function combineBuckets(buckets: Uint8Array[], agg: Aggregator, mapSideCombine: boolean, tc: TaskContext): KeyMap<unknown, unknown> {
  const map = new KeyMap<unknown, unknown>();
  const merge = (mapSideCombine ? agg.mergeCombiners.fn : agg.mergeValue.fn) as AnyFn;
  const mergeEnv = mapSideCombine ? agg.mergeCombiners.env : agg.mergeValue.env;
  const create = mapSideCombine ? null : ((agg.createCombiner?.fn ?? null) as AnyFn | null);
  const createEnv = agg.createCombiner?.env;
  for (const bucket of buckets) {
    const flat = decode<unknown[]>(bucket);
    tc.shuffleRecordsRead += flat.length >>> 1;
    for (let i = 0; i < flat.length; i += 2) {
      const k = flat[i];
      const v = flat[i + 1];
      const c = map.get(k);
      if (c === undefined && !map.has(k)) map.set(k, create === null ? v : create(v, createEnv, tc));
      else map.set(k, merge(c, v, mergeEnv, tc));
    }
  }
  return map;
}

function emitSorted(pairs: [unknown, unknown][], ordering: 'asc' | 'desc', emit: Emit<[unknown, unknown]>): void {
  const sign = ordering === 'asc' ? 1 : -1;
  pairs.sort((a, b) => sign * compareKeys(a[0], b[0]));
  for (let i = 0; i < pairs.length; i++) emit(pairs[i] as [unknown, unknown]);
}

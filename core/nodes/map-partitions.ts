/**
 * The narrow one-to-one operators: map, filter, flatMap, mapPartitions and friends. One node with a
 * `kind` keeps the plan small; each kind's loop is written out so the per-record path stays flat.
 */
import { oneToOne, type Dependency } from '../dependency.js';
import type { Partitioner } from '../partitioner.js';
import type { Emit, RddNode } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';
import type { UserFn } from '../user-fn.js';

export type MapKind =
  | 'map'
  | 'filter'
  | 'flatMap'
  | 'mapPartitions'
  | 'mapPartitionsWithIndex'
  | 'glom'
  | 'mapValues'
  | 'flatMapValues'
  | 'keyBy'
  | 'keys'
  | 'values'
  | 'zipWithUniqueId';

export interface MapParams {
  readonly kind: MapKind;
  readonly f: UserFn | null;
  readonly preservesPartitioning: boolean;
}

type AnyFn = (...args: unknown[]) => unknown;

export class MapPartitionsNode implements RddNode<unknown> {
  readonly op = 'mapPartitions';
  readonly parents: readonly RDD<unknown>[];
  constructor(
    private readonly parent: RDD<unknown>,
    readonly params: MapParams,
  ) {
    this.parents = [parent];
  }
  /** Read through, not copied: a sortByKey parent only learns its range bounds when a job prepares it. */
  get partitioner(): Partitioner | null {
    return this.params.preservesPartitioning ? this.parent.partitioner : null;
  }
  numPartitions(): number {
    return this.parent.getNumPartitions();
  }
  dependencies(): readonly Dependency[] {
    return [oneToOne(this.parent)];
  }
  describe(): string {
    return this.params.kind;
  }

  compute(split: number, tc: TaskContext, emit: Emit<unknown>): void {
    const parent = this.parent;
    const f = (this.params.f?.fn ?? null) as AnyFn | null;
    const env = this.params.f?.env;
    switch (this.params.kind) {
      case 'map':
        return parent.iterate(split, tc, (x) => emit((f as AnyFn)(x, env, tc)));
      case 'filter':
        return parent.iterate(split, tc, (x) => {
          if ((f as AnyFn)(x, env, tc)) emit(x);
        });
      case 'flatMap':
        return parent.iterate(split, tc, (x) => {
          for (const y of (f as AnyFn)(x, env, tc) as Iterable<unknown>) emit(y);
        });
      case 'mapValues':
        return parent.iterate(split, tc, (kv) => {
          const pair = kv as [unknown, unknown];
          emit([pair[0], (f as AnyFn)(pair[1], env, tc)]);
        });
      case 'flatMapValues':
        return parent.iterate(split, tc, (kv) => {
          const pair = kv as [unknown, unknown];
          for (const y of (f as AnyFn)(pair[1], env, tc) as Iterable<unknown>) emit([pair[0], y]);
        });
      case 'keyBy':
        return parent.iterate(split, tc, (x) => emit([(f as AnyFn)(x, env, tc), x]));
      case 'keys':
        return parent.iterate(split, tc, (kv) => emit((kv as [unknown, unknown])[0]));
      case 'values':
        return parent.iterate(split, tc, (kv) => emit((kv as [unknown, unknown])[1]));
      case 'zipWithUniqueId': {
        const n = parent.getNumPartitions();
        let i = 0;
        return parent.iterate(split, tc, (x) => emit([x, i++ * n + split]));
      }
      case 'glom':
        return emit(collectPartition(parent, split, tc));
      case 'mapPartitions': {
        const out = (f as AnyFn)(collectPartition(parent, split, tc)[Symbol.iterator](), env, tc);
        for (const y of out as Iterable<unknown>) emit(y);
        return;
      }
      case 'mapPartitionsWithIndex': {
        const out = (f as AnyFn)(split, collectPartition(parent, split, tc)[Symbol.iterator](), env, tc);
        for (const y of out as Iterable<unknown>) emit(y);
        return;
      }
    }
  }
}

/** Materializes a parent partition (mapPartitions hands the user an iterator over it). */
export function collectPartition(rdd: RDD<unknown>, split: number, tc: TaskContext): unknown[] {
  const items: unknown[] = [];
  rdd.iterate(split, tc, (x) => {
    items.push(x);
  });
  return items;
}

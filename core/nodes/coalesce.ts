/** `coalesce(n)` without shuffle: each new partition reads a contiguous group of parent partitions. */
import type { Dependency } from '../dependency.js';
import type { Emit, RddNode } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface CoalesceParams {
  readonly groups: readonly (readonly number[])[];
}

/** Splits `parents` partitions into `n` contiguous groups (keeps order, like Spark's default). */
export function coalesceGroups(parents: number, n: number): number[][] {
  const count = Math.max(1, Math.min(n, parents));
  const groups: number[][] = [];
  for (let i = 0; i < count; i++) {
    const group: number[] = [];
    for (let p = Math.floor((i * parents) / count); p < Math.floor(((i + 1) * parents) / count); p++) group.push(p);
    groups.push(group);
  }
  return groups;
}

export class CoalesceNode implements RddNode<unknown> {
  readonly op = 'coalesce';
  readonly partitioner = null;
  readonly parents: readonly RDD<unknown>[];
  constructor(private readonly parent: RDD<unknown>, readonly params: CoalesceParams) {
    this.parents = [parent];
  }
  numPartitions(): number {
    return this.params.groups.length;
  }
  dependencies(): readonly Dependency[] {
    return [{ kind: 'narrow', rdd: this.parent, getParents: (p) => this.params.groups[p] ?? [] }];
  }
  compute(split: number, tc: TaskContext, emit: Emit<unknown>): void {
    for (const p of this.params.groups[split] ?? []) this.parent.iterate(p, tc, emit);
  }
  describe(): string {
    return `coalesce(${this.params.groups.length})`;
  }
}

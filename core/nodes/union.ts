/** `a.union(b)`: the partitions of all parents, one after another (no shuffle, duplicates kept). */
import { rangeDependency, type Dependency } from '../dependency.js';
import type { Emit, RddNode } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export class UnionNode implements RddNode<unknown> {
  readonly op = 'union';
  readonly params = {};
  readonly partitioner = null;
  constructor(readonly parents: readonly RDD<unknown>[]) {}
  numPartitions(): number {
    return this.parents.reduce((n, p) => n + p.getNumPartitions(), 0);
  }
  dependencies(): readonly Dependency[] {
    const deps: Dependency[] = [];
    let start = 0;
    for (const p of this.parents) {
      deps.push(rangeDependency(p, 0, start, p.getNumPartitions()));
      start += p.getNumPartitions();
    }
    return deps;
  }
  compute(split: number, tc: TaskContext, emit: Emit<unknown>): void {
    let s = split;
    for (const p of this.parents) {
      const n = p.getNumPartitions();
      if (s < n) return p.iterate(s, tc, emit);
      s -= n;
    }
  }
}

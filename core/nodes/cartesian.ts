/** `a.cartesian(b)`: every pair; partition (i, j) pairs partition i of a with partition j of b. */
import type { Dependency } from '../dependency.js';
import type { Emit, RddNode } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';
import { collectPartition } from './map-partitions.js';

export class CartesianNode implements RddNode<[unknown, unknown]> {
  readonly op = 'cartesian';
  readonly params = {};
  readonly partitioner = null;
  readonly parents: readonly RDD<unknown>[];
  constructor(private readonly a: RDD<unknown>, private readonly b: RDD<unknown>) {
    this.parents = [a, b];
  }
  numPartitions(): number {
    return this.a.getNumPartitions() * this.b.getNumPartitions();
  }
  dependencies(): readonly Dependency[] {
    const nb = () => this.b.getNumPartitions();
    return [
      { kind: 'narrow', rdd: this.a, getParents: (p) => [Math.floor(p / nb())] },
      { kind: 'narrow', rdd: this.b, getParents: (p) => [p % nb()] },
    ];
  }
  compute(split: number, tc: TaskContext, emit: Emit<[unknown, unknown]>): void {
    const nb = this.b.getNumPartitions();
    const right = collectPartition(this.b, split % nb, tc);
    this.a.iterate(Math.floor(split / nb), tc, (x) => {
      for (let i = 0; i < right.length; i++) emit([x, right[i]]);
    });
  }
}

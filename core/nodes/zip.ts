/** `a.zip(b)`: pairs the i-th records of matching partitions; both must have the same shape. */
import { oneToOne, type Dependency } from '../dependency.js';
import type { Emit, RddNode } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';
import { collectPartition } from './map-partitions.js';

export class ZipNode implements RddNode<[unknown, unknown]> {
  readonly op = 'zip';
  readonly params = {};
  readonly partitioner = null;
  readonly parents: readonly RDD<unknown>[];
  constructor(private readonly a: RDD<unknown>, private readonly b: RDD<unknown>) {
    this.parents = [a, b];
  }
  numPartitions(): number {
    return this.a.getNumPartitions();
  }
  dependencies(): readonly Dependency[] {
    return [oneToOne(this.a), oneToOne(this.b)];
  }
  compute(split: number, tc: TaskContext, emit: Emit<[unknown, unknown]>): void {
    const left = collectPartition(this.a, split, tc);
    const right = collectPartition(this.b, split, tc);
    if (left.length !== right.length) {
      throw new Error(
        `zip: partition ${split} has ${left.length} records on the left and ${right.length} on the right; ` +
          'zip needs the same number of records in each partition (use zipWithIndex and join otherwise)',
      );
    }
    for (let i = 0; i < left.length; i++) emit([left[i], right[i]]);
  }
}

/** `zipWithIndex()`: global record indices; prepare() counts the partitions before (one job). */
import { oneToOne, type Dependency } from '../dependency.js';
import type { Emit, RddNode } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface ZipWithIndexParams {
  startIndices: number[] | null;
}

export class ZipWithIndexNode implements RddNode<[unknown, number]> {
  readonly op = 'zipWithIndex';
  readonly parents: readonly RDD<unknown>[];
  readonly partitioner = null;
  constructor(private readonly parent: RDD<unknown>, readonly params: ZipWithIndexParams) {
    this.parents = [parent];
  }
  numPartitions(): number {
    return this.parent.getNumPartitions();
  }
  dependencies(): readonly Dependency[] {
    return [oneToOne(this.parent)];
  }
  async prepare(): Promise<void> {
    if (this.params.startIndices !== null) return;
    const counts = await this.parent.context.runJob<number>(this.parent, { op: 'count' });
    const starts: number[] = [];
    let total = 0;
    for (const c of counts) {
      starts.push(total);
      total += c;
    }
    this.params.startIndices = starts;
  }
  compute(split: number, tc: TaskContext, emit: Emit<[unknown, number]>): void {
    const starts = this.params.startIndices;
    if (starts === null) throw new Error('zipWithIndex: partition offsets were not computed before the task ran');
    let i = starts[split] ?? 0;
    this.parent.iterate(split, tc, (x) => emit([x, i++]));
  }
}

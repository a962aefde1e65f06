/** `ctx.range(start, end, step, numSlices)`: numbers generated per partition, no data shipped. */
import type { Dependency } from '../dependency.js';
import type { Emit, RddNode } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface RangeParams {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly numSlices: number;
}

export class RangeNode implements RddNode<number> {
  readonly op = 'range';
  readonly parents: readonly RDD<unknown>[] = [];
  readonly partitioner = null;
  private readonly count: number;
  constructor(readonly params: RangeParams) {
    const { start, end, step } = params;
    this.count = Math.max(0, Math.ceil((end - start) / step));
  }
  numPartitions(): number {
    return this.params.numSlices;
  }
  dependencies(): readonly Dependency[] {
    return [];
  }
  compute(split: number, _tc: TaskContext, emit: Emit<number>): void {
    const n = this.params.numSlices;
    const first = Math.floor((split * this.count) / n);
    const last = Math.floor(((split + 1) * this.count) / n);
    const { start, step } = this.params;
    for (let i = first; i < last; i++) emit(start + i * step);
  }
  describe(): string {
    const { start, end, step } = this.params;
    return `range(${start}, ${end}, ${step})`;
  }
}

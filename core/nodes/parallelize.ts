/** `ctx.parallelize(array, numSlices)`: a local collection cut into slices. */
import type { Dependency } from '../dependency.js';
import type { Emit, RddNode } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface ParallelizeParams {
  readonly slices: readonly (readonly unknown[])[];
}

/** Cuts `data` into `n` contiguous slices of nearly equal size, like Spark's ParallelCollectionRDD. */
export function sliceArray<T>(data: readonly T[], n: number): T[][] {
  const slices: T[][] = [];
  for (let i = 0; i < n; i++) {
    const start = Math.floor((i * data.length) / n);
    const end = Math.floor(((i + 1) * data.length) / n);
    slices.push(data.slice(start, end));
  }
  return slices;
}

export class ParallelizeNode<T> implements RddNode<T> {
  readonly op = 'parallelize';
  readonly parents: readonly RDD<unknown>[] = [];
  readonly partitioner = null;
  constructor(readonly params: ParallelizeParams) {}
  numPartitions(): number {
    return this.params.slices.length;
  }
  dependencies(): readonly Dependency[] {
    return [];
  }
  compute(split: number, _tc: TaskContext, emit: Emit<T>): void {
    const slice = this.params.slices[split] as readonly T[];
    for (let i = 0; i < slice.length; i++) emit(slice[i] as T);
  }
  describe(): string {
    return `parallelize (${this.params.slices.reduce((n, s) => n + s.length, 0)} items)`;
  }
}

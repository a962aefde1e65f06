/** `sample(withReplacement, fraction, seed)`: Bernoulli or Poisson sampling, seeded per partition. */
import { oneToOne, type Dependency } from '../dependency.js';
import type { Partitioner } from '../partitioner.js';
import type { Emit, RddNode } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import { bernoulliSampler, poissonSampler } from '../sampling.js';
import type { TaskContext } from '../task-context.js';

export interface SampleParams {
  readonly withReplacement: boolean;
  readonly fraction: number;
  readonly seed: number;
}

export class SampleNode implements RddNode<unknown> {
  readonly op = 'sample';
  readonly parents: readonly RDD<unknown>[];
  constructor(private readonly parent: RDD<unknown>, readonly params: SampleParams) {
    this.parents = [parent];
  }
  /** The parent's, read through (a sortByKey parent gets its range bounds only when prepared). */
  get partitioner(): Partitioner | null {
    return this.parent.partitioner;
  }
  numPartitions(): number {
    return this.parent.getNumPartitions();
  }
  dependencies(): readonly Dependency[] {
    return [oneToOne(this.parent)];
  }
  compute(split: number, tc: TaskContext, emit: Emit<unknown>): void {
    const { withReplacement, fraction, seed } = this.params;
    const partitionSeed = seed * 1_000_003 + split;
    if (withReplacement) {
      const copies = poissonSampler(fraction, partitionSeed);
      this.parent.iterate(split, tc, (x) => {
        for (let k = copies(); k > 0; k--) emit(x);
      });
    } else {
      const keep = bernoulliSampler(fraction, partitionSeed);
      this.parent.iterate(split, tc, (x) => {
        if (keep()) emit(x);
      });
    }
  }
  describe(): string {
    return `sample(${this.params.withReplacement}, ${this.params.fraction}, seed ${this.params.seed})`;
  }
}

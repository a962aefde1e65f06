/**
 * Dependencies between RDDs. Narrow: each child partition reads a known, small set of parent
 * partitions in the same task. Shuffle: every child partition reads a piece of every parent partition,
 * so the scheduler cuts a stage here.
 */
import type { Partitioner } from './partitioner.js';
import type { RDD } from './rdd.js';
import type { UserFn } from './user-fn.js';

/** Combines values of one key: Spark's Aggregator. A missing createCombiner means identity. */
export interface Aggregator {
  readonly createCombiner: UserFn | null;
  readonly mergeValue: UserFn;
  readonly mergeCombiners: UserFn;
}

/** A child partition depends on the listed parent partitions. */
export interface NarrowDependency {
  readonly kind: 'narrow';
  readonly rdd: RDD<unknown>;
  getParents(partition: number): readonly number[];
}

/** A child partition depends on one bucket of every map output of `rdd`. */
export interface ShuffleDependency {
  readonly kind: 'shuffle';
  readonly shuffleId: number;
  readonly rdd: RDD<unknown>;
  readonly partitioner: Partitioner;
  readonly aggregator: Aggregator | null;
  readonly mapSideCombine: boolean;
}

export type Dependency = NarrowDependency | ShuffleDependency;

/** Partition i of the child reads partition i of the parent. */
export function oneToOne(rdd: RDD<unknown>): NarrowDependency {
  return { kind: 'narrow', rdd, getParents: (p) => [p] };
}

/** Child partitions [outStart, outStart+length) read parent partitions [inStart, ...). */
export function rangeDependency(rdd: RDD<unknown>, inStart: number, outStart: number, length: number): NarrowDependency {
  return {
    kind: 'narrow',
    rdd,
    getParents: (p) => (p >= outStart && p < outStart + length ? [p - outStart + inStart] : []),
  };
}

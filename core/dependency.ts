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
  /** Turns a key's first value into a combiner; null: the value is the combiner. */
  readonly createCombiner: UserFn | null;
  /** Folds one more value into a combiner: on the map side with mapSideCombine, else on the reduce side. */
  readonly mergeValue: UserFn;
  /** Merges two combiners of the same key: on the reduce side, after a map-side combine. */
  readonly mergeCombiners: UserFn;
}

/** A child partition depends on the listed parent partitions. */
export interface NarrowDependency {
  /** Discriminant: 'narrow'. */
  readonly kind: 'narrow';
  /** The parent RDD. */
  readonly rdd: RDD<unknown>;
  /** The parent partitions child partition `partition` reads. */
  getParents(partition: number): readonly number[];
}

/** A child partition depends on one bucket of every map output of `rdd`. */
export interface ShuffleDependency {
  /** Discriminant: 'shuffle'. */
  readonly kind: 'shuffle';
  /** The context-wide id of the shuffle (names its map outputs). */
  readonly shuffleId: number;
  /** The parent RDD (of key-value pairs) whose output is shuffled. */
  readonly rdd: RDD<unknown>;
  /** Decides the reduce partition of each key. */
  readonly partitioner: Partitioner;
  /** How values of one key are combined, or null when they are only grouped by partition. */
  readonly aggregator: Aggregator | null;
  /** Whether map tasks combine values of a key before writing (needs an aggregator). */
  readonly mapSideCombine: boolean;
}

/** How a child RDD depends on one parent: narrow (same stage) or shuffle (a stage boundary). */
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

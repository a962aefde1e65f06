/**
 * The small contract behind every RDD (Spark's five properties): how many partitions, how to compute
 * one, what it depends on, an optional partitioner and preferred locations. A node is data too:
 * `op` + `params` + parents rebuild it on a worker (see plan.ts).
 */
import type { Dependency } from './dependency.js';
import type { Partitioner } from './partitioner.js';
import type { RDD } from './rdd.js';
import type { TaskContext } from './task-context.js';

/** Receives the records of a partition, one at a time. */
export type Emit<T> = (record: T) => void;

/** One lineage node. Implementations keep compute allocation-free per record where they can. */
export interface RddNode<T> {
  /** Registered operator name (see nodes/index.ts). */
  readonly op: string;
  /** Parameters that, with the parents, rebuild the node; may hold functions and user values. */
  readonly params: unknown;
  /** Parent RDDs in dependency order. */
  readonly parents: readonly RDD<unknown>[];
  /** How many partitions the node has. */
  numPartitions(): number;
  /** One dependency per parent: narrow (same stage) or shuffle (a stage boundary). */
  dependencies(): readonly Dependency[];
  /** Pushes the records of `split` to `emit`, in order. */
  compute(split: number, tc: TaskContext, emit: Emit<T>): void;
  /** How keys are placed in its partitions, when known (lets joins and reduceByKey skip a shuffle); else null. */
  readonly partitioner: Partitioner | null;
  /** Spark's preferred locations of partition `split` (default none); informational: the scheduler places tasks by where their cached blocks are. */
  preferredLocations?(split: number): readonly string[];
  /** Driver-side work a node needs before planning (sampling for range partitions, counts). */
  prepare?(): Promise<void>;
  /** Short human description for toDebugString. */
  describe?(): string;
}

/** Thrown through compute to stop a partition early (take, first, isEmpty). */
// biome-ignore lint/complexity/noStaticOnlyClass: a sentinel thrown and caught by identity (`err === StopIteration.instance`).
export class StopIteration {
  static readonly instance = new StopIteration();
}

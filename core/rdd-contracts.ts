/**
 * The contracts around an RDD: what it needs from its context (the driver's Context, or a worker's
 * stand-in), the options of a job and of a shuffle, and the shape of the functions users pass.
 */
import type { ResultOp } from './actions/index.js';
import type { Partitioner } from './partitioner.js';
import type { RDD } from './rdd.js';
import type { TaskContext } from './task-context.js';

/** What an RDD needs from its context (the driver's Context, or a worker's stand-in). */
export interface RddContext {
  /** True unless the master is inline `local`: functions are shipped as source and checked. */
  readonly serializesFunctions: boolean;
  /** Partitions for sources that are not told. */
  readonly defaultParallelism: number;
  /** Where checkpoints go, or null. */
  readonly checkpointDir: string | null;
  /** The next RDD id. */
  newRddId(): number;
  /** The next shuffle id. */
  newShuffleId(): number;
  /** Runs the partition half of an action over `rdd` and returns one result per partition. */
  runJob<R>(rdd: RDD<unknown>, op: ResultOp, options?: RunJobOptions<R>): Promise<R[]>;
  /** Drops the kept partitions and stops keeping them. */
  unpersist(rddId: number): void;
}

/** Options of a job: a subset of partitions, and a hook called as each partition's result lands. */
export interface RunJobOptions<R> {
  /** Only these partitions (default: all). */
  readonly partitions?: readonly number[];
  /** Called as each partition's result arrives, with its index in `partitions`. */
  readonly onResult?: (index: number, result: R) => void;
}

/** Options of the shuffle operations (reduceByKey, groupByKey, join, ...). */
export interface ShuffleOptions<E = unknown> {
  /** Output partitions (hash-partitioned); default: Spark's rule (a parent's hash partitioner, else the most partitions among the parents). */
  readonly numPartitions?: number;
  /** Or the partitioner itself. */
  readonly partitioner?: Partitioner;
  /** Values the functions read through their `env` argument. */
  readonly env?: E;
}

/** A function of one element: with the `env` values it was given and the task context. Shipped as source. */
export type Fn1<A, R, E> = (a: A, env: E, tc: TaskContext) => R;
/** A function of two elements (reduce, fold, comparators): with `env` and the task context. Shipped as source. */
export type Fn2<A, B, R, E> = (a: A, b: B, env: E, tc: TaskContext) => R;

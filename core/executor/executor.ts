/**
 * The contract between the scheduler and whatever runs tasks: the inline runner, a worker-thread
 * pool, and remote cluster workers. Tasks and outcomes are data. Local executors hand block bytes
 * back to the driver; a remote executor keeps them and reports where they are (a BlockLocation).
 */
import type { Aggregator } from '../dependency.js';
import type { RemoteErrorData } from '../error-data.js';
import type { Partitioner } from '../partitioner.js';
import type { RDD } from '../rdd.js';
import type { ResultOp } from '../actions/index.js';
import type { StorageLevel } from '../task-context.js';
import type { BlockLocation, BlockRef } from '../storage/block-ref.js';

/** The map side of a shuffle: where records of the stage's RDD go. */
export interface ShuffleWrite {
  readonly shuffleId: number;
  readonly partitioner: Partitioner;
  readonly aggregator: Aggregator | null;
  readonly mapSideCombine: boolean;
}

/** What every task of a stage does: compute `rdd`, then write a shuffle or run a result op. */
export interface StageWork {
  readonly rdd: RDD<unknown>;
  readonly shuffle: ShuffleWrite | null;
  readonly resultOp: ResultOp | null;
}

/** A stage's work, live for the inline runner and encoded once for every other executor. */
export interface StageWorkHandle {
  readonly id: string;
  readonly live: StageWork;
  /** The encoded work and the modules a worker must import before decoding it. */
  encoded(): { readonly bytes: Uint8Array; readonly modules: readonly string[] };
}

/** Blocks a task reads, resolved by the scheduler when the task launches. */
export interface TaskInputs {
  readonly shuffle: readonly (readonly [shuffleId: number, reduceId: number, refs: readonly BlockRef[]])[];
  readonly cached: readonly (readonly [rddId: number, split: number, ref: BlockRef])[];
  readonly broadcasts: readonly (readonly [id: number, bytes: Uint8Array])[];
}

export interface TaskDescription {
  readonly taskId: number;
  readonly stageId: number;
  readonly stageAttempt: number;
  readonly partition: number;
  readonly attempt: number;
  readonly speculative: boolean;
  readonly work: StageWorkHandle;
  readonly inputs: TaskInputs;
}

/** A partition offered to the cache: its bytes, or where the executor that computed it keeps them. */
export type CachePut =
  | { readonly rddId: number; readonly split: number; readonly level: StorageLevel; readonly bytes: Uint8Array }
  | { readonly rddId: number; readonly split: number; readonly level: StorageLevel; readonly location: BlockLocation; readonly size: number };

/** A map task's output: its buckets' bytes, or where the executor keeps them. `offsets` has R + 1 bucket boundaries. */
export type MapOutput =
  | { readonly bytes: Uint8Array; readonly offsets: readonly number[] }
  | { readonly location: BlockLocation; readonly offsets: readonly number[] };

export type TaskOutcome =
  | {
      readonly status: 'success';
      readonly result: unknown;
      readonly shuffleOutput: MapOutput | null;
      readonly cachePuts: readonly CachePut[];
      readonly accumulators: readonly (readonly [number, unknown])[];
      readonly records: number;
      readonly metrics: readonly (readonly [string, number])[];
    }
  | { readonly status: 'failed'; readonly error: RemoteErrorData };

/** Runs tasks. `cores` is how many it runs at once. */
export interface Executor {
  readonly id: string;
  readonly cores: number;
  readonly host: string;
  /** Memory of the executor's machine, when it reports it (cluster workers do); shown by the dashboard. */
  readonly memoryBytes?: number;
  runTask(task: TaskDescription, signal: AbortSignal): Promise<TaskOutcome>;
  stop(): Promise<void>;
}

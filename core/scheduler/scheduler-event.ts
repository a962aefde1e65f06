/**
 * The task scheduler's inputs as data: a stage's task set (TaskSetSpec), what it resolves with
 * (FetchFailure), and the SchedulerEvent union, everything that changes the scheduler's state. The
 * scheduler (task-scheduler.ts) handles the events one at a time in one place, as Spark's
 * DAGSchedulerEventProcessLoop does; its public methods, task outcomes and timers only post them.
 */
import type { Executor, StageWorkHandle, TaskInputs, TaskOutcome } from '../executor/executor.js';

/** A successful attempt's outcome. */
export type SuccessOutcome = Extract<TaskOutcome, { status: 'success' }>;

/** One attempt of a stage: its partitions, its work, and how to read inputs and hand back results. */
export interface TaskSetSpec {
  readonly stageId: number;
  readonly stageAttempt: number;
  readonly partitions: readonly number[];
  readonly work: StageWorkHandle;
  resolveInputs(partition: number): TaskInputs;
  /** The executor holding most of the blocks a partition reads (cached partitions on a cluster worker), if any. */
  preferredExecutor?(partition: number): string | null;
  /** First successful attempt of each partition. A throw fails the task set. */
  onSuccess(partition: number, outcome: SuccessOutcome): void;
}

/** A partition that could not read a shuffle block; the DAG scheduler resubmits the map stage that wrote it. */
export interface FetchFailure {
  readonly partition: number;
  readonly shuffleId: number;
  readonly mapIndex: number;
  /** The remote executor the block could not be fetched from, if any. */
  readonly executorId?: string | undefined;
}

/**
 * What changes the task scheduler's state. `handle` is the only place that acts on one: public methods,
 * task outcomes and the clock's timers post them.
 */
export type SchedulerEvent =
  | { readonly type: 'taskSetSubmitted'; readonly spec: TaskSetSpec; readonly resolve: (failures: FetchFailure[]) => void; readonly reject: (err: unknown) => void }
  /** An attempt's outcome as its executor reported it. */
  | { readonly type: 'taskEnded'; readonly taskId: number; readonly outcome: TaskOutcome }
  | { readonly type: 'executorAdded'; readonly executor: Executor }
  /** No new tasks go to the executor; its running tasks end through their own outcomes. */
  | { readonly type: 'executorRetired'; readonly executorId: string }
  /** Retired, and tasks elsewhere that read its blocks are killed. */
  | { readonly type: 'executorLost'; readonly executorId: string }
  | { readonly type: 'speculationTick' }
  /** Tasks waited `executorWaitTimeoutMs` with no executor. */
  | { readonly type: 'executorWaitExpired' }
  /** Every task set fails with `reason`, and later ones at once (context stop). */
  | { readonly type: 'aborted'; readonly reason: Error };

/**
 * The task scheduler's bookkeeping for one task set and its running attempts. Only the scheduler's
 * `handle` (task-scheduler.ts) changes it.
 */
import type { Executor, TaskInputs, TaskOutcome } from '../executor/executor.js';
import type { FetchFailure, TaskSetSpec } from './scheduler-event.js';
import { TaskQueues } from './task-queues.js';

/** A launched attempt. */
export interface Running {
  readonly taskId: number;
  readonly partition: number;
  readonly attempt: number;
  readonly started: number;
  readonly executor: Executor;
  readonly abort: AbortController;
  readonly speculative: boolean;
  /** The blocks the task reads (null when resolving them failed). */
  readonly inputs: TaskInputs | null;
  /** Set when the scheduler killed the task because an executor it reads from was lost: its outcome. */
  preempted: TaskOutcome | null;
}

/** A task set being run: its queues, attempts, outcomes so far, and the promise it settles. */
export interface TaskSetState {
  readonly spec: TaskSetSpec;
  readonly queues: TaskQueues;
  readonly running: Map<number, Running>;
  readonly done: Set<number>;
  readonly failures: Map<number, number>;
  readonly launched: Map<number, number>;
  readonly durations: number[];
  readonly speculated: Set<number>;
  readonly fetchFailures: FetchFailure[];
  finished: boolean;
  resolve(failures: FetchFailure[]): void;
  reject(err: unknown): void;
}

/** A task set with nothing run yet; every partition still has to be queued. */
export function newTaskSet(spec: TaskSetSpec, resolve: (failures: FetchFailure[]) => void, reject: (err: unknown) => void): TaskSetState {
  return {
    spec,
    queues: new TaskQueues(),
    running: new Map(),
    done: new Set(),
    failures: new Map(),
    launched: new Map(),
    durations: [],
    speculated: new Set(),
    fetchFailures: [],
    finished: false,
    resolve,
    reject,
  };
}

/**
 * Whether the set has nothing left to do: every partition succeeded, or the rest failed to fetch and
 * nothing else runs or waits (the DAG scheduler resubmits their parents, then runs them again).
 */
export function settled(set: TaskSetState): boolean {
  if (set.done.size === set.spec.partitions.length) return true;
  const failedParts = new Set(set.fetchFailures.map((f) => f.partition));
  // Cheap test first: counting waiting tasks walks the queue, which after every task would be quadratic.
  if (set.done.size + failedParts.size < set.spec.partitions.length) return false;
  return set.running.size === 0 && set.queues.waiting((p) => !set.done.has(p) && !failedParts.has(p)) === 0;
}

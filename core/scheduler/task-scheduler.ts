/**
 * Hands tasks to executors' free slots (tasks on local data first, see TaskQueues), retries failed
 * attempts (up to `maxFailures`; tasks of a lost executor do not count), and, when speculation is on,
 * launches a second copy of a straggler; the first copy to finish wins.
 *
 * When an executor is lost, tasks elsewhere that read its blocks are killed at once and end as fetch
 * failures (shuffle blocks: the parent stage is resubmitted) or as uncounted retries (cached blocks,
 * recomputed): a frozen peer must not hold healthy workers' fetches until their deadline. When tasks
 * wait and no executor is left, the scheduler says so (`executorsWaiting`) and fails the jobs after
 * `executorWaitTimeoutMs` (0: wait forever).
 */
import { ExecutorWaitTimeoutError, TaskFailedError, type RemoteErrorData } from '../errors.js';
import type { EventBus } from '../events.js';
import type { Executor, StageWorkHandle, TaskInputs, TaskOutcome } from '../executor/executor.js';
import { TaskQueues } from './task-queues.js';

export type SuccessOutcome = Extract<TaskOutcome, { status: 'success' }>;

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

export interface FetchFailure {
  readonly partition: number;
  readonly shuffleId: number;
  readonly mapIndex: number;
  /** The remote executor the block could not be fetched from, if any. */
  readonly executorId?: string | undefined;
}

export interface SchedulerOptions {
  readonly maxFailures: number;
  readonly speculation: boolean;
  readonly speculationMultiplier: number;
  readonly speculationQuantile: number;
  readonly speculationMinMs: number;
  /** How long tasks may wait with no executor at all before their jobs fail; 0 waits forever. */
  readonly executorWaitTimeoutMs: number;
}

type TaskEndBase = Omit<Extract<Parameters<EventBus['post']>[0], { type: 'taskEnd' }>, 'status'>;

interface Running {
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

interface TaskSetState {
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

export class TaskScheduler {
  private readonly sets: TaskSetState[] = [];
  private readonly executors: Executor[];
  private readonly busy = new Map<Executor, number>();
  private nextTaskId = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Set by abortAll: the executors are going away, so later task sets fail at once with this. */
  private aborted: Error | null = null;
  /** Since when tasks have been waiting with no executor, and the timer that fails them. */
  private starvedSince: number | null = null;
  private starvedTimer: NodeJS.Timeout | null = null;

  constructor(
    executors: readonly Executor[],
    private readonly options: SchedulerOptions,
    private readonly events: EventBus,
  ) {
    this.executors = [...executors];
  }

  /** A new executor (a cluster worker that joined) takes pending tasks at once. */
  addExecutor(executor: Executor): void {
    if (this.executors.some((e) => e.id === executor.id)) return;
    this.executors.push(executor);
    this.launch();
  }

  /**
   * No new tasks go to the executor (it is leaving, or lost). Its running tasks end through their
   * own outcomes: a lost executor fails them with `executorLost`, so they run again elsewhere.
   */
  retireExecutor(executorId: string): void {
    const i = this.executors.findIndex((e) => e.id === executorId);
    if (i >= 0) this.executors.splice(i, 1);
    this.checkStarved();
  }

  /**
   * The executor is lost: retired, and tasks on other executors that read its blocks are killed now
   * and end as fetch failures (or uncounted retries when they only read its cached partitions).
   */
  removeExecutor(executorId: string): void {
    this.retireExecutor(executorId);
    for (const set of this.sets) {
      for (const rt of set.running.values()) {
        if (rt.executor.id === executorId || rt.preempted !== null || rt.inputs === null) continue;
        const outcome = lostInputOutcome(rt.inputs, executorId);
        if (outcome === null) continue;
        rt.preempted = outcome;
        rt.abort.abort();
      }
    }
  }

  /** Runs the partitions of a stage; resolves with fetch failures (empty when all succeeded). */
  runTaskSet(spec: TaskSetSpec): Promise<FetchFailure[]> {
    if (this.aborted !== null) return Promise.reject(this.aborted);
    return new Promise((resolve, reject) => {
      const state: TaskSetState = {
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
      for (const p of spec.partitions) this.enqueue(state, p, false);
      this.sets.push(state);
      if (spec.partitions.length === 0) this.finish(state, null);
      else this.launch();
      this.armSpeculation();
      this.checkStarved();
    });
  }

  /** Tasks waiting for a slot, and running tasks per executor id: what adaptive scaling looks at. */
  load(): { readonly waitingTasks: number; readonly running: ReadonlyMap<string, number> } {
    let waitingTasks = 0;
    for (const set of this.sets) if (!set.finished) waitingTasks += set.queues.waiting();
    const running = new Map<string, number>();
    for (const [executor, n] of this.busy) running.set(executor.id, (running.get(executor.id) ?? 0) + n);
    return { waitingTasks, running };
  }

  /** Kills every running task and fails every task set (context stop). */
  abortAll(reason: Error): void {
    this.aborted = reason;
    this.clearStarved();
    for (const set of [...this.sets]) this.finish(set, reason);
  }

  /** Starts or stops the no-executor clock: tasks wait and nobody can run them. */
  private checkStarved(): void {
    const starving = this.executors.length === 0 && this.sets.some((set) => !set.finished);
    if (!starving) return this.clearStarved();
    if (this.starvedSince !== null) return;
    const since = Date.now();
    this.starvedSince = since;
    this.events.post({ type: 'executorsWaiting', since, registered: 0 });
    const limit = this.options.executorWaitTimeoutMs;
    if (!(limit > 0)) return;
    this.starvedTimer = setTimeout(() => {
      this.starvedTimer = null;
      this.starvedSince = null;
      const error = new ExecutorWaitTimeoutError(limit, since);
      for (const set of [...this.sets]) this.finish(set, error);
    }, limit);
    this.starvedTimer.unref();
  }

  private clearStarved(): void {
    if (this.starvedTimer !== null) clearTimeout(this.starvedTimer);
    this.starvedTimer = null;
    if (this.starvedSince !== null) this.events.post({ type: 'executorsWaiting', since: this.starvedSince, registered: this.executors.length });
    this.starvedSince = null;
  }

  /** Queues a task, under the executor holding its input blocks when there are several executors. */
  private enqueue(set: TaskSetState, partition: number, speculative: boolean): void {
    const where = !speculative && this.executors.length > 1 ? (set.spec.preferredExecutor?.(partition) ?? null) : null;
    set.queues.enqueue(partition, speculative, where);
  }

  /** Fills free slots: first with tasks whose blocks the executor holds, then with any task. */
  private launch(): void {
    for (const localOnly of [true, false]) {
      for (const executor of this.executors) {
        while ((this.busy.get(executor) ?? 0) < executor.cores) {
          const next = this.nextTask(executor, localOnly);
          if (next === null) break;
          this.start(next.set, next.partition, next.speculative, executor);
        }
      }
    }
  }

  private nextTask(executor: Executor, localOnly: boolean): { set: TaskSetState; partition: number; speculative: boolean } | null {
    for (const set of this.sets) {
      const runsOn = (p: number, e: Executor): boolean => [...set.running.values()].some((r) => r.partition === p && r.executor === e);
      const t = set.queues.take(executor, this.executors, localOnly, (p) => set.done.has(p), runsOn);
      if (t !== null) return { set, ...t };
    }
    return null;
  }

  private start(set: TaskSetState, partition: number, speculative: boolean, executor: Executor): void {
    const attempt = set.launched.get(partition) ?? 0;
    set.launched.set(partition, attempt + 1);
    const taskId = this.nextTaskId++;
    let inputs: TaskInputs | null = null;
    let resolveError: unknown = null;
    try {
      inputs = set.spec.resolveInputs(partition);
    } catch (err) {
      resolveError = err;
    }
    const rt: Running = { taskId, partition, attempt, started: Date.now(), executor, abort: new AbortController(), speculative, inputs, preempted: null };
    set.running.set(taskId, rt);
    this.busy.set(executor, (this.busy.get(executor) ?? 0) + 1);
    const { stageId, stageAttempt } = set.spec;
    this.events.post({ type: 'taskStart', stageId, partition, attempt, taskId, executorId: executor.id, speculative });
    let outcome: Promise<TaskOutcome>;
    try {
      if (inputs === null) throw resolveError;
      outcome = executor.runTask({ taskId, stageId, stageAttempt, partition, attempt, speculative, work: set.spec.work, inputs }, rt.abort.signal);
    } catch (err) {
      outcome = Promise.resolve({ status: 'failed', error: { name: 'Error', message: (err as Error).message, stack: (err as Error).stack } });
    }
    outcome.then(
      (o) => this.complete(set, rt, o),
      (err: unknown) => this.complete(set, rt, { status: 'failed', error: { name: 'Error', message: String(err) } }),
    );
  }

  private complete(set: TaskSetState, rt: Running, reported: TaskOutcome): void {
    // A task killed because a peer it reads from was lost ends as what that loss means for it.
    const outcome = rt.preempted ?? reported;
    set.running.delete(rt.taskId);
    this.busy.set(rt.executor, (this.busy.get(rt.executor) ?? 1) - 1);
    const durationMs = Date.now() - rt.started;
    const base = {
      type: 'taskEnd' as const,
      stageId: set.spec.stageId,
      partition: rt.partition,
      attempt: rt.attempt,
      taskId: rt.taskId,
      executorId: rt.executor.id,
      speculative: rt.speculative,
      durationMs,
    };
    if (set.finished || set.done.has(rt.partition) || (rt.abort.signal.aborted && rt.preempted === null)) {
      this.events.post({ ...base, status: 'killed' });
    } else if (outcome.status === 'success') {
      set.done.add(rt.partition);
      set.durations.push(durationMs);
      for (const other of set.running.values()) if (other.partition === rt.partition) other.abort.abort();
      this.events.post({
        ...base,
        status: 'success',
        records: outcome.records,
        ...(outcome.metrics.length > 0 ? { metrics: Object.fromEntries(outcome.metrics) } : {}),
        ...(outcome.shuffleOutput ? { shuffleBytesWritten: outcome.shuffleOutput.offsets[outcome.shuffleOutput.offsets.length - 1] ?? 0 } : {}),
      });
      try {
        set.spec.onSuccess(rt.partition, outcome);
      } catch (err) {
        this.finish(set, err);
      }
    } else if (outcome.error.fetchFailed !== undefined) {
      this.events.post({ ...base, status: 'fetchFailed', error: outcome.error.message });
      set.fetchFailures.push({ partition: rt.partition, ...outcome.error.fetchFailed });
    } else {
      this.onFailure(set, rt, outcome.error, base);
    }
    this.checkFinished(set);
    this.launch();
  }

  private onFailure(set: TaskSetState, rt: Running, error: RemoteErrorData, base: TaskEndBase): void {
    // A task whose executor was lost did nothing wrong (Spark does not count these either).
    const counted = error.executorLost !== true;
    const failures = (set.failures.get(rt.partition) ?? 0) + (counted ? 1 : 0);
    if (counted) set.queues.recordFailure(rt.partition, rt.executor.id);
    set.failures.set(rt.partition, failures);
    this.events.post({ ...base, status: 'failed', error: `${error.name}: ${error.message}` });
    if (failures >= this.options.maxFailures) {
      this.finish(set, new TaskFailedError(set.spec.stageId, rt.partition, failures, error));
      return;
    }
    const copyRunning = [...set.running.values()].some((r) => r.partition === rt.partition);
    if (!copyRunning) this.enqueue(set, rt.partition, false);
  }

  private checkFinished(set: TaskSetState): void {
    if (set.finished) return;
    if (set.done.size === set.spec.partitions.length) return this.finish(set, null);
    const failedParts = new Set(set.fetchFailures.map((f) => f.partition));
    // Cheap test first: counting waiting tasks walks the queue, which after every task would be quadratic.
    if (set.done.size + failedParts.size < set.spec.partitions.length) return;
    const outstanding = set.running.size > 0 || set.queues.waiting((p) => !set.done.has(p) && !failedParts.has(p)) > 0;
    if (!outstanding) this.finish(set, null);
  }

  private finish(set: TaskSetState, error: unknown): void {
    if (set.finished) return;
    set.finished = true;
    // Tasks still running are left to finish (their results are ignored as 'killed'), not aborted:
    // aborting a piscina task whose thread is posting its result races inside piscina ("Unexpected
    // message from Worker", thrown on the driver). Only speculation losers are aborted, because a
    // straggler can hold its thread for long. Context.stop() destroys the pool, which ends them all.
    const i = this.sets.indexOf(set);
    if (i >= 0) this.sets.splice(i, 1);
    if (error !== null) set.reject(error);
    else set.resolve(set.fetchFailures);
    if (this.sets.length === 0) this.clearStarved();
  }

  private armSpeculation(): void {
    if (!this.options.speculation || this.timer !== null) return;
    this.timer = setInterval(() => this.checkSpeculation(), 50);
    this.timer.unref();
  }

  /** Spark's rule: once a quantile of tasks finished, copy tasks running > multiplier x median. */
  private checkSpeculation(): void {
    if (this.sets.length === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
      return;
    }
    const now = Date.now();
    let added = false;
    for (const set of this.sets) {
      const total = set.spec.partitions.length;
      if (set.durations.length === 0 || set.done.size < Math.floor(this.options.speculationQuantile * total)) continue;
      const sorted = set.durations.slice().sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] as number;
      const threshold = Math.max(this.options.speculationMultiplier * median, this.options.speculationMinMs);
      for (const r of set.running.values()) {
        if (r.speculative || set.speculated.has(r.partition) || now - r.started <= threshold) continue;
        set.speculated.add(r.partition);
        this.enqueue(set, r.partition, true);
        this.events.post({ type: 'speculativeTask', stageId: set.spec.stageId, partition: r.partition });
        added = true;
      }
    }
    if (added) this.launch();
  }
}

/**
 * What a running task's outcome is when `executorId`, which holds blocks it reads, is lost: a fetch
 * failure for its first shuffle block there, an uncounted retry when it only reads cached partitions
 * there (the retry recomputes them), null when it reads nothing there.
 */
function lostInputOutcome(inputs: TaskInputs, executorId: string): TaskOutcome | null {
  const message = `executor ${executorId}, which holds blocks this task reads, was lost`;
  for (const [shuffleId, , refs] of inputs.shuffle) {
    for (let mapIndex = 0; mapIndex < refs.length; mapIndex++) {
      const ref = refs[mapIndex];
      if (ref?.kind === 'remote' && ref.executorId === executorId) {
        return { status: 'failed', error: { name: 'FetchFailedError', message: `shuffle ${shuffleId}: output of map ${mapIndex}: ${message}`, fetchFailed: { shuffleId, mapIndex, executorId } } };
      }
    }
  }
  for (const [, , ref] of inputs.cached) {
    if (ref.kind === 'remote' && ref.executorId === executorId) {
      return { status: 'failed', error: { name: 'ExecutorLostError', message, executorLost: true } };
    }
  }
  return null;
}

/**
 * Hands tasks to executors' free slots, retries failed attempts (up to `maxFailures`), and, when
 * speculation is on, launches a second copy of a straggler; the first copy to finish wins. As in
 * Spark's excludeOnFailure, a failed task is retried on another executor when there is one, and an
 * executor on which EXCLUDE_AFTER tasks of a stage failed gets no more tasks of that stage while
 * another executor can take them.
 */
import { TaskFailedError, type RemoteErrorData } from '../errors.js';
import type { EventBus } from '../events.js';
import type { Executor, StageWorkHandle, TaskInputs, TaskOutcome } from '../executor/executor.js';

export type SuccessOutcome = Extract<TaskOutcome, { status: 'success' }>;

export interface TaskSetSpec {
  readonly stageId: number;
  readonly stageAttempt: number;
  readonly partitions: readonly number[];
  readonly work: StageWorkHandle;
  resolveInputs(partition: number): TaskInputs;
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
}

/** Failed tasks of one stage attempt after which an executor is excluded from it. */
const EXCLUDE_AFTER = 2;

type TaskEndBase = Omit<Extract<Parameters<EventBus['post']>[0], { type: 'taskEnd' }>, 'status'>;

interface Running {
  readonly taskId: number;
  readonly partition: number;
  readonly attempt: number;
  readonly started: number;
  readonly executor: Executor;
  readonly abort: AbortController;
  readonly speculative: boolean;
}

interface TaskSetState {
  readonly spec: TaskSetSpec;
  readonly pending: { partition: number; speculative: boolean }[];
  readonly running: Map<number, Running>;
  readonly done: Set<number>;
  readonly failures: Map<number, number>;
  readonly launched: Map<number, number>;
  readonly durations: number[];
  readonly speculated: Set<number>;
  readonly fetchFailures: FetchFailure[];
  /** Executors each partition failed on, and failures per executor (executor losses not counted). */
  readonly failedOn: Map<number, Set<string>>;
  readonly executorFailures: Map<string, number>;
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
   * No new tasks go to the executor. Its running tasks end through their own outcomes: a lost
   * executor fails them with `executorLost`, so they run again elsewhere.
   */
  removeExecutor(executorId: string): void {
    const i = this.executors.findIndex((e) => e.id === executorId);
    if (i >= 0) this.executors.splice(i, 1);
  }

  /** Runs the partitions of a stage; resolves with fetch failures (empty when all succeeded). */
  runTaskSet(spec: TaskSetSpec): Promise<FetchFailure[]> {
    if (this.aborted !== null) return Promise.reject(this.aborted);
    return new Promise((resolve, reject) => {
      const state: TaskSetState = {
        spec,
        pending: spec.partitions.map((partition) => ({ partition, speculative: false })),
        running: new Map(),
        done: new Set(),
        failures: new Map(),
        launched: new Map(),
        durations: [],
        speculated: new Set(),
        fetchFailures: [],
        failedOn: new Map(),
        executorFailures: new Map(),
        finished: false,
        resolve,
        reject,
      };
      this.sets.push(state);
      if (spec.partitions.length === 0) this.finish(state, null);
      else this.launch();
      this.armSpeculation();
    });
  }

  /** Tasks waiting for a slot, and running tasks per executor id: what adaptive scaling looks at. */
  load(): { readonly waitingTasks: number; readonly running: ReadonlyMap<string, number> } {
    let waitingTasks = 0;
    for (const set of this.sets) if (!set.finished) waitingTasks += set.pending.length;
    const running = new Map<string, number>();
    for (const [executor, n] of this.busy) running.set(executor.id, (running.get(executor.id) ?? 0) + n);
    return { waitingTasks, running };
  }

  /** Kills every running task and fails every task set (context stop). */
  abortAll(reason: Error): void {
    this.aborted = reason;
    for (const set of [...this.sets]) this.finish(set, reason);
  }

  private launch(): void {
    for (const executor of this.executors) {
      while ((this.busy.get(executor) ?? 0) < executor.cores) {
        const next = this.nextTask(executor);
        if (next === null) break;
        this.start(next.set, next.partition, next.speculative, executor);
      }
    }
  }

  private nextTask(executor: Executor): { set: TaskSetState; partition: number; speculative: boolean } | null {
    for (const set of this.sets) {
      if (this.excluded(set, executor)) continue;
      for (let i = 0; i < set.pending.length; i++) {
        const t = set.pending[i] as { partition: number; speculative: boolean };
        if (set.done.has(t.partition)) {
          set.pending.splice(i--, 1);
          continue;
        }
        if (set.failedOn.get(t.partition)?.has(executor.id) && this.hasOther(set, executor, t.partition)) continue;
        // A speculative copy is only useful on another executor than the straggler's, when there is one.
        if (t.speculative && this.executors.length > 1 && [...set.running.values()].some((r) => r.partition === t.partition && r.executor === executor)) continue;
        set.pending.splice(i, 1);
        return { set, ...t };
      }
    }
    return null;
  }

  /** Too many tasks of this stage failed on `executor`, and another executor can take them. */
  private excluded(set: TaskSetState, executor: Executor): boolean {
    if ((set.executorFailures.get(executor.id) ?? 0) < EXCLUDE_AFTER) return false;
    return this.executors.some((e) => e !== executor && (set.executorFailures.get(e.id) ?? 0) < EXCLUDE_AFTER);
  }

  /** Another usable executor on which `partition` has not failed yet. */
  private hasOther(set: TaskSetState, executor: Executor, partition: number): boolean {
    const failed = set.failedOn.get(partition);
    return this.executors.some((e) => e !== executor && !failed?.has(e.id) && !this.excluded(set, e));
  }

  private start(set: TaskSetState, partition: number, speculative: boolean, executor: Executor): void {
    const attempt = set.launched.get(partition) ?? 0;
    set.launched.set(partition, attempt + 1);
    const taskId = this.nextTaskId++;
    const rt: Running = { taskId, partition, attempt, started: Date.now(), executor, abort: new AbortController(), speculative };
    set.running.set(taskId, rt);
    this.busy.set(executor, (this.busy.get(executor) ?? 0) + 1);
    const { stageId, stageAttempt } = set.spec;
    this.events.post({ type: 'taskStart', stageId, partition, attempt, taskId, executorId: executor.id, speculative });
    let outcome: Promise<TaskOutcome>;
    try {
      const inputs = set.spec.resolveInputs(partition);
      outcome = executor.runTask({ taskId, stageId, stageAttempt, partition, attempt, speculative, work: set.spec.work, inputs }, rt.abort.signal);
    } catch (err) {
      outcome = Promise.resolve({ status: 'failed', error: { name: 'Error', message: (err as Error).message, stack: (err as Error).stack } });
    }
    outcome.then(
      (o) => this.complete(set, rt, o),
      (err: unknown) => this.complete(set, rt, { status: 'failed', error: { name: 'Error', message: String(err) } }),
    );
  }

  private complete(set: TaskSetState, rt: Running, outcome: TaskOutcome): void {
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
    if (set.finished || set.done.has(rt.partition) || rt.abort.signal.aborted) {
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
    if (counted) {
      const id = rt.executor.id;
      let on = set.failedOn.get(rt.partition);
      if (on === undefined) set.failedOn.set(rt.partition, (on = new Set()));
      on.add(id);
      set.executorFailures.set(id, (set.executorFailures.get(id) ?? 0) + 1);
    }
    set.failures.set(rt.partition, failures);
    this.events.post({ ...base, status: 'failed', error: `${error.name}: ${error.message}` });
    if (failures >= this.options.maxFailures) {
      this.finish(set, new TaskFailedError(set.spec.stageId, rt.partition, failures, error));
      return;
    }
    const copyRunning = [...set.running.values()].some((r) => r.partition === rt.partition);
    if (!copyRunning) set.pending.push({ partition: rt.partition, speculative: false });
  }

  private checkFinished(set: TaskSetState): void {
    if (set.finished) return;
    if (set.done.size === set.spec.partitions.length) return this.finish(set, null);
    const failedParts = new Set(set.fetchFailures.map((f) => f.partition));
    const outstanding = set.running.size > 0 || set.pending.some((t) => !set.done.has(t.partition) && !failedParts.has(t.partition));
    if (!outstanding && set.done.size + failedParts.size >= set.spec.partitions.length) this.finish(set, null);
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
        set.pending.unshift({ partition: r.partition, speculative: true });
        this.events.post({ type: 'speculativeTask', stageId: set.spec.stageId, partition: r.partition });
        added = true;
      }
    }
    if (added) this.launch();
  }
}

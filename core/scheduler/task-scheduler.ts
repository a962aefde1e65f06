/**
 * Hands tasks to executors' free slots (tasks on local data first, see TaskQueues), retries failed
 * attempts (up to `maxFailures`; tasks of a lost executor do not count), and, when speculation is on,
 * launches a second copy of a straggler; the first copy to finish wins.
 *
 * Spark's shape (DAGSchedulerEventProcessLoop): everything that changes the scheduler's state is a
 * SchedulerEvent — a task set submitted, a task's outcome, an executor added, retired or lost, a timer
 * firing, an abort — and one method, `handle`, acts on them, one at a time. Public methods only post
 * events; an event posted while another is handled (by an event-bus listener, say) waits its turn.
 * Time and timers come from an injected Clock, so tests drive speculation and timeouts by hand.
 *
 * When an executor is lost, tasks elsewhere that read its blocks are killed at once and end as fetch
 * failures (shuffle blocks: the parent stage is resubmitted) or as uncounted retries (cached blocks,
 * recomputed): a frozen peer must not hold healthy workers' fetches until their deadline. When tasks
 * wait and no executor is left, the scheduler says so (`executorsWaiting`) and fails the jobs after
 * `executorWaitTimeoutMs` (0: wait forever).
 */
import { rebuildError, type RemoteErrorData } from '../error-data.js';
import { ExecutorWaitTimeoutError, TaskFailedError } from '../errors.js';
import type { EventBus, EventOf } from '../events.js';
import type { Executor, TaskInputs, TaskOutcome } from '../executor/executor.js';
import { systemClock, type Clock } from './clock.js';
import { lostInputOutcome } from './lost-inputs.js';
import type { FetchFailure, SchedulerEvent, SuccessOutcome, TaskSetSpec } from './scheduler-event.js';
import { stragglers } from './speculation.js';
import { newTaskSet, settled, type Running, type TaskSetState } from './task-set.js';

export type { FetchFailure, SchedulerEvent, SuccessOutcome, TaskSetSpec } from './scheduler-event.js';
export type { Clock } from './clock.js';

/** The Context options the task scheduler runs by (`maxTaskFailures`, `speculation*`, `executorWaitTimeout`). */
export interface SchedulerOptions {
  readonly maxFailures: number;
  readonly speculation: boolean;
  readonly speculationMultiplier: number;
  readonly speculationQuantile: number;
  readonly speculationMinMs: number;
  /** How long tasks may wait with no executor at all before their jobs fail; 0 waits forever. */
  readonly executorWaitTimeoutMs: number;
}

/** How often running tasks are checked for stragglers while speculation is on. */
const SPECULATION_INTERVAL_MS = 50;

type TaskEndBase = Omit<EventOf<'taskEnd'>, 'status' | 'time'>;

/** The task scheduler of one context: see the module comment. */
export class TaskScheduler {
  private readonly sets: TaskSetState[] = [];
  private readonly executors: Executor[];
  private readonly busy = new Map<Executor, number>();
  /** Every running attempt by task id, those of finished task sets too (they end as 'killed'). */
  private readonly attempts = new Map<number, { readonly set: TaskSetState; readonly task: Running }>();
  private nextTaskId = 0;
  private cancelSpeculation: (() => void) | null = null;
  /** Set by an abort: the executors are going away, so later task sets fail at once with this. */
  private aborted: Error | null = null;
  /** Since when tasks have been waiting with no executor, and the timer that fails them. */
  private starvedSince: number | null = null;
  private cancelStarved: (() => void) | null = null;
  /** Events posted while one is handled. */
  private readonly queue: SchedulerEvent[] = [];
  private handling = false;

  constructor(
    executors: readonly Executor[],
    private readonly options: SchedulerOptions,
    private readonly events: EventBus,
    private readonly clock: Clock = systemClock,
  ) {
    this.executors = [...executors];
  }

  /** A new executor (a cluster worker that joined) takes pending tasks at once. */
  addExecutor(executor: Executor): void {
    this.post({ type: 'executorAdded', executor });
  }

  /**
   * No new tasks go to the executor (it is leaving, or lost). Its running tasks end through their
   * own outcomes: a lost executor fails them with `executorLost`, so they run again elsewhere.
   */
  retireExecutor(executorId: string): void {
    this.post({ type: 'executorRetired', executorId });
  }

  /**
   * The executor is lost: retired, and tasks on other executors that read its blocks are killed now
   * and end as fetch failures (or uncounted retries when they only read its cached partitions).
   */
  removeExecutor(executorId: string): void {
    this.post({ type: 'executorLost', executorId });
  }

  /** Runs the partitions of a stage; resolves with fetch failures (empty when all succeeded). */
  runTaskSet(spec: TaskSetSpec): Promise<FetchFailure[]> {
    return new Promise((resolve, reject) => this.post({ type: 'taskSetSubmitted', spec, resolve, reject }));
  }

  /** Kills every running task and fails every task set (context stop). */
  abortAll(reason: Error): void {
    this.post({ type: 'aborted', reason });
  }

  /** Tasks waiting for a slot, and running tasks per executor id: what adaptive scaling looks at. */
  load(): { readonly waitingTasks: number; readonly running: ReadonlyMap<string, number> } {
    let waitingTasks = 0;
    for (const set of this.sets) if (!set.finished) waitingTasks += set.queues.waiting();
    const running = new Map<string, number>();
    for (const [executor, n] of this.busy) running.set(executor.id, (running.get(executor.id) ?? 0) + n);
    return { waitingTasks, running };
  }

  /**
   * Handles `event` now, or after the event being handled (posted from inside `handle`, by an
   * event-bus listener or an executor answering at once). A throw reaches the caller that drained it.
   */
  private post(event: SchedulerEvent): void {
    this.queue.push(event);
    if (this.handling) return;
    this.handling = true;
    let thrown: { readonly error: unknown } | null = null;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        try {
          this.handle(next);
        } catch (error) {
          thrown ??= { error };
        }
      }
    } finally {
      this.handling = false;
    }
    if (thrown !== null) throw thrown.error;
  }

  /** The one place the scheduler's state changes. */
  private handle(event: SchedulerEvent): void {
    switch (event.type) {
      case 'taskSetSubmitted':
        return this.submitted(event.spec, event.resolve, event.reject);
      case 'taskEnded':
        return this.ended(event.taskId, event.outcome);
      case 'executorAdded':
        return this.added(event.executor);
      case 'executorRetired':
        return this.retired(event.executorId);
      case 'executorLost':
        return this.lost(event.executorId);
      case 'speculationTick':
        return this.speculate();
      case 'executorWaitExpired':
        return this.waitExpired();
      case 'aborted':
        return this.abort(event.reason);
    }
  }

  // ---- handlers: called from handle() only ----------------------------------------------------

  private submitted(spec: TaskSetSpec, resolve: (failures: FetchFailure[]) => void, reject: (err: unknown) => void): void {
    if (this.aborted !== null) return reject(this.aborted);
    const state = newTaskSet(spec, resolve, reject);
    for (const p of spec.partitions) this.enqueue(state, p, false);
    this.sets.push(state);
    if (spec.partitions.length === 0) this.finish(state, null);
    else this.launch();
    this.armSpeculation();
    this.checkStarved();
  }

  private added(executor: Executor): void {
    if (this.executors.some((e) => e.id === executor.id)) return;
    this.executors.push(executor);
    this.launch();
  }

  private retired(executorId: string): void {
    const i = this.executors.findIndex((e) => e.id === executorId);
    if (i >= 0) this.executors.splice(i, 1);
    this.checkStarved();
  }

  private lost(executorId: string): void {
    this.retired(executorId);
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

  private abort(reason: Error): void {
    this.aborted = reason;
    this.clearStarved();
    for (const set of [...this.sets]) this.finish(set, reason);
  }

  private waitExpired(): void {
    const since = this.starvedSince;
    this.cancelStarved = null;
    this.starvedSince = null;
    if (since === null) return;
    const error = new ExecutorWaitTimeoutError(this.options.executorWaitTimeoutMs, since);
    for (const set of [...this.sets]) this.finish(set, error);
  }

  private ended(taskId: number, reported: TaskOutcome): void {
    const attempt = this.attempts.get(taskId);
    if (attempt === undefined) return;
    this.attempts.delete(taskId);
    const { set, task: rt } = attempt;
    // A task killed because a peer it reads from was lost ends as what that loss means for it.
    const outcome = rt.preempted ?? reported;
    set.running.delete(rt.taskId);
    this.busy.set(rt.executor, (this.busy.get(rt.executor) ?? 1) - 1);
    const durationMs = this.clock.now() - rt.started;
    const base: TaskEndBase = {
      type: 'taskEnd',
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
      this.succeeded(set, rt, outcome, base);
    } else if (outcome.error.fetchFailed !== undefined) {
      this.events.post({ ...base, status: 'fetchFailed', error: outcome.error.message });
      set.fetchFailures.push({ partition: rt.partition, ...outcome.error.fetchFailed });
    } else {
      this.failed(set, rt, outcome.error, base);
    }
    if (!set.finished && settled(set)) this.finish(set, null);
    this.launch();
  }

  /** Spark's rule (speculation.ts) on every task set, and copies of the stragglers. */
  private speculate(): void {
    this.cancelSpeculation = null;
    if (this.sets.length === 0) return;
    const now = this.clock.now();
    let added = false;
    for (const set of this.sets) {
      const view = { total: set.spec.partitions.length, done: set.done.size, durations: set.durations, copied: set.speculated };
      for (const partition of stragglers(view, set.running.values(), now, this.options)) {
        set.speculated.add(partition);
        this.enqueue(set, partition, true);
        this.events.post({ type: 'speculativeTask', stageId: set.spec.stageId, partition });
        added = true;
      }
    }
    if (added) this.launch();
    this.armSpeculation();
  }

  // ---- state helpers: called from the handlers ------------------------------------------------

  private succeeded(set: TaskSetState, rt: Running, outcome: SuccessOutcome, base: TaskEndBase): void {
    set.done.add(rt.partition);
    set.durations.push(base.durationMs);
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
  }

  private failed(set: TaskSetState, rt: Running, error: RemoteErrorData, base: TaskEndBase): void {
    // A task whose executor was lost did nothing wrong (Spark does not count these either).
    const counted = error.executorLost !== true;
    const failures = (set.failures.get(rt.partition) ?? 0) + (counted ? 1 : 0);
    if (counted) set.queues.recordFailure(rt.partition, rt.executor.id);
    set.failures.set(rt.partition, failures);
    this.events.post({ ...base, status: 'failed', error: `${error.name}: ${error.message}` });
    if (failures >= this.options.maxFailures) {
      this.finish(set, new TaskFailedError(set.spec.stageId, rt.partition, failures, error, rebuildError(error)));
      return;
    }
    const copyRunning = [...set.running.values()].some((r) => r.partition === rt.partition);
    if (!copyRunning) this.enqueue(set, rt.partition, false);
  }

  /** Starts or stops the no-executor clock: tasks wait and nobody can run them. */
  private checkStarved(): void {
    const starving = this.executors.length === 0 && this.sets.some((set) => !set.finished);
    if (!starving) return this.clearStarved();
    if (this.starvedSince !== null) return;
    const since = this.clock.now();
    this.starvedSince = since;
    this.events.post({ type: 'executorsWaiting', since, registered: 0 });
    const limit = this.options.executorWaitTimeoutMs;
    if (!(limit > 0)) return;
    this.cancelStarved = this.clock.schedule(limit, () => this.post({ type: 'executorWaitExpired' }));
  }

  private clearStarved(): void {
    this.cancelStarved?.();
    this.cancelStarved = null;
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

  /** Launches an attempt; its outcome comes back as a `taskEnded` event. */
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
    const rt: Running = { taskId, partition, attempt, started: this.clock.now(), executor, abort: new AbortController(), speculative, inputs, preempted: null };
    set.running.set(taskId, rt);
    this.attempts.set(taskId, { set, task: rt });
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
      (o) => this.post({ type: 'taskEnded', taskId, outcome: o }),
      (err: unknown) => this.post({ type: 'taskEnded', taskId, outcome: { status: 'failed', error: { name: 'Error', message: String(err) } } }),
    );
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
    if (!this.options.speculation || this.cancelSpeculation !== null) return;
    this.cancelSpeculation = this.clock.schedule(SPECULATION_INTERVAL_MS, () => this.post({ type: 'speculationTick' }));
  }
}


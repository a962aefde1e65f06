/**
 * Fakes for unit tests of the task scheduler: a clock whose time moves only when the test says, and
 * executors whose tasks end when the test says (or as an answer function says). No threads, no timers:
 * the tests are deterministic and take milliseconds.
 *
 * @example
 *   const h = harness([new FakeExecutor('a', 2)]);
 *   const run = h.run([0, 1]);
 *   h.executor('a').finishAll(ok);
 *   await settle();
 *   expect(await run.promise).toEqual([]);
 */
import { EventBus, type EventOf } from '../../../core/index.js';
import type { Executor, StageWorkHandle, TaskDescription, TaskInputs, TaskOutcome } from '../../../core/executor/spi.js';
import type { Clock } from '../../../core/scheduler/clock.js';
import { TaskScheduler, type FetchFailure, type SchedulerOptions, type TaskSetSpec } from '../../../core/scheduler/task-scheduler.js';

export const ok: TaskOutcome = { status: 'success', result: null, shuffleOutput: null, cachePuts: [], accumulators: [], records: 0, metrics: [] };
export const broken: TaskOutcome = { status: 'failed', error: { name: 'Error', message: 'bad disk' } };
/** What a RemoteExecutor's tasks end with when its worker is gone. */
export const executorLost: TaskOutcome = { status: 'failed', error: { name: 'ExecutorLostError', message: 'worker gone', executorLost: true } };
/** What a ThreadExecutor's task ends with when it is aborted. */
export const killed: TaskOutcome = { status: 'failed', error: { name: 'AbortError', message: 'task killed' } };

export const work = { id: 'w', live: null as never, encoded: () => ({ bytes: new Uint8Array(0), modules: [] }) } satisfies StageWorkHandle;
export const noInputs: TaskInputs = { shuffle: [], cached: [], broadcasts: [] };

/** Lets every pending promise callback run (task outcomes reach the scheduler through promises). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A clock that stands still until `advance`; timers run in time order, each at its due time. */
export class FakeClock implements Clock {
  private time = 1_000_000;
  private seq = 0;
  private readonly timers: { readonly at: number; readonly seq: number; readonly fn: () => void }[] = [];

  now(): number {
    return this.time;
  }

  schedule(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + ms, seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      const i = this.timers.indexOf(timer);
      if (i >= 0) this.timers.splice(i, 1);
    };
  }

  /** Moves time forward by `ms`, running the timers that fall due (those they set too, when due). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }

  /** Timers set and not yet run or cancelled. */
  pending(): number {
    return this.timers.length;
  }
}

/** A task launched on a FakeExecutor. */
export interface FakeTask {
  readonly task: TaskDescription;
  readonly signal: AbortSignal;
  /** Ends the task with `outcome` (ignored once it ended). */
  finish(outcome: TaskOutcome): void;
  readonly ended: boolean;
}

/**
 * An executor whose tasks run until the test finishes them, or end at once with what `answer` returns
 * (null: run until finished). An aborted task ends as killed, as a ThreadExecutor's does.
 */
export class FakeExecutor implements Executor {
  readonly host = 'test';
  /** Every task launched here, in launch order. */
  readonly tasks: FakeTask[] = [];

  constructor(
    readonly id: string,
    readonly cores = 1,
    private readonly answer: (task: TaskDescription) => TaskOutcome | null = () => null,
  ) {}

  runTask(task: TaskDescription, signal: AbortSignal): Promise<TaskOutcome> {
    return new Promise((resolve) => {
      let ended = false;
      const finish = (outcome: TaskOutcome): void => {
        if (ended) return;
        ended = true;
        resolve(outcome);
      };
      this.tasks.push({ task, signal, finish, get ended() { return ended; } });
      signal.addEventListener('abort', () => finish(killed), { once: true });
      const answer = this.answer(task);
      if (answer !== null) finish(answer);
    });
  }

  /** Tasks that have not ended. */
  running(): FakeTask[] {
    return this.tasks.filter((t) => !t.ended);
  }

  /** The running task of `partition`; throws when there is none or several. */
  runningTask(partition: number): FakeTask {
    const found = this.running().filter((t) => t.task.partition === partition);
    if (found.length !== 1) throw new Error(`executor ${this.id} runs ${found.length} tasks of partition ${partition}`);
    return found[0] as FakeTask;
  }

  async stop(): Promise<void> {}
}

/** The scheduler options the tests start from: Context's defaults with speculation off. */
export const DEFAULT_OPTIONS: SchedulerOptions = {
  maxFailures: 4,
  speculation: false,
  speculationMultiplier: 1.5,
  speculationQuantile: 0.75,
  speculationMinMs: 100,
  executorWaitTimeoutMs: 0,
};

/** Scheduler events the tests look at, in posting order. */
export type Recorded = EventOf<'taskStart' | 'taskEnd' | 'speculativeTask' | 'executorsWaiting'>;

/** A task set run by `harness`: its promise, the partitions whose success was handed on, and its state. */
export interface Run {
  readonly promise: Promise<FetchFailure[]>;
  readonly succeeded: number[];
  /** 'running', 'resolved' or 'rejected', as of the last settle(). */
  state(): 'running' | 'resolved' | 'rejected';
  /** What it rejected with (fails when it did not). */
  error(): unknown;
}

/** A TaskScheduler on a FakeClock, with its events recorded. */
export function harness(executors: readonly Executor[], options: Partial<SchedulerOptions> = {}) {
  const clock = new FakeClock();
  const events = new EventBus();
  const log: Recorded[] = [];
  for (const type of ['taskStart', 'taskEnd', 'speculativeTask', 'executorsWaiting'] as const) events.on(type, (e) => void log.push(e));
  const scheduler = new TaskScheduler(executors, { ...DEFAULT_OPTIONS, ...options }, events, clock);
  const byId = new Map(executors.map((e) => [e.id, e]));
  return {
    clock,
    events,
    scheduler,
    log,
    /** The FakeExecutor with this id among those the scheduler started with. */
    executor(id: string): FakeExecutor {
      const e = byId.get(id);
      if (!(e instanceof FakeExecutor)) throw new Error(`no fake executor ${id}`);
      return e;
    },
    /** taskEnd events as [partition, attempt, executor, status]. */
    ends(): [number, number, string, string][] {
      return log.flatMap((e) => (e.type === 'taskEnd' ? [[e.partition, e.attempt, e.executorId, e.status] as [number, number, string, string]] : []));
    },
    /** Submits a task set of `partitions` (stage 0 unless `spec` says), recording what it hands on. */
    run(partitions: readonly number[], spec: Partial<TaskSetSpec> = {}): Run {
      const succeeded: number[] = [];
      let state: 'running' | 'resolved' | 'rejected' = 'running';
      let error: unknown;
      const promise = scheduler.runTaskSet({ stageId: 0, stageAttempt: 0, partitions, work, resolveInputs: () => noInputs, onSuccess: (p) => void succeeded.push(p), ...spec });
      promise.then(
        () => (state = 'resolved'),
        (err: unknown) => {
          state = 'rejected';
          error = err;
        },
      );
      return {
        promise,
        succeeded,
        state: () => state,
        error: () => {
          if (state !== 'rejected') throw new Error(`the task set is ${state}, not rejected`);
          return error;
        },
      };
    },
  };
}

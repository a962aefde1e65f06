/**
 * The task scheduler when an executor is lost: tasks elsewhere that read its blocks are killed at once
 * and end as fetch failures (shuffle blocks) or uncounted retries (cached blocks), and tasks that wait
 * with no executor at all are announced (`executorsWaiting`) and fail after `executorWaitTimeoutMs`
 * (or wait for a new executor when it is 0). Executors here are fakes.
 */
import { describe, expect, it } from 'vitest';
import { EventBus, ExecutorWaitTimeoutError, type EventOf } from '../../core/index.js';
import type { BlockRef, Executor, StageWorkHandle, TaskDescription, TaskInputs, TaskOutcome } from '../../core/executor/index.js';
import { TaskScheduler, type FetchFailure } from '../../core/scheduler/task-scheduler.js';

const ok: TaskOutcome = { status: 'success', result: null, shuffleOutput: null, cachePuts: [], accumulators: [], records: 0, metrics: [] };
const work = { id: 'w', live: null as never, encoded: () => ({ bytes: new Uint8Array(0), modules: [] }) } satisfies StageWorkHandle;
const noInputs: TaskInputs = { shuffle: [], cached: [], broadcasts: [] };
const remoteOnA = (blockId: string): BlockRef => ({ kind: 'remote', executorId: 'A', address: '127.0.0.1:1', blockId, length: 8 });

/** An executor whose tasks run until `answer` resolves, or end as killed when aborted. */
function fake(id: string, answer: (task: TaskDescription) => Promise<TaskOutcome>, cores = 1): Executor {
  return {
    id,
    cores,
    host: 'test',
    runTask: (task, signal) =>
      new Promise((resolve) => {
        signal.addEventListener('abort', () => resolve({ status: 'failed', error: { name: 'AbortError', message: 'task killed' } }), { once: true });
        void answer(task).then(resolve);
      }),
    stop: async () => {},
  };
}

const never = (): Promise<TaskOutcome> => new Promise(() => {});
const soon = (): Promise<TaskOutcome> => new Promise((r) => setTimeout(() => r(ok), 2));

function scheduler(executors: Executor[], events: EventBus, executorWaitTimeoutMs: number, maxFailures = 1): TaskScheduler {
  return new TaskScheduler(executors, { maxFailures, speculation: false, speculationMultiplier: 1.5, speculationQuantile: 0.75, speculationMinMs: 100, executorWaitTimeoutMs }, events);
}

function record<K extends EventOf<'taskEnd'>['type'] | 'executorsWaiting'>(events: EventBus, type: K): EventOf<K>[] {
  const out: EventOf<K>[] = [];
  events.on(type, (e) => void out.push(e as EventOf<K>));
  return out;
}

describe('a lost executor and the tasks that read its blocks', () => {
  it('kills a task fetching a shuffle block from it at once and reports a fetch failure, no attempt used', async () => {
    const events = new EventBus();
    const ends = record(events, 'taskEnd');
    const s = scheduler([fake('B', never)], events, 0);
    const inputs: TaskInputs = { shuffle: [[3, 0, [{ kind: 'mem', bytes: new Uint8Array(8) }, remoteOnA('shuffle_3_1_0')]]], cached: [], broadcasts: [] };
    const run = s.runTaskSet({ stageId: 1, stageAttempt: 0, partitions: [0], work, resolveInputs: () => inputs, onSuccess: () => {} });
    await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    s.removeExecutor('A');
    const failures: FetchFailure[] = await run;
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(failures).toEqual([{ partition: 0, shuffleId: 3, mapIndex: 1, executorId: 'A' }]);
    expect(ends.map((e) => [e.executorId, e.status])).toEqual([['B', 'fetchFailed']]);
  });

  it('retries a task that read a cached partition from it, without counting a failure (maxFailures 1)', async () => {
    const events = new EventBus();
    const ends = record(events, 'taskEnd');
    let lost = false;
    const s = scheduler([fake('B', (t) => (t.attempt === 0 ? never() : soon()))], events, 0);
    const cachedOnA: TaskInputs = { shuffle: [], cached: [[5, 0, remoteOnA('rdd_5_0')]], broadcasts: [] };
    const run = s.runTaskSet({ stageId: 1, stageAttempt: 0, partitions: [0], work, resolveInputs: () => (lost ? noInputs : cachedOnA), onSuccess: () => {} });
    await new Promise((r) => setTimeout(r, 10));
    lost = true;
    s.removeExecutor('A');
    expect(await run).toEqual([]);
    expect(ends.map((e) => [e.attempt, e.status])).toEqual([
      [0, 'failed'],
      [1, 'success'],
    ]);
  });

  it('leaves alone tasks that read nothing from it', async () => {
    const events = new EventBus();
    const ends = record(events, 'taskEnd');
    const s = scheduler([fake('B', () => new Promise((r) => setTimeout(() => r(ok), 50)))], events, 0);
    const run = s.runTaskSet({ stageId: 1, stageAttempt: 0, partitions: [0], work, resolveInputs: () => noInputs, onSuccess: () => {} });
    await new Promise((r) => setTimeout(r, 10));
    s.removeExecutor('A');
    expect(await run).toEqual([]);
    expect(ends.map((e) => e.status)).toEqual(['success']);
  });
});

describe('no executor left', () => {
  /** A's tasks end as executorLost when A is removed, as a RemoteExecutor's do. */
  function lostOnRemoval(): { executor: Executor; lose: () => void } {
    let lose = (): void => {};
    const gone = new Promise<TaskOutcome>((r) => (lose = () => r({ status: 'failed', error: { name: 'ExecutorLostError', message: 'gone', executorLost: true } })));
    return { executor: fake('A', () => gone), lose: () => lose() };
  }

  it('announces the wait and fails the job after executorWaitTimeoutMs with a clear error', async () => {
    const events = new EventBus();
    const waits = record(events, 'executorsWaiting');
    const a = lostOnRemoval();
    const s = scheduler([a.executor], events, 300);
    const run = s.runTaskSet({ stageId: 1, stageAttempt: 0, partitions: [0, 1], work, resolveInputs: () => noInputs, onSuccess: () => {} });
    await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    s.removeExecutor('A');
    a.lose();
    const err = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExecutorWaitTimeoutError);
    expect((err as Error).message).toMatch(/no executors: tasks waited 0 s with 0 registered \(since .*\); start workers .*executorWaitTimeout/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(waits).toHaveLength(1);
    expect(waits[0]?.registered).toBe(0);
  });

  it('with executorWaitTimeoutMs 0 waits until an executor joins, then runs the tasks', async () => {
    const events = new EventBus();
    const waits = record(events, 'executorsWaiting');
    const a = lostOnRemoval();
    const s = scheduler([a.executor], events, 0);
    const done = new Set<number>();
    const run = s.runTaskSet({ stageId: 1, stageAttempt: 0, partitions: [0, 1], work, resolveInputs: () => noInputs, onSuccess: (p) => void done.add(p) });
    await new Promise((r) => setTimeout(r, 10));
    s.removeExecutor('A');
    a.lose();
    await new Promise((r) => setTimeout(r, 400));
    expect(done.size).toBe(0);
    expect(waits.map((w) => w.registered)).toEqual([0]);
    s.addExecutor(fake('C', soon));
    expect(await run).toEqual([]);
    expect(done.size).toBe(2);
    expect(waits.map((w) => w.registered)).toEqual([0, 1]);
  });
});

/**
 * The task scheduler when an executor is lost: tasks elsewhere that read its blocks are killed at once
 * and end as fetch failures (shuffle blocks) or uncounted retries (cached blocks), and tasks that wait
 * with no executor at all are announced (`executorsWaiting`) and fail after `executorWaitTimeoutMs`
 * (or wait for a new executor when it is 0). Executors here are fakes, and the clock is a fake one:
 * "at once" means with no clock time passing.
 */
import { describe, expect, it } from 'vitest';
import { ExecutorWaitTimeoutError } from '../../../core/index.js';
import type { BlockRef, TaskInputs } from '../../../core/executor/spi.js';
import { FakeExecutor, executorLost, harness, noInputs, ok, settle } from './fakes.js';

const remoteOnA = (blockId: string): BlockRef => ({ kind: 'remote', executorId: 'A', address: '127.0.0.1:1', blockId, length: 8 });

describe('a lost executor and the tasks that read its blocks', () => {
  it('kills a task fetching a shuffle block from it at once and reports a fetch failure, no attempt used', async () => {
    const h = harness([new FakeExecutor('B')], { maxFailures: 1 });
    const inputs: TaskInputs = { shuffle: [[3, 0, [{ kind: 'mem', bytes: new Uint8Array(8) }, remoteOnA('shuffle_3_1_0')]]], cached: [], broadcasts: [] };
    const run = h.run([0], { stageId: 1, resolveInputs: () => inputs });
    await settle();
    h.scheduler.removeExecutor('A');
    await settle();
    expect(run.state()).toBe('resolved');
    expect(await run.promise).toEqual([{ partition: 0, shuffleId: 3, mapIndex: 1, executorId: 'A' }]);
    expect(h.log.flatMap((e) => (e.type === 'taskEnd' ? [[e.executorId, e.status]] : []))).toEqual([['B', 'fetchFailed']]);
  });

  it('retries a task that read a cached partition from it, without counting a failure (maxFailures 1)', async () => {
    let lost = false;
    const h = harness([new FakeExecutor('B', 1, (t) => (t.attempt === 0 ? null : ok))], { maxFailures: 1 });
    const cachedOnA: TaskInputs = { shuffle: [], cached: [[5, 0, remoteOnA('rdd_5_0')]], broadcasts: [] };
    const run = h.run([0], { stageId: 1, resolveInputs: () => (lost ? noInputs : cachedOnA) });
    await settle();
    lost = true;
    h.scheduler.removeExecutor('A');
    await settle();
    expect(run.state()).toBe('resolved');
    expect(await run.promise).toEqual([]);
    expect(h.log.flatMap((e) => (e.type === 'taskEnd' ? [[e.attempt, e.status]] : []))).toEqual([
      [0, 'failed'],
      [1, 'success'],
    ]);
  });

  it('leaves alone tasks that read nothing from it', async () => {
    const h = harness([new FakeExecutor('B')], { maxFailures: 1 });
    const run = h.run([0], { stageId: 1 });
    await settle();
    h.scheduler.removeExecutor('A');
    await settle();
    const task = h.executor('B').runningTask(0);
    expect(task.signal.aborted).toBe(false);
    task.finish(ok);
    expect(await run.promise).toEqual([]);
    expect(h.log.flatMap((e) => (e.type === 'taskEnd' ? [e.status] : []))).toEqual(['success']);
  });
});

describe('no executor left', () => {
  /** A's tasks end as executorLost when A is removed, as a RemoteExecutor's do. */
  function loseA(h: ReturnType<typeof harness>): void {
    h.scheduler.removeExecutor('A');
    for (const t of h.executor('A').running()) t.finish(executorLost);
  }

  it('announces the wait and fails the job after executorWaitTimeoutMs with a clear error', async () => {
    const h = harness([new FakeExecutor('A')], { maxFailures: 1, executorWaitTimeoutMs: 300 });
    const run = h.run([0, 1], { stageId: 1 });
    await settle();
    loseA(h);
    await settle();
    h.clock.advance(299);
    await settle();
    expect(run.state()).toBe('running');
    h.clock.advance(1);
    await settle();
    const err = run.error();
    expect(err).toBeInstanceOf(ExecutorWaitTimeoutError);
    expect((err as Error).message).toMatch(/no executors: tasks waited 0 s with 0 registered \(since .*\); start workers .*executorWaitTimeout/);
    const waits = h.log.flatMap((e) => (e.type === 'executorsWaiting' ? [e] : []));
    expect(waits).toHaveLength(1);
    expect(waits[0]?.registered).toBe(0);
    expect(waits[0]?.since).toBe(h.clock.now() - 300);
  });

  it('with executorWaitTimeoutMs 0 waits until an executor joins, then runs the tasks', async () => {
    const h = harness([new FakeExecutor('A')], { maxFailures: 1, executorWaitTimeoutMs: 0 });
    const run = h.run([0, 1], { stageId: 1 });
    await settle();
    loseA(h);
    await settle();
    h.clock.advance(24 * 3600_000);
    await settle();
    expect(run.succeeded).toEqual([]);
    expect(run.state()).toBe('running');
    expect(h.clock.pending()).toBe(0);
    const waits = (): number[] => h.log.flatMap((e) => (e.type === 'executorsWaiting' ? [e.registered] : []));
    expect(waits()).toEqual([0]);
    h.scheduler.addExecutor(new FakeExecutor('C', 1, () => ok));
    expect(await run.promise).toEqual([]);
    expect(run.succeeded.sort()).toEqual([0, 1]);
    expect(waits()).toEqual([0, 1]);
  });
});

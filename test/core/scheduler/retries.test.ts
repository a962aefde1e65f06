/**
 * The task scheduler's retries, on fake executors and a fake clock: a failed attempt runs again until
 * `maxFailures` attempts failed, then the task set fails with a TaskFailedError (attempts of a lost
 * executor do not count: exclusion.test.ts); an abort fails the running sets and every later one.
 */
import { describe, expect, it } from 'vitest';
import { JobAbortedError, TaskFailedError } from '../../../core/index.js';
import { FakeExecutor, broken, harness, ok, settle } from './fakes.js';

describe('retries', () => {
  it('runs a failed task again until it succeeds, each attempt numbered', async () => {
    const h = harness([new FakeExecutor('a', 1, (t) => (t.attempt < 2 ? broken : ok))], { maxFailures: 4 });
    const run = h.run([0]);
    await settle();
    expect(run.state()).toBe('resolved');
    expect(h.ends()).toEqual([
      [0, 0, 'a', 'failed'],
      [0, 1, 'a', 'failed'],
      [0, 2, 'a', 'success'],
    ]);
    expect(run.succeeded).toEqual([0]);
  });

  it('fails the task set with a TaskFailedError after maxFailures failed attempts, and launches no more', async () => {
    const h = harness([new FakeExecutor('a', 1, () => broken)], { maxFailures: 3 });
    const run = h.run([0]);
    await settle();
    expect(run.state()).toBe('rejected');
    const err = run.error();
    expect(err).toBeInstanceOf(TaskFailedError);
    expect(err).toMatchObject({ stageId: 0, partition: 0, attempts: 3 });
    expect((err as Error).message).toMatch(/^task for partition 0 of stage 0 failed 3 time\(s\); last error: Error: bad disk/);
    expect(h.executor('a').tasks).toHaveLength(3);
  });

  it('counts an input that cannot be resolved as a failed attempt', async () => {
    let calls = 0;
    const h = harness([new FakeExecutor('a', 1, () => ok)], { maxFailures: 4 });
    const run = h.run([0], {
      resolveInputs: () => {
        if (calls++ === 0) throw new Error('block gone');
        return { shuffle: [], cached: [], broadcasts: [] };
      },
    });
    await settle();
    expect(run.state()).toBe('resolved');
    expect(h.ends()).toEqual([
      [0, 0, 'a', 'failed'],
      [0, 1, 'a', 'success'],
    ]);
    expect(h.log.find((e) => e.type === 'taskEnd' && e.status === 'failed')).toMatchObject({ error: 'Error: block gone' });
  });

  it('fails a task set whose onSuccess throws, with that error', async () => {
    const h = harness([new FakeExecutor('a', 1, () => ok)]);
    const boom = new Error('cannot record');
    const run = h.run([0, 1], { onSuccess: () => { throw boom; } });
    await settle();
    expect(run.state()).toBe('rejected');
    expect(run.error()).toBe(boom);
  });
});

describe('abort', () => {
  it('fails running task sets at once and every later one, and ends their running tasks as killed', async () => {
    const h = harness([new FakeExecutor('a', 2)]);
    const run = h.run([0, 1, 2]);
    await settle();
    const reason = new JobAbortedError('the context was stopped while the job ran');
    h.scheduler.abortAll(reason);
    await settle();
    expect(run.state()).toBe('rejected');
    expect(run.error()).toBe(reason);
    await expect(h.run([0]).promise).rejects.toBe(reason);
    // Running tasks are left to end by themselves (Context.stop() ends the executors); they count as killed.
    for (const t of h.executor('a').running()) t.finish(ok);
    await settle();
    expect(h.ends()).toEqual([
      [0, 0, 'a', 'killed'],
      [1, 0, 'a', 'killed'],
    ]);
    expect(h.executor('a').tasks).toHaveLength(2);
  });
});

/**
 * The task scheduler with several executors: a failed task is retried on another executor, an executor
 * that keeps failing a stage's tasks is excluded from it, and tasks of a lost executor are retried
 * without counting as failures. Executors here are fakes that answer from a table at once.
 */
import { describe, expect, it } from 'vitest';
import type { TaskDescription, TaskOutcome } from '../../../core/executor/spi.js';
import { FakeExecutor, broken, executorLost, harness, ok, settle } from './fakes.js';

/** Runs `partitions` tasks to the end; every partition must be handed on once. Returns the taskEnd events. */
async function runSet(executors: FakeExecutor[], partitions: number, maxFailures = 4) {
  const h = harness(executors, { maxFailures });
  const run = h.run(Array.from({ length: partitions }, (_, i) => i));
  await settle();
  expect(run.state()).toBe('resolved');
  expect(new Set(run.succeeded).size).toBe(partitions);
  return h.log.flatMap((e) => (e.type === 'taskEnd' ? [e] : []));
}

const answering = (id: string, answer: (task: TaskDescription) => TaskOutcome): FakeExecutor => new FakeExecutor(id, 1, answer);

describe('task placement after failures', () => {
  it('retries a failed task on another executor, and excludes an executor after 2 failed tasks of the stage', async () => {
    const ends = await runSet([answering('bad', () => broken), answering('good', () => ok)], 12);
    const failed = ends.filter((e) => e.status === 'failed');
    expect(failed.every((e) => e.executorId === 'bad')).toBe(true);
    expect(failed.length).toBe(2);
    for (const f of failed) {
      const retry = ends.filter((e) => e.partition === f.partition && e.attempt > f.attempt);
      expect(retry.map((e) => [e.executorId, e.status])).toEqual([['good', 'success']]);
    }
  });

  it('keeps using the only executor there is, failures and all', async () => {
    const ends = await runSet([answering('only', (t) => (t.attempt < 2 ? broken : ok))], 3);
    expect(ends.filter((e) => e.status === 'failed')).toHaveLength(6);
    expect(ends.filter((e) => e.status === 'success')).toHaveLength(3);
  });

  it('does not count tasks of a lost executor as failures', async () => {
    const ends = await runSet([answering('flaky', (t) => (t.attempt < 3 ? executorLost : ok))], 4, 1);
    expect(ends.filter((e) => e.status === 'success')).toHaveLength(4);
  });
});

/**
 * The task scheduler with several executors: a failed task is retried on another executor, an executor
 * that keeps failing a stage's tasks is excluded from it, and tasks of a lost executor are retried
 * without counting as failures. Executors here are fakes that answer from a table.
 */
import { describe, expect, it } from 'vitest';
import { EventBus, type EventOf } from '../../core/index.js';
import type { Executor, StageWorkHandle, TaskDescription, TaskOutcome } from '../../core/executor/index.js';
import { TaskScheduler } from '../../core/scheduler/task-scheduler.js';

const ok: TaskOutcome = { status: 'success', result: null, shuffleOutput: null, cachePuts: [], accumulators: [], records: 0, metrics: [] };

function fake(id: string, answer: (task: TaskDescription) => TaskOutcome, cores = 1): Executor {
  return {
    id,
    cores,
    host: 'test',
    runTask: async (task) => {
      await new Promise((r) => setTimeout(r, 2));
      return answer(task);
    },
    stop: async () => {},
  };
}

const work = { id: 'w', live: null as never, encoded: () => ({ bytes: new Uint8Array(0), modules: [] }) } satisfies StageWorkHandle;
const noInputs = { shuffle: [], cached: [], broadcasts: [] };

async function runSet(executors: Executor[], partitions: number, maxFailures = 4): Promise<EventOf<'taskEnd'>[]> {
  const events = new EventBus();
  const ends: EventOf<'taskEnd'>[] = [];
  events.on('taskEnd', (e) => void ends.push(e));
  const scheduler = new TaskScheduler(executors, { maxFailures, speculation: false, speculationMultiplier: 1.5, speculationQuantile: 0.75, speculationMinMs: 100, executorWaitTimeoutMs: 0 }, events);
  const done = new Set<number>();
  await scheduler.runTaskSet({
    stageId: 0,
    stageAttempt: 0,
    partitions: Array.from({ length: partitions }, (_, i) => i),
    work,
    resolveInputs: () => noInputs,
    onSuccess: (p) => void done.add(p),
  });
  expect(done.size).toBe(partitions);
  return ends;
}

const broken: TaskOutcome = { status: 'failed', error: { name: 'Error', message: 'bad disk' } };

describe('task placement after failures', () => {
  it('retries a failed task on another executor, and excludes an executor after 2 failed tasks of the stage', async () => {
    const ends = await runSet([fake('bad', () => broken), fake('good', () => ok)], 12);
    const failed = ends.filter((e) => e.status === 'failed');
    expect(failed.every((e) => e.executorId === 'bad')).toBe(true);
    expect(failed.length).toBe(2);
    for (const f of failed) {
      const retry = ends.filter((e) => e.partition === f.partition && e.attempt > f.attempt);
      expect(retry.map((e) => [e.executorId, e.status])).toEqual([['good', 'success']]);
    }
  });

  it('keeps using the only executor there is, failures and all', async () => {
    const ends = await runSet([fake('only', (t) => (t.attempt < 2 ? broken : ok))], 3);
    expect(ends.filter((e) => e.status === 'failed')).toHaveLength(6);
    expect(ends.filter((e) => e.status === 'success')).toHaveLength(3);
  });

  it('does not count tasks of a lost executor as failures', async () => {
    const lost: TaskOutcome = { status: 'failed', error: { name: 'ExecutorLostError', message: 'worker gone', executorLost: true } };
    const ends = await runSet([fake('flaky', (t) => (t.attempt < 3 ? lost : ok))], 4, 1);
    expect(ends.filter((e) => e.status === 'success')).toHaveLength(4);
  });
});

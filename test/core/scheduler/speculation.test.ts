/**
 * Speculation, on fake executors and a fake clock: Spark's rule (once 75% of a set's tasks finished,
 * copy a task running longer than 1.5 x their median duration, and at least speculationMinMs), checked
 * every 50 ms of clock time; the copy goes to another executor when there is one, and the first attempt
 * to finish wins while the other is killed.
 */
import { describe, expect, it } from 'vitest';
import { FakeExecutor, harness, ok, settle } from './fakes.js';

/** Two executors of 2 cores, 4 partitions: a runs 0 and 1, b runs 2 and 3. */
function fourTasks(options: Parameters<typeof harness>[1] = {}) {
  const h = harness([new FakeExecutor('a', 2), new FakeExecutor('b', 2)], { speculation: true, ...options });
  const run = h.run([0, 1, 2, 3]);
  return { h, run, a: h.executor('a'), b: h.executor('b') };
}

/** Ends partitions 1, 2 and 3 after `ms` of clock time, leaving partition 0 running. */
async function othersFinishAfter(t: ReturnType<typeof fourTasks>, ms: number): Promise<void> {
  t.h.clock.advance(ms);
  t.a.runningTask(1).finish(ok);
  t.b.runningTask(2).finish(ok);
  t.b.runningTask(3).finish(ok);
  await settle();
}

/** Four tasks, partition 0 straggling on a with its copy running on b. */
async function withCopy(): Promise<ReturnType<typeof fourTasks>> {
  const t = fourTasks();
  await othersFinishAfter(t, 10);
  t.h.clock.advance(150);
  await settle();
  return t;
}

const copies = (t: ReturnType<typeof fourTasks>): number[] => t.h.log.flatMap((e) => (e.type === 'speculativeTask' ? [e.partition] : []));

describe('speculation', () => {
  it('copies a task once it ran longer than speculationMinMs, when that exceeds 1.5 x the median', async () => {
    const t = fourTasks();
    await othersFinishAfter(t, 10); // median 10 ms: the threshold is speculationMinMs, 100 ms
    t.h.clock.advance(90); // partition 0 has run 100 ms: not more than the threshold
    await settle();
    expect(copies(t)).toEqual([]);
    t.h.clock.advance(50);
    await settle();
    expect(copies(t)).toEqual([0]);
    expect(t.h.log.flatMap((e) => (e.type === 'taskStart' && e.partition === 0 ? [[e.attempt, e.executorId, e.speculative]] : []))).toEqual([
      [0, 'a', false],
      [1, 'b', true],
    ]);
  });

  it('copies a task once it ran longer than 1.5 x the median, when that exceeds speculationMinMs', async () => {
    const t = fourTasks();
    await othersFinishAfter(t, 200); // threshold 300 ms
    t.h.clock.advance(100); // 300 ms
    await settle();
    expect(copies(t)).toEqual([]);
    t.h.clock.advance(50);
    await settle();
    expect(copies(t)).toEqual([0]);
  });

  it('copies nothing before the quantile of tasks finished', async () => {
    const t = fourTasks();
    t.h.clock.advance(10);
    t.a.runningTask(1).finish(ok);
    t.b.runningTask(2).finish(ok); // 2 of 4: below floor(0.75 x 4) = 3
    await settle();
    t.h.clock.advance(10_000);
    await settle();
    expect(copies(t)).toEqual([]);
  });

  it('takes the copy that finishes first, kills the straggler, and hands on the partition once', async () => {
    const t = await withCopy();
    const straggler = t.a.runningTask(0);
    t.b.runningTask(0).finish(ok);
    await settle();
    expect(straggler.signal.aborted).toBe(true);
    expect(t.run.state()).toBe('resolved');
    expect(t.run.succeeded.filter((p) => p === 0)).toHaveLength(1);
    expect(t.h.ends().filter(([p]) => p === 0)).toEqual([
      [0, 1, 'b', 'success'],
      [0, 0, 'a', 'killed'],
    ]);
  });

  it('kills the copy when the straggler finishes first', async () => {
    const t = await withCopy();
    const copy = t.b.runningTask(0);
    t.a.runningTask(0).finish(ok);
    await settle();
    expect(copy.signal.aborted).toBe(true);
    expect(t.h.ends().filter(([p]) => p === 0)).toEqual([
      [0, 0, 'a', 'success'],
      [0, 1, 'b', 'killed'],
    ]);
  });

  it('copies a partition once, however long both attempts run', async () => {
    const t = fourTasks();
    await othersFinishAfter(t, 10);
    t.h.clock.advance(10_000);
    await settle();
    expect(copies(t)).toEqual([0]);
    expect(t.a.tasks.length + t.b.tasks.length).toBe(5);
  });

  it('with one executor, runs the copy on it', async () => {
    const h = harness([new FakeExecutor('only', 2)], { speculation: true });
    const run = h.run([0, 1, 2, 3]);
    const only = h.executor('only');
    h.clock.advance(10);
    only.runningTask(1).finish(ok);
    await settle(); // partition 2 starts
    only.runningTask(2).finish(ok);
    await settle(); // partition 3 starts
    only.runningTask(3).finish(ok);
    await settle();
    h.clock.advance(150);
    await settle();
    expect(only.running().map((x) => [x.task.partition, x.task.attempt, x.task.speculative])).toEqual([
      [0, 0, false],
      [0, 1, true],
    ]);
    const [straggler, copy] = only.running();
    copy?.finish(ok);
    await settle();
    expect(straggler?.signal.aborted).toBe(true);
    expect(run.state()).toBe('resolved');
  });

  it('sets no timer when speculation is off, and copies nothing', async () => {
    const t = fourTasks({ speculation: false });
    expect(t.h.clock.pending()).toBe(0);
    await othersFinishAfter(t, 10);
    t.h.clock.advance(10_000);
    await settle();
    expect(copies(t)).toEqual([]);
    expect(t.h.clock.pending()).toBe(0);
  });

  it('stops checking once no task set is left', async () => {
    const t = fourTasks();
    expect(t.h.clock.pending()).toBe(1);
    await othersFinishAfter(t, 10);
    t.a.runningTask(0).finish(ok);
    await settle();
    expect(t.run.state()).toBe('resolved');
    t.h.clock.advance(50);
    expect(t.h.clock.pending()).toBe(0);
  });
});

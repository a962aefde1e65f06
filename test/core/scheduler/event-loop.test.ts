/**
 * The task scheduler handles one event at a time: a public method called while an event is handled
 * (by an event-bus listener, say) posts an event that waits until the current one is done, so no
 * handler ever sees the state half-changed by another.
 */
import { describe, expect, it } from 'vitest';
import { JobAbortedError } from '../../../core/index.js';
import { FakeExecutor, harness, settle } from './fakes.js';

describe('the scheduler event loop', () => {
  it('finishes launching a task set before handling an abort posted by a taskStart listener', async () => {
    const h = harness([new FakeExecutor('a', 3)]);
    const reason = new JobAbortedError('stopped by a listener');
    let startsWhenAborted = -1;
    const off = h.events.on('taskStart', () => {
      off();
      h.scheduler.abortAll(reason);
      startsWhenAborted = h.log.filter((e) => e.type === 'taskStart').length;
    });
    const run = h.run([0, 1, 2, 3]);
    await settle();
    // The abort was posted during the first taskStart; the launch it interrupted still filled all 3 slots.
    expect(startsWhenAborted).toBe(1);
    expect(h.executor('a').tasks.map((t) => t.task.partition)).toEqual([0, 1, 2]);
    expect(run.error()).toBe(reason);
  });

  it('takes an executor added by a listener after the event that announced it', async () => {
    const h = harness([new FakeExecutor('a', 1)]);
    const b = new FakeExecutor('b', 1);
    let bTasksInListener = -1;
    const off = h.events.on('taskStart', () => {
      off();
      h.scheduler.addExecutor(b);
      bTasksInListener = b.tasks.length;
    });
    h.run([0, 1]);
    await settle();
    expect(bTasksInListener).toBe(0);
    expect(b.tasks.map((t) => t.task.partition)).toEqual([1]);
  });
});

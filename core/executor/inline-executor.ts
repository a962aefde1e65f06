/**
 * The `local` master: tasks run one at a time on the calling thread, on the driver's live RDDs, so
 * closures work and a debugger stops inside user functions. Other masters ship functions as source.
 */
import { hostname } from 'node:os';
import { errorToData } from '../error-data.js';
import type { Executor, TaskDescription, TaskOutcome } from './executor.js';
import { executeTask } from './run-task.js';

export class InlineExecutor implements Executor {
  readonly id = 'driver';
  readonly cores = 1;
  readonly host = hostname();

  async runTask(task: TaskDescription, signal: AbortSignal): Promise<TaskOutcome> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal.aborted) return { status: 'failed', error: { name: 'AbortError', message: 'task killed' } };
    try {
      const out = executeTask(task.work.live, task, task.inputs);
      return { status: 'success', ...out, shuffleOutput: out.shuffleOutput };
    } catch (err) {
      return { status: 'failed', error: errorToData(err) };
    }
  }

  async stop(): Promise<void> {}
}

/**
 * The `local[N]` master's executor: a piscina pool of N worker threads. Each task carries the stage's
 * encoded work (a SharedArrayBuffer, so posting it costs nothing) and refs to the blocks it reads.
 */
import { hostname } from 'node:os';
import type { Piscina } from 'piscina';
import { decode } from '../codec.js';
import { errorToData } from '../error-data.js';
import { registeredModules } from '../registry.js';
import { adoptThreadPool, startThreadPool } from './thread-pool.js';
import type { Executor, TaskDescription, TaskInputs, TaskOutcome } from './executor.js';

/** What crosses to a worker thread. */
export interface WorkerTaskMessage {
  readonly taskId: number;
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
  readonly workId: string;
  readonly work: Uint8Array;
  readonly modules: readonly string[];
  readonly inputs: TaskInputs;
}

/** What comes back. */
/** What comes back: a TaskOutcome whose result, accumulators and metrics travel encoded in `payload`. */
export type WorkerTaskReply =
  | (Omit<Extract<TaskOutcome, { status: 'success' }>, 'result' | 'accumulators' | 'metrics'> & { readonly payload: Uint8Array })
  | Extract<TaskOutcome, { status: 'failed' }>;

export class ThreadExecutor implements Executor {
  readonly host = hostname();
  private readonly pool: Piscina;

  constructor(
    readonly id: string,
    readonly cores: number,
  ) {
    // A pool the command started before loading the driver's modules (thread-pool.ts), else a new one.
    this.pool = adoptThreadPool(cores) ?? startThreadPool(cores, registeredModules());
    // piscina reports a result for a task it no longer tracks (one whose pool was destroyed, or that
    // was aborted, while its thread was posting) as an 'error' event, which throws on the driver when
    // nobody listens. Such a result belongs to a task the scheduler already gave up on: drop it.
    // Anything else the pool reports is surfaced as a warning.
    this.pool.on('error', (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (message.startsWith('Unexpected message from Worker')) return;
      process.emitWarning(`voxelflow worker pool ${id}: ${message.split('\n')[0]}`);
    });
  }

  async runTask(task: TaskDescription, signal: AbortSignal): Promise<TaskOutcome> {
    return decodeReply(await this.runEncoded(task, signal));
  }

  /**
   * Runs a task and returns the thread's reply as it came: result, accumulators and metrics still
   * encoded in `payload`, so that a cluster worker forwards them to the driver without decoding.
   */
  async runEncoded(task: TaskDescription, signal: AbortSignal): Promise<WorkerTaskReply> {
    const work = task.work.encoded();
    const msg: WorkerTaskMessage = {
      taskId: task.taskId,
      stageId: task.stageId,
      partition: task.partition,
      attempt: task.attempt,
      workId: task.work.id,
      work: work.bytes,
      modules: work.modules,
      inputs: task.inputs,
    };
    try {
      return (await this.pool.run(msg, { signal })) as WorkerTaskReply;
    } catch (err) {
      if (signal.aborted) return { status: 'failed', error: { name: 'AbortError', message: 'task killed' } };
      const data = errorToData(err);
      return { status: 'failed', error: { ...data, message: `worker thread died: ${data.message}` } };
    }
  }

  async stop(): Promise<void> {
    await this.pool.destroy();
  }
}

/** A thread's reply as a TaskOutcome: decodes the result, accumulators and metrics. */
export function decodeReply(reply: WorkerTaskReply): TaskOutcome {
  if (reply.status === 'failed') return reply;
  const { result, accumulators, metrics } = decode<{ result: unknown; accumulators: [number, unknown][]; metrics: [string, number][] }>(reply.payload);
  return { status: 'success', result, accumulators, shuffleOutput: reply.shuffleOutput, cachePuts: reply.cachePuts, records: reply.records, metrics };
}

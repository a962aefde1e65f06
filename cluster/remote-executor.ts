/**
 * The driver's handle on one worker: an Executor whose tasks go over gRPC (RunTask). The stage's
 * encoded work and each broadcast are sent once per worker (the worker caches them by id and asks
 * for a full resend if it lacks one).
 * A call that finds the worker unreachable marks it lost: its running tasks fail with
 * `executorLost` (retried elsewhere, not counted as failures) and the backend tells the context.
 */
import type * as grpc from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import type { Executor, TaskDescription, TaskOutcome, WorkerTaskReply } from '../core/executor/spi.js';
import { decode, decodeReply, encode } from '../core/executor/worker-kit.js';
import { VERSION } from './package-info.js';
import { executorService, TASK_MESSAGE_LIMIT, type RunTaskReply, type WorkerInfo } from './protocol.js';
import { clientFor, describeRpcError, isUnreachable, unary } from './rpc.js';
import type { WireTask } from './wire-task.js';

const MAX_SENT_WORKS = 64;
const NO_BYTES = new Uint8Array(0);

export class RemoteExecutor implements Executor {
  readonly id: string;
  readonly cores: number;
  readonly host: string;
  readonly memoryBytes: number;
  readonly address: string;
  private readonly client: grpc.Client;
  private readonly sentWorks = new Set<string>();
  /** Broadcasts this worker holds; later tasks name them without their bytes. */
  private readonly sentBroadcasts = new Set<number>();
  private lostReason: string | null = null;
  private leaving = false;
  private stopped = false;
  private readonly inFlight = new Set<AbortController>();

  constructor(
    info: WorkerInfo,
    private readonly appId: string,
    private readonly secret: string,
    credentials: grpc.ChannelCredentials,
    /** Called once when a call finds the worker unreachable. */
    private readonly onLost: (executorId: string, reason: string) => void,
    /** Called once when the worker refuses a task because it is leaving. */
    private readonly onLeaving: (executorId: string, reason: string) => void,
  ) {
    this.id = info.workerId;
    this.cores = info.cores;
    this.memoryBytes = info.memoryBytes;
    this.address = info.address;
    this.host = info.address.replace(/:\d+$/, '');
    this.client = clientFor(executorService, 'Executor', info.address, credentials, TASK_MESSAGE_LIMIT);
  }

  async runTask(task: TaskDescription, signal: AbortSignal): Promise<TaskOutcome> {
    if (this.lostReason !== null) return this.lostOutcome();
    const abort = new AbortController();
    const onAbort = (): void => abort.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.inFlight.add(abort);
    try {
      let reply = await this.call(task, this.payload(task, false), !this.sentWorks.has(task.work.id), abort.signal);
      if (reply.needWork) reply = await this.call(task, this.payload(task, true), true, abort.signal);
      if (reply.needWork) throw new Error(`worker ${this.id} keeps asking for the stage's work`);
      return decodeReply(decode<WorkerTaskReply>(reply.outcome));
    } catch (err) {
      if (signal.aborted) return { status: 'failed', error: { name: 'AbortError', message: 'task killed' } };
      if (this.lostReason !== null) return this.lostOutcome();
      if (isUnreachable(err)) {
        this.markLost(`unreachable at ${this.address} (${describeRpcError(err)})`);
        return this.lostOutcome();
      }
      const code = (err as Partial<grpc.ServiceError>).code;
      const message = `on worker ${this.id} (${this.address}): ${describeRpcError(err)}`;
      // The master's DRAINING notice may come after the worker's first refusal: stop sending now.
      if (code === status.ABORTED && !this.leaving) {
        this.leaving = true;
        this.onLeaving(this.id, 'leaving');
      }
      // A leaving worker refuses or hands back tasks: run them elsewhere without counting a failure.
      return { status: 'failed', error: { name: 'RemoteTaskError', message, executorLost: code === status.ABORTED } };
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.inFlight.delete(abort);
    }
  }

  /** The worker is gone: fail every running call now rather than wait for TCP to notice. */
  markLost(reason: string): void {
    if (this.lostReason !== null) return;
    this.lostReason = reason;
    for (const a of this.inFlight) a.abort();
    this.onLost(this.id, reason);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.lostReason === null) {
      try {
        await unary(this.client, executorService, 'EndApp', { appId: this.appId }, { secret: this.secret, deadlineMs: 2_000 });
      } catch {
        // the worker is gone or busy: it frees the app's blocks when it exits
      }
    }
    this.client.close();
  }

  /** The task's msgpack payload; broadcasts the worker already holds go without their bytes unless `full`. */
  private payload(task: TaskDescription, full: boolean): Uint8Array {
    const broadcasts = task.inputs.broadcasts.map(([id, bytes]) => [id, !full && this.sentBroadcasts.has(id) ? NO_BYTES : bytes] as const);
    for (const [id] of task.inputs.broadcasts) this.sentBroadcasts.add(id);
    const wire: WireTask = {
      taskId: task.taskId,
      stageId: task.stageId,
      stageAttempt: task.stageAttempt,
      partition: task.partition,
      attempt: task.attempt,
      speculative: task.speculative,
      shuffleId: task.work.live.shuffle?.shuffleId ?? null,
      inputs: { ...task.inputs, broadcasts },
    };
    return encode(wire);
  }

  private async call(task: TaskDescription, payload: Uint8Array, withWork: boolean, signal: AbortSignal): Promise<RunTaskReply> {
    const work = withWork ? task.work.encoded() : null;
    const request = {
      appId: this.appId,
      version: VERSION,
      workId: task.work.id,
      work: work?.bytes ?? new Uint8Array(0),
      modules: work?.modules ?? [],
      task: payload,
    };
    if (withWork) {
      if (this.sentWorks.size >= MAX_SENT_WORKS) this.sentWorks.delete(this.sentWorks.values().next().value as string);
      this.sentWorks.add(task.work.id);
    }
    return unary<RunTaskReply>(this.client, executorService, 'RunTask', request, { secret: this.secret, signal });
  }

  private lostOutcome(): TaskOutcome {
    return { status: 'failed', error: { name: 'ExecutorLostError', message: `worker ${this.id} was lost: ${this.lostReason ?? 'unknown'}`, executorLost: true } };
  }
}

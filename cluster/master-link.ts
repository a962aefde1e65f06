/**
 * A worker's tie to the master: registers (retrying while the master is unreachable), heartbeats,
 * registers again when the master forgot it, reports a leave, and gives up once the master has been
 * unreachable for the death timeout. A refusal (secret, version, bad request) ends it at once.
 */
import * as grpc from '@grpc/grpc-js';
import { masterService, type HeartbeatReply, type RegisterWorkerReply, type RegisterWorkerRequest } from './protocol.js';
import { describeRpcError, isUnreachable, unary } from './rpc.js';

/** What the link tells its worker. */
export interface MasterLinkHooks {
  registered(workerId: string): void;
  /** Drivers that disconnected: free their blocks. */
  endedApps(appIds: readonly string[]): void;
  /** The master refused this worker or has been unreachable past the death timeout: end, with this reason. */
  lost(reason: string): void;
  /** Running tasks (reported in heartbeats), and whether the worker would register again if forgotten. */
  runningTasks(): number;
  rejoins(): boolean;
}

export class MasterLink {
  /** The id the master gave this worker ('' until registered). */
  workerId = '';
  private lastContact = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly client: grpc.Client,
    /** The master's host:port, for messages. */
    private readonly master: string,
    private readonly secret: string,
    private readonly deathTimeoutMs: number,
    private readonly registration: RegisterWorkerRequest,
    private readonly hooks: MasterLinkHooks,
    private readonly log: (line: string) => void,
  ) {}

  /** Registers, retrying while the master is unreachable, then heartbeats. */
  async connect(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      try {
        const reply = await unary<RegisterWorkerReply>(this.client, masterService, 'RegisterWorker', this.registration, { secret: this.secret, deadlineMs: 5_000 });
        this.workerId = reply.workerId;
        this.lastContact = Date.now();
        this.hooks.registered(reply.workerId);
        this.beatEvery(reply.heartbeatIntervalMs);
        return;
      } catch (err) {
        if (!retryable(err)) return this.lose(`master ${this.master} refused to register this worker: ${describeRpcError(err)}`);
        if (this.gaveUp(err)) return;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /** Tells the master this worker drains (drivers stop sending it tasks) or has left. Best effort. */
  async tell(draining: boolean, reason: string): Promise<void> {
    if (this.workerId === '') return;
    try {
      await unary(this.client, masterService, 'LeaveWorker', { workerId: this.workerId, reason, draining }, { secret: this.secret, deadlineMs: 5_000 });
    } catch (err) {
      this.log(`could not tell the master that this worker ${draining ? 'drains' : 'left'}: ${describeRpcError(err)}`);
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.client.close();
  }

  private beatEvery(intervalMs: number): void {
    const beat = async (): Promise<void> => {
      this.timer = null;
      if (this.closed) return;
      try {
        const request = { workerId: this.workerId, runningTasks: this.hooks.runningTasks() };
        const reply = await unary<HeartbeatReply>(this.client, masterService, 'Heartbeat', request, { secret: this.secret, deadlineMs: Math.max(1_000, intervalMs * 2) });
        this.lastContact = Date.now();
        if (reply.endedApps.length > 0) this.hooks.endedApps(reply.endedApps);
        if (!reply.known && this.hooks.rejoins()) {
          this.log(`the master no longer knows ${this.workerId}; registering again`);
          return void this.connect();
        }
      } catch (err) {
        if (!retryable(err)) return this.lose(`master ${this.master} refused a heartbeat: ${describeRpcError(err)}`);
        if (this.gaveUp(err)) return;
      }
      if (!this.closed) this.timer = setTimeout(() => void beat(), intervalMs);
    };
    this.timer = setTimeout(() => void beat(), intervalMs);
  }

  /** Gives up when the master has been unreachable past the death timeout. */
  private gaveUp(err: unknown): boolean {
    const silent = Date.now() - this.lastContact;
    if (silent < this.deathTimeoutMs) return false;
    this.lose(`master ${this.master} unreachable for ${Math.round(silent / 1000)} s (death timeout ${this.deathTimeoutMs / 1000} s; last error ${describeRpcError(err)}); exiting`);
    return true;
  }

  private lose(reason: string): void {
    if (this.closed) return;
    this.hooks.lost(reason);
  }
}

/** Errors worth retrying: the master is down or slow. Refusals (secret, version, bad request) are final. */
function retryable(err: unknown): boolean {
  const code = (err as Partial<grpc.ServiceError>).code;
  return isUnreachable(err) || code === grpc.status.DEADLINE_EXCEEDED || code === grpc.status.CANCELLED || code === grpc.status.RESOURCE_EXHAUSTED;
}

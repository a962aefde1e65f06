/**
 * The driver's side of `voxelflow://HOST:PORT`: watches the master's membership stream and turns it
 * into executors for the context (ADDED → a RemoteExecutor that takes tasks at once, DRAINING → no
 * new tasks, REMOVED → lost, its blocks recomputed from lineage when needed). The scheduler stays in
 * the driver, as in Spark; the master only says who is there. If the stream breaks, the backend
 * reconnects and reconciles with the master's fresh snapshot.
 */
import { randomBytes } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { ConfigError, type ContextOptions } from '../core/index.js';
import type { ExecutorHost, SchedulerBackend } from '../core/executor/spi.js';
import { resolveSecret } from './auth.js';
import { parseMasterAddress } from './master-address.js';
import { VERSION } from './package-info.js';
import { MASTER_MESSAGE_LIMIT, masterService, type ClusterEvent, type WorkerInfo } from './protocol.js';
import { RemoteExecutor } from './remote-executor.js';
import { channelCredentials, clientFor, describeRpcError, serverStream } from './rpc.js';

/** How long a driver waits for its master by default (ContextOptions.connectTimeout). */
const CONNECT_TIMEOUT_MS = 10_000;

export class ClusterBackend implements SchedulerBackend {
  readonly executors: RemoteExecutor[];
  readonly defaultParallelism: number;
  private readonly live = new Map<string, RemoteExecutor>();
  private host: ExecutorHost | null = null;
  private readonly queued: ClusterEvent[] = [];
  private stream: grpc.ClientReadableStream<unknown> | null = null;
  private stopped = false;
  private snapshot: Set<string> | null = null;

  private constructor(
    readonly url: string,
    private readonly client: grpc.Client,
    private readonly secret: string,
    private readonly credentials: grpc.ChannelCredentials,
    private readonly appId: string,
    private readonly appName: string,
    initial: readonly WorkerInfo[],
  ) {
    for (const info of initial) this.live.set(info.workerId, this.executorFor(info));
    this.executors = [...this.live.values()];
    this.defaultParallelism = Math.max(2, this.executors.reduce((n, e) => n + e.cores, 0));
  }

  /** Connects to the master and waits for its list of workers. */
  static async connect(url: string, options: ContextOptions): Promise<ClusterBackend> {
    const address = parseMasterAddress(url, 'master');
    const secret = resolveSecret({ secret: options.secret }, "pass Context.create({ secret }) or set VOXELFLOW_SECRET to the cluster's secret");
    const credentials = channelCredentials(options.tls);
    const client = clientFor(masterService, 'Master', address, credentials, MASTER_MESSAGE_LIMIT);
    const appName = options.appName ?? 'voxelflow';
    const appId = `${appName.replace(/[^\w.-]/g, '_').slice(0, 60)}-${randomBytes(6).toString('hex')}`;
    const request = { appName, version: VERSION, appId };
    // A master started at the same moment as this driver (a script, a batch job) may not listen yet:
    // wait for it up to the connect timeout instead of failing on the first refused connection.
    const first = serverStream(client, masterService, 'WatchCluster', request, { secret, waitForReady: true });
    let initial: WorkerInfo[];
    try {
      initial = await snapshotOf(first, url, options.connectTimeout ?? CONNECT_TIMEOUT_MS);
    } catch (err) {
      first.cancel();
      client.close();
      throw err;
    }
    const backend = new ClusterBackend(url, client, secret, credentials, appId, appName, initial);
    backend.follow(first);
    return backend;
  }

  start(host: ExecutorHost): void {
    this.host = host;
    for (const e of this.queued.splice(0)) this.apply(e);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stream?.cancel();
    await Promise.all([...this.live.values()].map((e) => e.stop()));
    this.client.close();
  }

  private executorFor(info: WorkerInfo): RemoteExecutor {
    return new RemoteExecutor(
      info,
      this.appId,
      this.secret,
      this.credentials,
      (id, reason) => this.lose(id, reason),
      (id, reason) => this.host?.retireExecutor(id, reason),
    );
  }

  private follow(stream: grpc.ClientReadableStream<unknown>): void {
    this.stream = stream;
    stream.on('data', (e: ClusterEvent) => {
      if (this.host === null) this.queued.push(e);
      else this.apply(e);
    });
    stream.on('error', () => this.reconnect());
    stream.on('end', () => this.reconnect());
    stream.resume();
  }

  private apply(e: ClusterEvent): void {
    const host = this.host as ExecutorHost;
    if (e.kind === 'SYNCED') {
      // After a reconnect: workers the master no longer lists are gone.
      if (this.snapshot !== null) for (const id of [...this.live.keys()]) if (!this.snapshot.has(id)) this.lose(id, 'no longer known to the master');
      this.snapshot = null;
      return;
    }
    const info = e.worker;
    if (info === null) return;
    if (e.kind === 'ADDED') {
      this.snapshot?.add(info.workerId);
      if (this.live.has(info.workerId)) return;
      const ex = this.executorFor(info);
      this.live.set(info.workerId, ex);
      host.addExecutor(ex);
    } else if (e.kind === 'DRAINING') {
      host.retireExecutor(info.workerId, e.reason);
    } else {
      this.live.get(info.workerId)?.markLost(e.reason);
      this.lose(info.workerId, e.reason);
    }
  }

  private lose(executorId: string, reason: string): void {
    const ex = this.live.get(executorId);
    if (ex === undefined) return;
    this.live.delete(executorId);
    ex.markLost(reason);
    this.host?.removeExecutor(executorId, reason);
  }

  private reconnect(): void {
    if (this.stopped) return;
    this.stream = null;
    setTimeout(() => {
      if (this.stopped) return;
      this.snapshot = new Set();
      const stream = serverStream(this.client, masterService, 'WatchCluster', { appName: this.appName, version: VERSION, appId: this.appId }, { secret: this.secret });
      this.follow(stream);
    }, 1_000).unref();
  }
}

/** Reads ADDED events up to SYNCED; rejects with a clear reason when the master refuses or is unreachable. */
function snapshotOf(stream: grpc.ClientReadableStream<unknown>, url: string, timeoutMs: number): Promise<WorkerInfo[]> {
  return new Promise((resolve, reject) => {
    const workers = new Map<string, WorkerInfo>();
    const timer = setTimeout(() => {
      cleanup();
      reject(new ConfigError('master', `cannot reach the master at ${url} within ${timeoutMs / 1000} s; is 'voxelflow master' running there? (connectTimeout waits longer)`));
    }, timeoutMs);
    const onData = (e: ClusterEvent): void => {
      if (e.kind === 'ADDED' && e.worker !== null) workers.set(e.worker.workerId, e.worker);
      else if (e.kind === 'REMOVED' && e.worker !== null) workers.delete(e.worker.workerId);
      else if (e.kind === 'SYNCED') {
        // Hold later events in the stream until the backend follows it.
        stream.pause();
        cleanup();
        resolve([...workers.values()]);
      }
    };
    const onError = (err: unknown): void => {
      cleanup();
      const code = (err as Partial<grpc.ServiceError>).code;
      if (code === status.UNAUTHENTICATED) {
        reject(new ConfigError('secret', `the master at ${url} refused this driver: ${describeRpcError(err)}; use the cluster's secret (Context option secret or VOXELFLOW_SECRET)`));
      } else if (code === status.UNAVAILABLE) {
        reject(new ConfigError('master', `cannot reach the master at ${url} (${describeRpcError(err)}); is 'voxelflow master' running there?`));
      } else {
        reject(new ConfigError('master', `the master at ${url} refused this driver: ${describeRpcError(err)}`));
      }
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('error', onError);
    };
    stream.on('data', onData);
    stream.on('error', onError);
    stream.on('error', () => {}); // after the snapshot, errors are the follower's; never unhandled
  });
}

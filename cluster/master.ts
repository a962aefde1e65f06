/**
 * The master: a registry and broker, like Spark's standalone master. Workers register, heartbeat and
 * leave; a worker whose heartbeats stop for `workerTimeoutMs` is declared lost. Drivers watch the
 * membership (WatchCluster) and send tasks to workers directly: task payloads, results and blocks
 * never pass through the master, so it stays small and is not a bottleneck. A bad call gets an error
 * status and a log line; nothing a caller sends can crash the master.
 */
import * as grpc from '@grpc/grpc-js';
import { ConfigError } from '../core/index.js';
import { AuthGuard, MASTER_IDENTITY } from './auth.js';
import { VERSION } from './package-info.js';
import { masterService, REQUEST_LIMITS, type ClusterEvent, type HeartbeatRequest, type LeaveWorkerRequest, type RegisterWorkerRequest, type WatchClusterRequest, type WorkerInfo } from './protocol.js';
import { bind, RpcError, serverCredentials, type TlsFiles } from './rpc.js';
import { secureServer } from './secure-server.js';

/** Options of startMaster. */
export interface MasterOptions {
  /** Interface to listen on; default 127.0.0.1 (loopback). Binding wider is explicit. */
  readonly host?: string;
  /** Port; default 7077, 0 for any free port. */
  readonly port?: number;
  /** The cluster's shared secret: every request must prove it (HMAC; the secret never travels). */
  readonly secret: string;
  /** A worker silent for this long is declared lost; default 10 000 ms. */
  readonly workerTimeoutMs?: number;
  /** Certificate and key to serve TLS (default plain gRPC). */
  readonly tls?: TlsFiles;
  /** Where log lines go; default stderr. */
  readonly log?: (line: string) => void;
  /** Hears every membership change the watching drivers hear (the master's dashboard listens here). */
  readonly onClusterEvent?: (event: ClusterEvent) => void;
}

interface WorkerEntry {
  readonly info: WorkerInfo;
  lastHeartbeat: number;
  draining: boolean;
  /** Sequence number of the last ended app this worker was told about. */
  endedSeen: number;
}

/** Drivers remembered after they disconnect, so that every worker hears of them once. */
const MAX_ENDED_APPS = 1000;

/** A running master. */
export class Master {
  private readonly workers = new Map<string, WorkerEntry>();
  private readonly watchers = new Set<grpc.ServerWritableStream<unknown, unknown>>();
  private nextWorker = 1;
  private readonly endedApps: { readonly seq: number; readonly appId: string }[] = [];
  private endedSeq = 0;
  private timer: NodeJS.Timeout | null = null;
  private onClusterEvent: ((event: ClusterEvent) => void) | null = null;

  private constructor(
    private readonly server: grpc.Server,
    /** The interface it listens on. */
    readonly host: string,
    /** The port it listens on (the chosen one when asked for 0). */
    readonly port: number,
    /** A worker silent for this long (ms) is declared lost. */
    readonly workerTimeoutMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts a master; resolves once it listens. */
  static async start(options: MasterOptions): Promise<Master> {
    const host = options.host ?? '127.0.0.1';
    const timeout = options.workerTimeoutMs ?? 10_000;
    if (!(timeout >= 100)) throw new ConfigError('workerTimeoutMs', `workerTimeoutMs must be >= 100, got ${timeout}`);
    const log = options.log ?? ((line: string) => console.error(`voxelflow master: ${line}`));
    let master: Master | null = null;
    const handlers = {
      RegisterWorker: async (req: RegisterWorkerRequest) => (master as Master).register(req),
      Heartbeat: async (req: HeartbeatRequest) => (master as Master).heartbeat(req),
      LeaveWorker: async (req: LeaveWorkerRequest) => (master as Master).leave(req),
      WatchCluster: (req: WatchClusterRequest, call: grpc.ServerWritableStream<unknown, unknown>) => (master as Master).watch(req, call),
    };
    const guard = new AuthGuard(options.secret, () => MASTER_IDENTITY);
    const server = secureServer({ def: masterService, handlers, guard, limits: REQUEST_LIMITS, log });
    const port = await bind(server, host, options.port ?? 7077, serverCredentials(options.tls));
    master = new Master(server, host, port, timeout, log);
    master.onClusterEvent = options.onClusterEvent ?? null;
    master.timer = setInterval(() => (master as Master).checkLiveness(), Math.max(50, Math.floor(timeout / 4)));
    return master;
  }

  /** `voxelflow://HOST:PORT`, what drivers and workers are given. */
  get url(): string {
    return `voxelflow://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  /** Live workers (for status output and tests). */
  liveWorkers(): WorkerInfo[] {
    return [...this.workers.values()].map((w) => w.info);
  }

  /** Stops the lost-worker check, ends the drivers' watch streams and shuts the server down once open calls finish. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const w of this.watchers) w.end();
    this.watchers.clear();
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }

  private register(req: RegisterWorkerRequest): { workerId: string; heartbeatIntervalMs: number } {
    checkVersion('worker', req.version);
    if (!/^[^\s:]+:\d{1,5}$/.test(req.address) && !/^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(req.address)) {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `worker address must be HOST:PORT, got '${req.address.slice(0, 80)}'`);
    }
    if (!(req.cores >= 1 && req.cores <= 4096)) throw new RpcError(grpc.status.INVALID_ARGUMENT, `worker cores must be 1..4096, got ${req.cores}`);
    const name = req.name.replace(/[^\w.@+-]/g, '_').slice(0, 100) || 'worker';
    const workerId = `${name}-${this.nextWorker++}`;
    const info: WorkerInfo = { workerId, name, address: req.address, cores: req.cores, memoryBytes: req.memoryBytes };
    this.workers.set(workerId, { info, lastHeartbeat: Date.now(), draining: false, endedSeen: this.endedSeq });
    this.log(`worker ${workerId} registered: ${req.address}, ${req.cores} core(s)`);
    this.broadcast({ kind: 'ADDED', worker: info, reason: '' });
    return { workerId, heartbeatIntervalMs: Math.max(50, Math.floor(this.workerTimeoutMs / 4)) };
  }

  private heartbeat(req: HeartbeatRequest): { known: boolean; endedApps: string[] } {
    const w = this.workers.get(req.workerId);
    if (w === undefined) return { known: false, endedApps: [] };
    w.lastHeartbeat = Date.now();
    const ended = this.endedApps.filter((e) => e.seq > w.endedSeen).map((e) => e.appId);
    w.endedSeen = this.endedSeq;
    return { known: true, endedApps: ended };
  }

  private leave(req: LeaveWorkerRequest): Record<string, never> {
    const w = this.workers.get(req.workerId);
    if (w === undefined) return {};
    const reason = (req.reason || 'left').slice(0, 200);
    if (req.draining) {
      if (!w.draining) {
        w.draining = true;
        this.log(`worker ${req.workerId} is draining: ${reason}`);
        this.broadcast({ kind: 'DRAINING', worker: w.info, reason });
      }
    } else {
      this.remove(req.workerId, `left: ${reason}`);
    }
    return {};
  }

  private watch(req: WatchClusterRequest, call: grpc.ServerWritableStream<unknown, unknown>): Promise<void> {
    checkVersion('driver', req.version);
    // A driver that reconnects after a broken stream is not over: forget that it ended.
    const ended = this.endedApps.findIndex((e) => e.appId === req.appId);
    if (ended >= 0) this.endedApps.splice(ended, 1);
    return new Promise((resolve) => {
      const app = req.appName.slice(0, 100) || 'driver';
      this.log(`driver '${app}' connected from ${call.getPeer()}`);
      for (const w of this.workers.values()) {
        call.write({ kind: 'ADDED', worker: w.info, reason: '' } satisfies ClusterEvent);
        if (w.draining) call.write({ kind: 'DRAINING', worker: w.info, reason: 'draining' } satisfies ClusterEvent);
      }
      call.write({ kind: 'SYNCED', worker: null, reason: '' } satisfies ClusterEvent);
      this.watchers.add(call);
      const done = (): void => {
        if (!this.watchers.delete(call)) return;
        this.log(`driver '${app}' disconnected`);
        if (req.appId !== '') {
          this.endedApps.push({ seq: ++this.endedSeq, appId: req.appId.slice(0, 100) });
          if (this.endedApps.length > MAX_ENDED_APPS) this.endedApps.shift();
        }
        resolve();
      };
      call.on('cancelled', done);
      call.on('close', done);
      call.on('error', done);
    });
  }

  private checkLiveness(): void {
    const now = Date.now();
    for (const [id, w] of [...this.workers]) {
      const silent = now - w.lastHeartbeat;
      if (silent > this.workerTimeoutMs) this.remove(id, `lost: no heartbeat for ${(silent / 1000).toFixed(1)} s`);
    }
  }

  private remove(workerId: string, reason: string): void {
    const w = this.workers.get(workerId);
    if (w === undefined) return;
    this.workers.delete(workerId);
    this.log(`worker ${workerId} removed (${reason})`);
    this.broadcast({ kind: 'REMOVED', worker: w.info, reason });
  }

  private broadcast(event: ClusterEvent): void {
    this.onClusterEvent?.(event);
    for (const call of this.watchers) call.write(event);
  }
}

function checkVersion(who: 'worker' | 'driver', version: string): void {
  if (version === VERSION) return;
  throw new RpcError(
    grpc.status.FAILED_PRECONDITION,
    `version mismatch: the ${who} runs voxelflow ${version.slice(0, 40) || '(unknown)'} but the master runs ${VERSION}; run the same voxelflow version on the master, the workers and the drivers`,
  );
}

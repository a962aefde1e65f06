/**
 * A worker process: serves the Executor service (RunTask, FetchBlocks, EndApp) on its own port, runs
 * tasks in a worker-thread pool (core's ThreadExecutor), keeps its map outputs and cached blocks, and
 * stays registered with the master (MasterLink). It gives up, with a one-line reason, when the
 * master has been unreachable for the death timeout; it leaves cleanly (drain, tell the master, exit 0)
 * when asked to, by a signal or at the end of its lifetime.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ConfigError } from '../core/index.js';
import type { BlockLocation } from '../core/executor/spi.js';
import { ThreadExecutor } from '../core/executor/worker-kit.js';
import { AuthGuard } from './auth.js';
import { BlockFetcher } from './block-fetcher.js';
import { VERSION } from './package-info.js';
import {
  BLOCK_CHUNK,
  executorService,
  MASTER_MESSAGE_LIMIT,
  masterService,
  REQUEST_LIMITS,
  TASK_MESSAGE_LIMIT,
  type EndAppRequest,
  type FetchBlocksRequest,
  type RegisterWorkerRequest,
  type RunTaskRequest,
} from './protocol.js';
import { bind, channelCredentials, clientFor, RpcError, serverCredentials, type TlsFiles } from './rpc.js';
import { secureServer } from './secure-server.js';
import { MasterLink } from './master-link.js';
import { TaskRunner } from './task-runner.js';

/** Options of Worker.start. */
export interface WorkerOptions {
  /** The master's `host:port`. */
  readonly master: string;
  /** The cluster's shared secret (the master's). */
  readonly secret: string;
  /** Interface the worker's own service listens on; default 127.0.0.1. */
  readonly host?: string;
  /** The host drivers and peers dial for this worker; default `host`, or the hostname when `host` is a wildcard. */
  readonly advertiseHost?: string;
  /** Port of the worker's service; default 0 (any free port). */
  readonly port?: number;
  /** Worker threads; default all cores. */
  readonly cores?: number;
  /** Block-store budget in bytes per driver; default 4 GiB. */
  readonly memory?: number;
  /** Name shown by the master and the dashboard (default `hostname-pid`); the master makes the worker id from it. */
  readonly name?: string;
  /** Give up after the master has been unreachable this long; default 60 000 ms. */
  readonly deathTimeoutMs?: number;
  /** Where blocks spill; default a fresh folder in the OS temp dir. Removed at exit. */
  readonly workDir?: string;
  /** How long a leaving worker lets running tasks finish before it hands them back; default 30 000 ms. */
  readonly drainTimeoutMs?: number;
  /** Leave by itself after this long (batch wall-clock limits), earlier by up to `lifetimeStaggerMs`. */
  readonly lifetimeMs?: number;
  /** Random spread subtracted from `lifetimeMs` so workers of one batch do not all leave at once (default 0). */
  readonly lifetimeStaggerMs?: number;
  /** Certificate, key and CA for TLS to the master, drivers and peers (default plain gRPC). */
  readonly tls?: TlsFiles;
  /** Where log lines go; default stderr. */
  readonly log?: (line: string) => void;
}

/** How a worker ended: 0 after a clean leave, 1 when it gave up on the master. */
export interface WorkerExit {
  /** The process exit code: 0 after a clean leave, 1 when it gave up on the master. */
  readonly code: number;
  /** Why it ended, in one line. */
  readonly reason: string;
}

/** A worker process's service: runs tasks for drivers in a thread pool and stays registered with the master until it leaves or gives up. */
export class Worker {
  /** Its name (options.name or `hostname-pid`, with odd characters replaced). */
  readonly name: string;
  /** Resolves when the worker has ended (its server closed, threads stopped). */
  readonly finished: Promise<WorkerExit>;
  private endWith!: (exit: WorkerExit) => void;
  private address = '';
  private running = 0;
  private readonly aborts = new Set<AbortController>();
  private draining = false;
  private ended = false;
  private lifetimeTimer: NodeJS.Timeout | null = null;
  private readonly link: MasterLink;
  private readonly registration: { -readonly [K in keyof RegisterWorkerRequest]: RegisterWorkerRequest[K] };
  private readonly threads: ThreadExecutor;
  private readonly fetcher: BlockFetcher;
  private readonly runner: TaskRunner;
  private readonly server: grpc.Server;
  private readonly workDir: string;
  private readonly log: (line: string) => void;

  private constructor(private readonly options: WorkerOptions) {
    this.name = (options.name ?? `${hostname()}-${process.pid}`).replace(/[^\w.@+-]/g, '_');
    this.log = options.log ?? ((line: string) => console.error(`voxelflow worker ${this.name}: ${line}`));
    this.finished = new Promise((resolve) => (this.endWith = resolve));
    const creds = channelCredentials(options.tls);
    this.workDir = makeWorkDir(options.workDir ?? tmpdir());
    this.threads = new ThreadExecutor(this.name, options.cores ?? availableParallelism());
    // The address is filled in once the server is bound, before the link registers.
    this.registration = { name: this.name, address: '', cores: this.threads.cores, memoryBytes: options.memory ?? 4 * 1024 ** 3, version: VERSION };
    this.link = new MasterLink(clientFor(masterService, 'Master', options.master, creds, MASTER_MESSAGE_LIMIT), options.master, options.secret, options.deathTimeoutMs ?? 60_000, this.registration, {
      registered: (id) => this.registered(id),
      endedApps: (ids) => {
        for (const appId of ids) if (this.runner.endApp(appId)) this.log(`freed the blocks of app ${appId}: its driver disconnected`);
      },
      lost: (reason) => void this.end({ code: 1, reason }),
      runningTasks: () => this.running,
      rejoins: () => !this.draining,
    }, this.log);
    this.fetcher = new BlockFetcher(options.secret, creds);
    this.runner = new TaskRunner(this.threads, this.fetcher, options.memory ?? 4 * 1024 ** 3, this.workDir, () => this.location());
    const handlers = {
      RunTask: (req: RunTaskRequest, call: grpc.ServerUnaryCall<unknown, unknown>) => this.runTask(req, call),
      FetchBlocks: (req: FetchBlocksRequest, call: grpc.ServerWritableStream<unknown, unknown>) => this.fetchBlocks(req, call),
      EndApp: async (req: EndAppRequest) => {
        this.runner.endApp(req.appId);
        return {};
      },
    };
    // Proofs name this worker by its advertised address, known once bound ('' refuses every call until then).
    const guard = new AuthGuard(options.secret, () => this.address);
    this.server = secureServer({ def: executorService, handlers, guard, limits: REQUEST_LIMITS, log: this.log }, { 'grpc.max_send_message_length': TASK_MESSAGE_LIMIT });
  }

  /** Starts serving and registers with the master (retrying until the death timeout). */
  static async start(options: WorkerOptions): Promise<Worker> {
    const w = new Worker(options);
    try {
      const host = options.host ?? '127.0.0.1';
      const port = await bind(w.server, host, options.port ?? 0, serverCredentials(options.tls));
      const advertised = options.advertiseHost ?? (host === '0.0.0.0' || host === '::' ? hostname() : host);
      w.address = advertised.includes(':') ? `[${advertised}]:${port}` : `${advertised}:${port}`;
      w.registration.address = w.address;
    } catch (err) {
      await w.shutdown();
      throw err;
    }
    void w.link.connect();
    return w;
  }

  /** Where this worker serves blocks, under the id the master gave it. */
  location(): BlockLocation {
    return { executorId: this.link.workerId, address: this.address };
  }

  /** The worker id the master assigned when it registered. */
  get id(): string {
    return this.link.workerId;
  }

  /** Leaves cleanly: no new tasks, running ones finish (or are handed back after the drain timeout), the master is told, exit code 0. */
  async leave(reason: string): Promise<void> {
    if (this.draining || this.ended) return;
    this.draining = true;
    this.log(`leaving (${reason}): finishing ${this.running} running task(s)`);
    await this.link.tell(true, reason);
    const grace = this.options.drainTimeoutMs ?? 30_000;
    const deadline = Date.now() + grace;
    while (this.running > 0 && Date.now() < deadline) await sleep(50);
    if (this.running > 0) {
      this.log(`${this.running} task(s) still running after ${grace / 1000} s; handing them back`);
      for (const a of this.aborts) a.abort();
      while (this.running > 0) await sleep(20);
    }
    await this.link.tell(false, reason);
    await this.end({ code: 0, reason: `left (${reason})` });
  }

  private registered(workerId: string): void {
    this.log(`registered with master ${this.options.master} as ${workerId}; serving on ${this.address}`);
    const lifetime = this.options.lifetimeMs;
    if (lifetime === undefined || this.lifetimeTimer !== null) return;
    const at = Math.max(0, lifetime - Math.random() * (this.options.lifetimeStaggerMs ?? 0));
    this.lifetimeTimer = setTimeout(() => void this.leave('lifetime reached'), at);
  }

  private async runTask(req: RunTaskRequest, call: grpc.ServerUnaryCall<unknown, unknown>): Promise<unknown> {
    if (req.version !== VERSION) {
      throw new RpcError(grpc.status.FAILED_PRECONDITION, `version mismatch: the driver runs voxelflow ${req.version.slice(0, 40)} but worker ${this.name} runs ${VERSION}; run the same version everywhere`);
    }
    if (this.draining || this.ended) throw new RpcError(grpc.status.ABORTED, `worker ${this.link.workerId} is leaving; run the task elsewhere`);
    const abort = new AbortController();
    call.on('cancelled', () => abort.abort());
    this.running++;
    this.aborts.add(abort);
    try {
      const reply = await this.runner.run(req, abort.signal);
      if (abort.signal.aborted && this.draining) throw new RpcError(grpc.status.ABORTED, `worker ${this.link.workerId} is leaving and handed the task back`);
      return reply;
    } finally {
      this.aborts.delete(abort);
      this.running--;
    }
  }

  private async fetchBlocks(req: FetchBlocksRequest, call: grpc.ServerWritableStream<unknown, unknown>): Promise<void> {
    if (req.blockIds.length > 100_000) throw new RpcError(grpc.status.INVALID_ARGUMENT, `too many blocks in one request (${req.blockIds.length})`);
    const empty = new Uint8Array(0);
    for (let index = 0; index < req.blockIds.length; index++) {
      if (call.cancelled) return;
      const bytes = this.runner.blockBytes(req.appId, req.blockIds[index] as string);
      if (bytes === null) {
        call.write({ index, data: empty, total: 0, missing: true });
        continue;
      }
      for (let start = 0; start === 0 || start < bytes.length; start += BLOCK_CHUNK) {
        const data = bytes.subarray(start, Math.min(bytes.length, start + BLOCK_CHUNK));
        // Respect flow control: wait for the stream to drain before queueing more.
        if (!call.write({ index, data, total: start === 0 ? bytes.length : 0, missing: false })) await new Promise((resolve) => call.once('drain', resolve));
        if (bytes.length === 0) break;
      }
    }
  }

  private async end(exit: WorkerExit): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.shutdown();
    this.endWith(exit);
  }

  private async shutdown(): Promise<void> {
    if (this.lifetimeTimer !== null) clearTimeout(this.lifetimeTimer);
    this.link.close();
    for (const a of this.aborts) a.abort();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 2_000);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    this.fetcher.close();
    this.runner.stop();
    await this.threads.stop();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** A fresh folder for this worker's blocks inside `parent` (made if missing). */
function makeWorkDir(parent: string): string {
  try {
    mkdirSync(parent, { recursive: true });
    return mkdtempSync(join(parent, 'voxelflow-worker-'));
  } catch (err) {
    throw new ConfigError('workDir', `--work-dir: cannot make a folder in '${parent}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); pass a writable directory`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `Context.create({ master: 'sge', sge: { workers: 4, cores: 2, walltime: '01:00:00' } })`: an embedded
 * master in the driver, N workers submitted as one Grid Engine array job, and the context ready as soon
 * as the first worker registers (the others join as the scheduler starts them). At `ctx.stop()` (or
 * Ctrl-C) whatever is left is `qdel`ed; with `-notify` workers get SIGUSR2 first and leave cleanly.
 *
 * With `minWorkers`/`maxWorkers` the array grows while tasks wait and shrinks when workers idle (see
 * adaptive.ts). The state of the jobs (pending, running, draining, finished) is posted on the event bus
 * as `batchJobs` events; the CLI's progress line shows it.
 *
 * Where the master listens: loopback by default, which is right for a single host. Workers on other
 * hosts need `host: '0.0.0.0'` (or an interface) and `advertise`: the name they reach this host by.
 * The secret (the context's, VOXELFLOW_SECRET, or a fresh random one) goes to workers in a 0600 file
 * under `~/.voxelflow` (home folders are shared on batch clusters), removed at stop.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type ContextOptions } from '../../core/index.js';
import type { ExecutorHost, SchedulerBackend } from '../../core/executor/spi.js';
import { ClusterBackend } from '../cluster-backend.js';
import { Master } from '../master.js';
import type { RemoteExecutor } from '../remote-executor.js';
import { BatchError, type BatchJob, type BatchLauncher } from './batch-launcher.js';
import { scale } from './adaptive.js';
import { jobNameFor, jobOptions, type JobOptions, type JobOptionsInput } from './job-options.js';
import { logDirOf, type JobTarget } from './job-script.js';
import { SgeLauncher } from './sge-launcher.js';

/** `sge` options of Context.create: the job options plus how many workers and where the master listens. */
export interface SgeOptions extends JobOptionsInput {
  /** Workers to submit at the start (default 2; with maxWorkers, default minWorkers or 1). */
  readonly workers?: number;
  /** Adaptive scaling: never fewer started or queued than this (default 0 when maxWorkers is set). */
  readonly minWorkers?: number;
  /** Adaptive scaling: grow up to this many while tasks wait. */
  readonly maxWorkers?: number;
  /** Interface the embedded master binds (default 127.0.0.1). */
  readonly host?: string;
  /** Address workers connect to (default: `host`, or this machine's name when `host` is 0.0.0.0). */
  readonly advertise?: string;
  /** Port of the embedded master (default 0: any free port). */
  readonly port?: number;
  /** How long Context.create waits for the first worker (default 120 000 ms). */
  readonly startTimeoutMs?: number;
  /** How often job states are read and scaling decided (default 2 000 ms). */
  readonly checkIntervalMs?: number;
  /** Idle checks in a row before an idle worker is retired (default 3). */
  readonly idleChecks?: number;
  /** The batch system (default Grid Engine); tests and other schedulers plug in here. */
  readonly launcher?: BatchLauncher;
}

declare module '../../core/context.js' {
  interface ContextOptions {
    /** Options of `master: 'sge'` (Grid Engine workers). */
    readonly sge?: SgeOptions;
  }
}

/** The fields of a `batchJobs` event: the worker jobs requested so far, and how many are in each state now. */
export interface BatchJobCounts {
  /** The launcher's kind (e.g. 'sge'). */
  readonly launcher: string;
  /** Worker jobs (array tasks) requested so far. */
  readonly requested: number;
  /** Waiting in the queue (or in an error state). */
  readonly pending: number;
  /** Running. */
  readonly running: number;
  /** Being deleted (a scheduler state code with `d`), on their way out. */
  readonly draining: number;
  /** Requested and no longer in the queue. */
  readonly finished: number;
}

// The event this backend posts, added to core's event map (core names no launcher's events).
declare module '../../core/events.js' {
  interface VoxelflowEventMap {
    /** Worker jobs of a batch launcher (`master: 'sge'`): requested so far, and how many are in each state now; the CLI's progress line shows it. */
    batchJobs: BatchJobCounts;
  }
}

interface Plan {
  readonly job: JobOptions;
  readonly initial: number;
  readonly adaptive: { readonly min: number; readonly max: number } | null;
  readonly host: string;
  readonly advertise: string;
  readonly port: number;
  readonly startTimeoutMs: number;
  readonly checkIntervalMs: number;
  readonly idleChecks: number;
}

function count(name: string, v: number | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < min) throw new ConfigError(`sge.${name}`, `sge.${name} must be a whole number >= ${min}, got ${String(v)}`);
  return v;
}

function plan(o: SgeOptions): Plan {
  let job: JobOptions;
  try {
    job = jobOptions(o);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`sge.${err.option}`, `sge.${err.message}`);
    throw err;
  }
  const max = count('maxWorkers', o.maxWorkers, 1);
  const min = count('minWorkers', o.minWorkers, 0) ?? 0;
  if (max !== undefined && min > max) throw new ConfigError('sge.minWorkers', `sge.minWorkers (${min}) must not exceed sge.maxWorkers (${max})`);
  const initial = count('workers', o.workers, max === undefined ? 1 : 0) ?? (max === undefined ? 2 : Math.max(min, 1));
  const host = o.host ?? '127.0.0.1';
  return {
    job,
    initial,
    adaptive: max === undefined ? null : { min, max },
    host,
    advertise: o.advertise ?? (host === '0.0.0.0' || host === '::' ? hostname() : host),
    port: count('port', o.port, 0) ?? 0,
    startTimeoutMs: o.startTimeoutMs ?? 120_000,
    checkIntervalMs: o.checkIntervalMs ?? 2_000,
    idleChecks: o.idleChecks ?? 3,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class SgeBackend implements SchedulerBackend {
  readonly defaultParallelism: number;
  private host: ExecutorHost | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The check in progress, if any: stop() waits for it, so that a job it submits is in jobIds before the qdel. */
  private checkRun: Promise<void> | null = null;
  private requested: number;
  private readonly idle = new Map<string, number>();
  private readonly onSigint = (): void => this.killJobsAndExit();

  private constructor(
    private readonly cluster: ClusterBackend,
    private readonly master: Master,
    private readonly launcher: BatchLauncher,
    private readonly plan: Plan,
    private readonly name: string,
    private readonly target: JobTarget,
    private readonly secretFile: string,
    private readonly jobIds: string[],
  ) {
    this.requested = plan.initial;
    const workers = plan.adaptive?.max ?? plan.initial;
    this.defaultParallelism = Math.max(2, workers * plan.job.cores);
    process.on('SIGINT', this.onSigint);
  }

  get executors(): readonly RemoteExecutor[] {
    return this.cluster.executors;
  }

  /** Starts the master, submits the workers and waits for the first one to register. */
  static async connect(options: ContextOptions): Promise<SgeBackend> {
    const p = plan(options.sge ?? {});
    const launcher = options.sge?.launcher ?? new SgeLauncher();
    const secret = options.secret ?? process.env['VOXELFLOW_SECRET'] ?? randomBytes(32).toString('hex');
    const dir = join(homedir(), '.voxelflow');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const secretFile = join(dir, `sge-${process.pid}-${randomBytes(4).toString('hex')}.secret`);
    writeFileSync(secretFile, secret, { mode: 0o600 });
    let master: Master | null = null;
    const jobIds: string[] = [];
    try {
      // The embedded master logs to master.log beside the workers' logs, not to the driver's terminal.
      const logDir = logDirOf(p.job);
      mkdirSync(logDir, { recursive: true });
      const log = (line: string): void => appendFileSync(join(logDir, 'master.log'), `${new Date().toISOString()} ${line}\n`);
      master = await Master.start({ host: p.host, port: p.port, secret, log });
      const address = `${p.advertise}:${master.port}`;
      const name = p.job.name ?? jobNameFor(address);
      const job = { ...p.job, name };
      const target: JobTarget = { master: address, secretFile };
      if (p.initial > 0) jobIds.push(await launcher.submit(target, job, p.initial));
      await waitForFirstWorker(master, launcher, name, jobIds, address, job, p.startTimeoutMs, p.initial > 0);
      const local = p.host === '0.0.0.0' || p.host === '::' ? '127.0.0.1' : p.host;
      const cluster = await ClusterBackend.connect(`voxelflow://${local}:${master.port}`, { ...options, secret });
      return new SgeBackend(cluster, master, launcher, { ...p, job }, name, target, secretFile, jobIds);
    } catch (err) {
      await launcher.cancel(jobIds).catch(() => undefined);
      await master?.stop();
      rmSync(secretFile, { force: true });
      throw err;
    }
  }

  start(host: ExecutorHost): void {
    this.host = host;
    this.cluster.start(host);
    this.timer = setInterval(() => void this.check(), this.plan.checkIntervalMs);
    this.timer.unref();
    void this.check();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    process.off('SIGINT', this.onSigint);
    // An adaptive check may be inside qsub: its job id must be recorded before the qdel below, or the
    // job outlives the driver (its tasks then wait in Eqw once their working directory is gone).
    await this.checkRun;
    await this.cluster.stop();
    await this.launcher.cancel(this.jobIds).catch((err: unknown) => console.error(`voxelflow: could not qdel the worker jobs ${this.jobIds.join(' ')}: ${(err as Error).message}`));
    await this.master.stop();
    rmSync(this.secretFile, { force: true });
  }

  /** Reads the jobs, posts their state, and scales when adaptive. Never throws (a failed qstat is retried next time). */
  private check(): Promise<void> {
    if (this.checkRun !== null || this.stopped || this.host === null) return this.checkRun ?? Promise.resolve();
    this.checkRun = this.runCheck().finally(() => {
      this.checkRun = null;
    });
    return this.checkRun;
  }

  private async runCheck(): Promise<void> {
    try {
      const jobs = (await this.launcher.jobs(this.name)).filter((j) => this.jobIds.includes(j.id));
      const tally = { pending: 0, running: 0, draining: 0 };
      for (const j of jobs) {
        if (j.state === 'pending' || j.state === 'error') tally.pending += j.tasks;
        else tally[j.state] += j.tasks;
      }
      const finished = Math.max(0, this.requested - tally.pending - tally.running - tally.draining);
      (this.host as ExecutorHost).post({ type: 'batchJobs', launcher: this.launcher.kind, requested: this.requested, ...tally, finished });
      if (this.plan.adaptive !== null && !this.stopped) await this.scale(jobs);
    } catch {
      // qstat may fail for a moment (qmaster busy); the next check tries again.
    }
  }

  private async scale(jobs: readonly BatchJob[]): Promise<void> {
    const host = this.host as ExecutorHost;
    const load = host.load();
    const byName = new Map(this.master.liveWorkers().map((w) => [w.workerId, w.name]));
    const workers: { id: string; idleChecks: number }[] = [];
    let runningTasks = 0;
    for (const [id] of byName) {
      const busy = load.running.get(id) ?? 0;
      runningTasks += busy;
      const streak = busy === 0 && load.waitingTasks === 0 ? (this.idle.get(id) ?? 0) + 1 : 0;
      this.idle.set(id, streak);
      workers.push({ id, idleChecks: streak });
    }
    const queued = jobs.filter((j) => j.state === 'pending').map((j) => ({ ref: j.ref, workers: j.tasks }));
    const { min, max } = this.plan.adaptive as { min: number; max: number };
    const d = scale({ minWorkers: min, maxWorkers: max, coresPerWorker: this.plan.job.cores, waitingTasks: load.waitingTasks, runningTasks, queued, workers, idleChecks: this.plan.idleChecks });
    if (d.submit > 0) {
      this.jobIds.push(await this.launcher.submit(this.target, this.plan.job, d.submit));
      this.requested += d.submit;
    }
    if (d.cancel.length > 0) await this.launcher.cancel(d.cancel);
    for (const id of d.retire) {
      // qdel of the worker's own array task: -notify sends SIGUSR2 first, and the worker drains and leaves.
      const ref = /^voxelflow-(\d+\.\d+)$/.exec(byName.get(id) ?? '')?.[1];
      host.retireExecutor(id, 'idle: retired by adaptive scaling');
      if (ref !== undefined) await this.launcher.cancel([ref]);
      this.idle.delete(id);
    }
  }

  /** Ctrl-C: qdel the workers before the process goes (synchronously: there is no event loop left after this). */
  private killJobsAndExit(): void {
    if (this.jobIds.length > 0) {
      try {
        execFileSync('qdel', this.jobIds, { stdio: 'ignore', timeout: 10_000 });
      } catch {
        // qdel may report jobs already gone
      }
    }
    rmSync(this.secretFile, { force: true });
    process.exit(130);
  }
}

/**
 * Resolves once a worker of `name` has registered; rejects with what the user needs to know when none does
 * within `timeoutMs`: the jobs ended, are still pending (and why), or run but cannot reach the master.
 */
async function waitForFirstWorker(master: Master, launcher: BatchLauncher, name: string, jobIds: readonly string[], address: string, job: JobOptions, timeoutMs: number, expectWorkers: boolean): Promise<void> {
  if (!expectWorkers) return;
  const end = Date.now() + timeoutMs;
  let last: BatchJob[] = [];
  for (;;) {
    if (master.liveWorkers().some((w) => w.name.startsWith('voxelflow-'))) return;
    last = (await launcher.jobs(name)).filter((j) => jobIds.includes(j.id));
    if (last.length === 0) {
      throw new BatchError(`the worker jobs (${jobIds.join(', ')}) ended before any worker registered; see their logs in ${logDirOf(job)}`);
    }
    if (Date.now() > end) break;
    await sleep(250);
  }
  const running = last.find((j) => j.state === 'running' || j.state === 'draining');
  const seconds = Math.round(timeoutMs / 1000);
  if (running !== undefined) {
    throw new BatchError(
      `worker job ${running.ref} runs but has not registered within ${seconds} s: it connects to the master at ${address}; ` +
        `if workers run on other hosts, bind the master to a reachable interface (sge: { host: '0.0.0.0', advertise: '<this host's name>' }); its log is in ${logDirOf(job)}`,
    );
  }
  const pending = last[0] as BatchJob;
  const reasons = await launcher.pendingReasons(pending.id).catch(() => '');
  throw new BatchError(
    `no worker job started within ${seconds} s: job ${pending.ref} is ${pending.code}` +
      (reasons !== '' ? ` (qstat -j ${pending.id}: ${reasons})` : ' (Grid Engine gives no reason; schedd_job_info may be off)') +
      '; check the queue, the requested cores/memory/wall time, or raise sge.startTimeoutMs',
  );
}


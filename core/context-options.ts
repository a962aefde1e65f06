/**
 * What Context.create is given, checked once: the options, the master URL (an inline or threaded local
 * master, or a registered cluster scheme), and the backend a cluster master connects to.
 */
import { ConfigError } from './errors.js';
import { localMasterThreads } from './local-master.js';
import { masterSchemeFactory, type SchedulerBackend } from './executor/scheduler-backend.js';
import { parseSize } from './sizes.js';

/** Options of Context.create. */
export interface ContextOptions {
  /**
   * `local` (inline, for debugging), `local[N]` or `local[*]` (N worker threads), or a cluster master
   * URL such as `voxelflow://host:7077` (the package entry registers that scheme).
   */
  readonly master?: string;
  /** Shared secret of a cluster (default: the VOXELFLOW_SECRET environment variable). Unused by local masters. */
  readonly secret?: string;
  /** TLS to a cluster: PEM files of the CA that signed its certificates, and this driver's own if it must show one. */
  readonly tls?: {
    /** PEM file of the CA that signed the cluster's certificates. */
    readonly ca?: string;
    /** PEM file of this driver's certificate. */
    readonly cert?: string;
    /** PEM file of this driver's private key. */
    readonly key?: string;
  };
  /** Shown by the master and the dashboard; default 'voxelflow'. */
  readonly appName?: string;
  /** Memory budget for cached partitions and shuffle outputs, e.g. '2g'. Beyond it blocks spill to disk. */
  readonly memory?: string | number;
  /** Where spilled blocks go (a fresh folder inside it, removed at stop). Default: the OS temp dir. */
  readonly spillDir?: string;
  /** Reliable directory for rdd.checkpoint(). */
  readonly checkpointDir?: string;
  /** Attempts per task before the job fails (default 4). */
  readonly maxTaskFailures?: number;
  /** Launch copies of straggling tasks (default false). */
  readonly speculation?: boolean;
  /** With speculation: a task is a straggler when it runs longer than this times the median of the finished ones (default 1.5). */
  readonly speculationMultiplier?: number;
  /** With speculation: the fraction of a stage's tasks that must have finished before stragglers are copied (default 0.75). */
  readonly speculationQuantile?: number;
  /** Minimum run time before a task counts as a straggler, in ms (default 100). */
  readonly speculationMinMs?: number;
  /**
   * How long, in ms, tasks may wait while no executor is registered (every cluster worker gone)
   * before their jobs fail with ExecutorWaitTimeoutError (default 300000: five minutes; 0 waits
   * forever). While they wait, an `executorsWaiting` event says since when.
   */
  readonly executorWaitTimeout?: number;
  /**
   * How long, in ms, a `voxelflow://` driver waits for its master to answer when the context is
   * created (default 10000): a master started at the same moment, by the same script or batch job,
   * may not listen yet. A script that knows its master is up can fail faster with a smaller value.
   */
  readonly connectTimeout?: number;
}

/** How long tasks may wait with no executor registered, by default (five minutes). */
export const DEFAULT_EXECUTOR_WAIT_MS = 5 * 60 * 1000;
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//;

/** Checks the options; returns the number of worker threads (0 for the inline `local` master) or 'cluster'. */
export function checkOptions(options: ContextOptions): number | 'cluster' {
  const master = options.master ?? 'local[*]';
  const local = localMasterThreads(master);
  let threads: number | 'cluster';
  if (local !== null) {
    threads = local;
    if (master !== 'local' && threads < 1) throw new ConfigError('master', `local[N] needs N >= 1, got '${master}'`);
  } else if (SCHEME.test(master) || masterSchemeFactory(master) !== undefined) {
    threads = 'cluster';
  } else {
    throw new ConfigError('master', `unknown master '${master}'; use 'local', 'local[N]', 'local[*]', 'voxelflow://HOST:PORT' or 'sge'`);
  }
  if (options.secret !== undefined && (typeof options.secret !== 'string' || options.secret.length === 0)) {
    throw new ConfigError('secret', 'secret must be a non-empty string; pass the cluster secret, or leave it out to use VOXELFLOW_SECRET');
  }
  if (options.memory !== undefined) parseSize(options.memory, 'memory');
  const numeric: [string, number | undefined, (v: number) => boolean, string][] = [
    ['maxTaskFailures', options.maxTaskFailures, (v) => Number.isInteger(v) && v >= 1, 'a positive integer'],
    ['speculationMultiplier', options.speculationMultiplier, (v) => Number.isFinite(v) && v > 0, 'a positive number'],
    ['speculationQuantile', options.speculationQuantile, (v) => v > 0 && v <= 1, 'a number in (0, 1]'],
    ['speculationMinMs', options.speculationMinMs, (v) => Number.isFinite(v) && v >= 0, 'a number of milliseconds >= 0'],
    ['executorWaitTimeout', options.executorWaitTimeout, (v) => Number.isFinite(v) && v >= 0, 'a number of milliseconds >= 0 (0 waits forever)'],
    ['connectTimeout', options.connectTimeout, (v) => Number.isFinite(v) && v > 0, 'a positive number of milliseconds'],
  ];
  for (const [name, v, ok, expected] of numeric) {
    if (v !== undefined && !ok(v)) throw new ConfigError(name, `${name} must be ${expected}, got ${String(v)}`);
  }
  return threads;
}

/** The scheduler backend of a cluster master URL, from its registered scheme. */
export async function connectBackend(options: ContextOptions): Promise<SchedulerBackend> {
  const url = options.master as string;
  // `voxelflow://host:port`, or a bare registered name such as `sge`.
  const scheme = SCHEME.exec(url)?.[1] ?? url;
  const factory = masterSchemeFactory(scheme);
  if (factory === undefined) {
    throw new ConfigError('master', `no cluster support is registered for '${scheme}://'; import Context from the package entry ('voxelflow'), which registers 'voxelflow://'`);
  }
  return factory({ url, options });
}

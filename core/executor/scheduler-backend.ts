/**
 * The hook through which masters other than `local` plug in without core importing them: a cluster
 * package registers a URL scheme (`voxelflow://`) with a factory that connects to its master and
 * returns the executors it knows, then tells the context when executors join, drain or are lost.
 *
 * @example
 *   registerMasterScheme('voxelflow', async ({ url, options }) => connectToMaster(url, options.secret));
 */
import { ConfigError } from '../errors.js';
import type { ContextOptions } from '../context.js';
import type { EventInput } from '../events.js';
import type { Executor } from './executor.js';

/** What a backend calls on the context as its cluster changes. Every call is idempotent. */
export interface ExecutorHost {
  /** A new executor takes pending tasks at once. */
  addExecutor(executor: Executor): void;
  /** No new tasks go to the executor (it is leaving); its blocks stay readable until it is removed. */
  retireExecutor(executorId: string, reason: string): void;
  /** The executor is gone: it gets no tasks, and its blocks are forgotten (recomputed from lineage when read). */
  removeExecutor(executorId: string, reason: string): void;
  /** Tasks waiting for a slot, and running tasks per executor id (for adaptive scaling). */
  load(): {
    /** Tasks that wait for a slot. */
    readonly waitingTasks: number;
    /** Running tasks per executor id. */
    readonly running: ReadonlyMap<string, number>;
  };
  /** Posts an event on the context's bus (e.g. the state of batch worker jobs). */
  post(event: EventInput): void;
}

/** A connection to a cluster master, owned by one context. */
export interface SchedulerBackend {
  /** Executors known when the context starts. */
  readonly executors: readonly Executor[];
  /** Partitions for sources that do not say (Spark: total cores, at least 2). */
  readonly defaultParallelism: number;
  /** Called once the context exists; from then on the backend reports executor changes to `host`. */
  start(host: ExecutorHost): void;
  /** Disconnects from the master; called by Context.stop after the executors stopped. */
  stop(): Promise<void>;
}

/** Builds a backend for a master URL of a registered scheme. Rejects with a clear error when it cannot connect. */
export type MasterSchemeFactory = (request: { readonly url: string; readonly options: ContextOptions }) => Promise<SchedulerBackend>;

const schemes = new Map<string, MasterSchemeFactory>();

/** Makes `Context.create({ master: 'SCHEME://...' })` use `factory`. A later registration replaces an earlier one. */
export function registerMasterScheme(scheme: string, factory: MasterSchemeFactory): void {
  if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) throw new ConfigError('scheme', `registerMasterScheme: scheme must be lowercase letters, digits, '+', '.' or '-', got '${scheme}'`);
  schemes.set(scheme, factory);
}

/** The factory registered for a scheme. */
export function masterSchemeFactory(scheme: string): MasterSchemeFactory | undefined {
  return schemes.get(scheme);
}

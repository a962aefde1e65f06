/**
 * The piscina pool behind a `local[N]` master, and a way to start it before the driver has loaded its
 * own modules. A worker thread spends ~150 ms importing the worker entry and the operators' modules;
 * started when Context.create runs, that comes after the driver's ~130 ms of imports, so a small job
 * waited for both one after the other. A command that knows it will run on `local[N]` calls
 * `prestartThreadPool` first thing (the CLI does, from cli/prestart.ts), and the context's
 * ThreadExecutor adopts the pool when it asks for as many threads. This module imports nothing of
 * voxelflow but the package root, so that calling it costs only piscina's import.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { pathToFileURL } from 'node:url';
import { BUNDLED, bundleDir } from '../bundle.js';
import { packageRoot } from '../package-root.js';

/**
 * A pool of `cores` worker threads that import `preload` (module URLs) as soon as they start. With
 * `fromBundle`, the threads run the command line's bundle (core/bundle.ts): only for a pool whose
 * every plan comes from that bundle's own driver. A pool that may run other drivers' plans (a cluster
 * worker's) or user modules that import voxelflow runs dist/, where those modules find the same
 * registry the thread uses.
 */
export function startThreadPool(cores: number, preload: readonly string[], fromBundle = false): Piscina {
  return new Piscina({
    filename: workerScript(),
    workerData: { preload, ...(fromBundle ? { main: pathToFileURL(join(bundleDir(), 'worker-main.js')).href } : {}) },
    minThreads: cores,
    maxThreads: cores,
    concurrentTasksPerWorker: 1,
    idleTimeout: 2 ** 30,
    // piscina's default ('sync') parks an idle thread in Atomics.wait, which blocks its event loop:
    // the worker entry's module loading (worker-main.ts preload) stood still until the first task
    // came, so a thread started early loaded nothing early. 'async' waits without blocking it.
    atomics: 'async',
  });
}

let early: { readonly cores: number; readonly pool: Piscina } | null = null;

/**
 * Starts the pool of the `local[cores]` context this process is about to create, so that its threads
 * load `preload` while the driver is still loading. A second call replaces nothing: the first pool is
 * the one a context adopts. Called from the command line's bundle, the threads run the bundle too (the
 * commands that call this run only their own pipelines).
 */
export function prestartThreadPool(cores: number, preload: readonly string[]): void {
  if (early === null && Number.isInteger(cores) && cores >= 1) early = { cores, pool: startThreadPool(cores, preload, BUNDLED) };
}

/** The prestarted pool when it has `cores` threads (it is handed over once), else null. */
export function adoptThreadPool(cores: number): Piscina | null {
  if (early === null || early.cores !== cores) return null;
  const { pool } = early;
  early = null;
  return pool;
}

/** Stops a prestarted pool that no context adopted (the command ended early, or chose another master). */
export async function discardThreadPool(): Promise<void> {
  const left = early;
  early = null;
  await left?.pool.destroy();
}

/** The compiled worker entry. Sources run under vitest still use the built file. */
function workerScript(): string {
  const root = packageRoot();
  const script = join(root, 'dist', 'core', 'executor', 'worker-entry.cjs');
  if (!existsSync(script)) throw new Error(`worker script ${script} is missing; run 'npm run build' in ${root}`);
  return script;
}

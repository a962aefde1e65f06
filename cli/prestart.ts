/**
 * Starts the worker threads of a `local[N]` command before the CLI loads the rest of voxelflow
 * (core/executor/thread-pool.ts says why): bin/voxelflow.js calls `prestartFor(argv)` first, and the
 * command's context adopts the pool. Only the commands that run a pipeline on a local master by
 * default qualify; `--help`, another master or a command that ends before creating its context costs
 * a pool that `discardThreadPool` stops. This module reads the flags it needs itself (the command's
 * own parser, loaded later, still checks every flag).
 */
import { prestartThreadPool } from '../core/executor/thread-pool.js';
import { localMasterThreads } from '../core/local-master.js';

export { discardThreadPool } from '../core/executor/thread-pool.js';

/** Commands (with a subcommand where one is needed) that create a `local[*]` context by default, and the modules their tasks need. */
const PIPELINES: Record<string, { readonly sub?: string; readonly modules: readonly string[] }> = {
  analyze: { modules: ['../imaging/index.js'] },
  demo: { modules: ['../imaging/index.js'] },
  reconstruct: { modules: ['../imaging/index.js', '../tomo/index.js'] },
  batch: { sub: 'run', modules: ['../imaging/index.js'] },
};

/** The value of `--master` in `argv` (either `--master M` or `--master=M`), the last one given; `local[*]` when absent. */
export function masterFlag(argv: readonly string[]): string {
  let master = 'local[*]';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') break;
    if (a === '--master' && i + 1 < argv.length) master = argv[++i] as string;
    else if (a.startsWith('--master=')) master = a.slice('--master='.length);
  }
  return master;
}

/** Worker threads of a `local[N]` / `local[*]` master, or 0 for any other (`local` runs inline: no pool). */
export function localThreads(master: string): number {
  return localMasterThreads(master) ?? 0;
}

/** Starts the worker pool `argv` (the whole command line after `voxelflow`) will ask for, if it runs a pipeline locally. */
export function prestartFor(argv: readonly string[]): void {
  const [name, ...rest] = argv;
  const spec = name === undefined ? undefined : PIPELINES[name];
  if (spec === undefined || rest.some((a) => a === '--help' || a === '-h')) return;
  if (spec.sub !== undefined && rest[0] !== spec.sub) return;
  const threads = localThreads(masterFlag(rest));
  if (threads >= 1) prestartThreadPool(threads, spec.modules.map((m) => new URL(m, import.meta.url).href));
}

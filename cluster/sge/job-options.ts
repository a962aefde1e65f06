/**
 * What a batch worker job asks the scheduler for, checked once, with errors that name the option and show
 * a valid value. Shared by every launcher (SGE now; Slurm would read the same options).
 *
 * @example
 *   const o = jobOptions({ cores: 4, memory: '8g', walltime: '01:00:00' });
 *   o.walltimeSeconds; // 3600
 *   o.drainSeconds;    // 300: s_rt comes 5 minutes before h_rt
 */
import { ConfigError } from '../../core/index.js';

/** Options as a user writes them (CLI flags or `Context.create({ sge: ... })`). */
export interface JobOptionsInput {
  /** Cores per worker (`-pe <pe> C`, and the worker's thread count). Default 1. */
  readonly cores?: number;
  /** Memory per worker, e.g. `4g`, `512m` (the worker's block-store budget; `-l h_vmem` is not set). Default `4g`. */
  readonly memory?: string;
  /** Wall-clock limit `HH:MM:SS` (`-l h_rt`); the soft limit `s_rt` comes `drain` earlier. Default none. */
  readonly walltime?: string;
  /** Queue to submit to (`-q`); default the scheduler's choice. */
  readonly queue?: string;
  /** Parallel environment for `cores` > 1. Default `smp`. */
  readonly pe?: string;
  /** Project to charge (`-P`); default none. */
  readonly project?: string;
  /** Extra resource requests, `-l SPEC` each (e.g. `gpu=1`). */
  readonly resources?: readonly string[];
  /** Folder for the job's log (`-o`); default `./voxelflow-logs`, made absolute. */
  readonly logDir?: string;
  /** Extra `#$` lines, verbatim after `#$ ` (e.g. `-l tmpfree=10G`). */
  readonly directives?: readonly string[];
  /** Job name; default `voxelflow-<master host>-<port>` (how `status` and `stop` find a master's jobs). */
  readonly name?: string;
  /** Seconds a worker keeps retrying an unreachable master before it exits. Default 60. */
  readonly deathTimeout?: number;
}

/** Checked options with their defaults. */
export interface JobOptions {
  readonly cores: number;
  readonly memory: string;
  readonly walltimeSeconds: number | null;
  /** Seconds between s_rt (SIGUSR1: drain) and h_rt (SIGKILL). */
  readonly drainSeconds: number;
  readonly queue: string | null;
  readonly pe: string;
  readonly project: string | null;
  readonly resources: readonly string[];
  readonly logDir: string | null;
  readonly directives: readonly string[];
  readonly name: string | null;
  readonly deathTimeout: number;
}

const MEMORY = /^\d+(\.\d+)?[kmgt]?b?$/i;
const WALLTIME = /^(\d+):([0-5]\d):([0-5]\d)$/;
// SGE refuses these in job names, queue names and resource specs (sge_types(1)): \n \t \r / : @ \ * ?
const SGE_NAME = /^[^\s/:@\\*?]+$/;
// What may go on a `#$` line: no line breaks (they would start a new shell line).
const ONE_LINE = /^[^\r\n]+$/;

/** A ConfigError whose message starts with the option's name. */
function bad(option: string, detail: string): ConfigError {
  return new ConfigError(option, `${option}: ${detail}`);
}

/** Seconds of `HH:MM:SS`; throws naming `field` otherwise. */
export function parseWalltime(text: string, field = 'walltime'): number {
  const m = WALLTIME.exec(text.trim());
  if (m === null) throw bad(field, `'${text}' is not a wall time; write HH:MM:SS, e.g. 01:30:00`);
  const seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  if (seconds < 60) throw bad(field, `'${text}' is under a minute; a worker needs time to start and drain`);
  return seconds;
}

/** `HH:MM:SS` of a number of seconds. */
export function formatWalltime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}

/** Time left for draining between s_rt and h_rt: 10% of the wall time, at least 30 s, at most 5 minutes. */
export function drainSecondsFor(walltimeSeconds: number): number {
  return Math.min(300, Math.max(30, Math.floor(walltimeSeconds / 10)));
}

function name(field: string, v: string | undefined): string | null {
  if (v === undefined) return null;
  if (!SGE_NAME.test(v)) throw bad(field, `'${v}' cannot be a Grid Engine name (no spaces, /, :, @, \\, * or ?)`);
  return v;
}

function lines(field: string, v: readonly string[] | undefined): readonly string[] {
  for (const line of v ?? []) {
    if (!ONE_LINE.test(line)) throw bad(field, `'${JSON.stringify(line)}' must be one non-empty line`);
  }
  return [...(v ?? [])];
}

/** Checks `input` and fills in the defaults. */
export function jobOptions(input: JobOptionsInput = {}): JobOptions {
  const cores = input.cores ?? 1;
  if (!Number.isInteger(cores) || cores < 1) throw bad('cores', `must be a whole number >= 1, got ${String(cores)}`);
  const memory = input.memory ?? '4g';
  if (!MEMORY.test(memory)) throw bad('memory', `'${memory}' is not a size; write e.g. 4g or 512m`);
  const walltimeSeconds = input.walltime === undefined ? null : parseWalltime(input.walltime);
  const deathTimeout = input.deathTimeout ?? 60;
  if (!(deathTimeout > 0)) throw bad('deathTimeout', `must be seconds > 0, got ${String(deathTimeout)}`);
  for (const spec of input.resources ?? []) {
    if (!/^[^\s]+$/.test(spec)) throw bad('resource', `'${spec}' must be one resource request without spaces, e.g. gpu=1`);
  }
  if (input.logDir !== undefined && !/^[^\s$]+$/.test(input.logDir)) {
    throw bad('logDir', `'${input.logDir}' must be a path without spaces or $ (SGE reads the -o path itself)`);
  }
  return {
    cores,
    memory,
    walltimeSeconds,
    drainSeconds: walltimeSeconds === null ? 0 : drainSecondsFor(walltimeSeconds),
    queue: name('queue', input.queue),
    pe: name('pe', input.pe) ?? 'smp',
    project: name('project', input.project),
    resources: [...(input.resources ?? [])],
    logDir: input.logDir ?? null,
    directives: lines('directive', input.directives),
    name: name('name', input.name),
    deathTimeout,
  };
}

/** The default job name of a master's workers: how `status` and `stop` find them again. */
export function jobNameFor(master: string): string {
  return `voxelflow-${master.replace(/^voxelflow:\/\//, '').replace(/[^A-Za-z0-9._-]+/g, '-')}`;
}

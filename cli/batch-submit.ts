/**
 * `voxelflow batch submit PROJECT --sge`: the items not yet done as one Grid Engine array job
 * (`qsub -t 1-M -tc C`), each task running `voxelflow batch run-item PROJECT --list FILE --index
 * $SGE_TASK_ID` on its own node's cores, and a collation job held on the array (`-hold_jid`). The list
 * of items is written per submission (output/sge/), so that a later submission, which covers only what
 * remains, never renumbers the tasks of one still running. A task whose attempt is lost (a worker or
 * connection, not the input) exits 99 so that Grid Engine requeues it; a requeued task whose item is
 * done does nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { attemptItem, doneRecord, histories, itemKey, itemStatuses, outputDir, readLedger, removeLeftovers, type ManifestItem, type Project } from '../batch/index.js';
import { defaultBin, formatWalltime, parseWalltime, shellQuote } from '../cluster/sge/index.js';
import type { Context } from '../core/index.js';
import { memoryFlag } from './analyze-flags.js';
import { createContext } from './analyze.js';
import { itemRunner } from './batch-item.js';
import { asUsage, openProject } from './batch-project.js';
import { integerFlag, onePositional, parseCommandLine, UsageError } from './flags.js';

/** The exit code that makes Grid Engine requeue a task (qsub(1): "exit 99: the job is rescheduled"). */
export const REQUEUE_EXIT = 99;

const SUBMIT_HELP = `usage: voxelflow batch submit PROJECT --sge [options]

Submits the items of PROJECT not yet done (nor failed) as one Grid Engine array job, and a job that
collates when the array has finished. Submitting again covers only what remains.

  --sge                 submit to Grid Engine (qsub must be on PATH)
  --tasks-per-job N     items each array task runs, one after the other (default 1)
  --max-running C       at most C tasks at once (qsub -tc C; default: no limit)
  --cores C             cores of each task (-pe smp C when C > 1; the task runs local[C]; default 1)
  --queue Q             -q Q
  --walltime HH:MM:SS   -l h_rt of each task
  --log-dir D           task logs (default PROJECT/output/sge/logs)
  --node PATH           the node binary on the compute nodes (default: this one)
  --script              print the array job script instead of submitting it`;

interface SubmitFlags {
  readonly project: string;
  readonly perTask: number;
  readonly maxRunning: number | null;
  readonly cores: number;
  readonly queue: string | null;
  readonly walltime: number | null;
  readonly logDir: string | null;
  readonly node: string;
  readonly script: boolean;
}

function whole(flag: string, s: string | undefined, fallback: number): number {
  return s === undefined ? fallback : integerFlag(flag, s, { min: 1, want: 'a whole number >= 1' });
}

function parseSubmit(argv: string[]): SubmitFlags | 'help' {
  const parsed = parseCommandLine('batch submit', argv, {
    sge: { type: 'boolean', default: false },
    'tasks-per-job': { type: 'string' },
    'max-running': { type: 'string' },
    cores: { type: 'string' },
    queue: { type: 'string' },
    walltime: { type: 'string' },
    'log-dir': { type: 'string' },
    node: { type: 'string' },
    script: { type: 'boolean', default: false },
  });
  const v = parsed.values;
  if (v.help === true) return 'help';
  const project = onePositional('batch submit', parsed.positionals, 'project folder');
  if (v.sge !== true) throw new UsageError("say where to submit: --sge (Grid Engine); 'voxelflow batch run' runs here");
  let walltime: number | null = null;
  if (v.walltime !== undefined) {
    try {
      walltime = parseWalltime(v.walltime);
    } catch (err) {
      throw new UsageError(`--${(err as Error).message}`, '--walltime');
    }
  }
  if (v.queue !== undefined && !/^[^\s/:@\\*?]+$/.test(v.queue)) throw new UsageError(`--queue '${v.queue}' is not a Grid Engine queue name`, '--queue');
  return {
    project,
    perTask: whole('tasks-per-job', v['tasks-per-job'], 1),
    maxRunning: v['max-running'] === undefined ? null : whole('max-running', v['max-running'], 1),
    cores: whole('cores', v.cores, 1),
    queue: v.queue ?? null,
    walltime,
    logDir: v['log-dir'] === undefined ? null : resolve(v['log-dir']),
    node: v.node === undefined ? process.execPath : resolve(v.node),
    script: v.script === true,
  };
}

/** A job name Grid Engine takes: `vf-batch-<project folder>`. */
function jobName(project: Project): string {
  return `vf-batch-${basename(project.dir).replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

function header(name: string, project: Project, logDir: string, f: SubmitFlags): string[] {
  const d = ['#!/bin/sh', `#$ -N ${name}`, `#$ -wd ${project.dir}`, '#$ -j y', `#$ -o ${logDir}/$JOB_NAME.$JOB_ID.$TASK_ID.log`, '#$ -S /bin/sh'];
  if (f.queue !== null) d.push(`#$ -q ${f.queue}`);
  if (f.walltime !== null) d.push(`#$ -l h_rt=${formatWalltime(f.walltime)}`);
  return d;
}

/** The array job's script: task I runs the items of lines (I-1)*N+1 .. I*N of `list`. */
export function arrayScript(project: Project, list: string, logDir: string, f: SubmitFlags): string {
  const d = header(jobName(project), project, logDir, f);
  d.push('#$ -r y');
  if (f.cores > 1) d.push(`#$ -pe smp ${f.cores}`);
  const args = ['batch', 'run-item', project.dir, '--list', list, '--tasks-per-job', String(f.perTask), '--master', `local[${f.cores}]`].map(shellQuote);
  return [...d, '', `exec ${shellQuote(f.node)} ${shellQuote(defaultBin())} ${args.join(' ')} --index "$SGE_TASK_ID"`, ''].join('\n');
}

function collateScript(project: Project, logDir: string, f: SubmitFlags): string {
  const d = header(`${jobName(project)}-collate`, project, logDir, { ...f, walltime: null });
  return [...d, '', `exec ${shellQuote(f.node)} ${shellQuote(defaultBin())} batch collate ${shellQuote(project.dir)}`, ''].join('\n');
}

function qsub(args: readonly string[], script: string): string {
  try {
    return execFileSync('qsub', ['-terse', ...args], { input: script, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 }).trim();
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new UsageError('qsub not found on PATH: is Grid Engine\'s client installed here (and SGE_ROOT set)?');
    throw new Error(`qsub refused the job: ${(e.stderr ?? e.message).trim().split('\n')[0] ?? ''}`);
  }
}

export async function runSubmit(argv: string[]): Promise<number> {
  const f = parseSubmit(argv);
  if (f === 'help') {
    console.log(SUBMIT_HELP);
    return 0;
  }
  const project = openProject(f.project);
  const statuses = itemStatuses(project);
  const remaining = statuses.filter((s) => s.state === 'pending').map((s) => s.item);
  if (remaining.length === 0) {
    const failed = statuses.filter((s) => s.state === 'failed').length;
    console.log(`batch submit nothing to submit: ${statuses.length - failed} of ${statuses.length} items done or running${failed > 0 ? `, ${failed} failed ('voxelflow batch retry-failed')` : ''}`);
    return 0;
  }
  const sgeDir = join(outputDir(project.dir), 'sge');
  const logDir = f.logDir ?? join(sgeDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const list = join(sgeDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.items`);
  const tasks = Math.ceil(remaining.length / f.perTask);
  const script = arrayScript(project, list, logDir, f);
  if (f.script) {
    console.log(script);
    return 0;
  }
  writeFileSync(list, `${remaining.join('\n')}\n`);
  const array = /^(\d+)/.exec(qsub(['-t', `1-${tasks}`, ...(f.maxRunning !== null ? ['-tc', String(f.maxRunning)] : [])], script))?.[1];
  if (array === undefined) throw new Error('qsub printed no job id');
  const collateJob = qsub(['-hold_jid', array], collateScript(project, logDir, f));
  console.log(`batch submit ${remaining.length} items as array job ${array} (${tasks} tasks${f.maxRunning !== null ? `, at most ${f.maxRunning} at once` : ''}); collation job ${collateJob} runs after it; logs in ${relative(process.cwd(), logDir)}`);
  return 0;
}

/** `batch run-item PROJECT --list FILE --index I`: one array task. Exit 0 done, 3 failed, 99 lost (requeue). */
export async function runItemTask(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('batch run-item', argv, { list: { type: 'string' }, index: { type: 'string' }, 'tasks-per-job': { type: 'string' }, master: { type: 'string', default: 'local[*]' }, memory: { type: 'string' } });
  const v = parsed.values;
  if (parsed.positionals.length !== 1 || v.list === undefined || v.index === undefined) throw new UsageError('usage: voxelflow batch run-item PROJECT --list FILE --index I [--tasks-per-job N] (run by the array job of batch submit)');
  const project = openProject(parsed.positionals[0] as string);
  const index = whole('index', v.index, 1);
  const perTask = whole('tasks-per-job', v['tasks-per-job'], 1);
  const ids = readFileSync(v.list, 'utf8').split('\n').filter((l) => l !== '').slice((index - 1) * perTask, index * perTask);
  const byId = new Map(project.items.map((i) => [i.item, i]));
  let ctx: Context | null = null;
  let code = 0;
  try {
    for (const id of ids) {
      const item = byId.get(id);
      if (item === undefined) throw new UsageError(`${v.list}: item '${id}' is not in ${join(project.dir, 'manifest.csv')} any more; submit again`);
      if (doneRecord(project, item) !== null) {
        console.log(`batch run-item ${id}: already done`);
        continue;
      }
      ctx ??= await createContext({ master: v.master ?? 'local[*]', memory: memoryFlag(v.memory) });
      const outcome = await runOne(project, item, ctx);
      console.log(`batch run-item ${id}: ${outcome}`);
      if (outcome === 'failed') code = 3;
      // The cluster lost it: Grid Engine requeues this task, which skips the items already done.
      if (outcome === 'lost') return REQUEUE_EXIT;
    }
    return code;
  } catch (err) {
    throw asUsage(err);
  } finally {
    await ctx?.stop();
  }
}

/**
 * One item as its own task: its leftovers removed, then attempts until done or failed. A lost attempt
 * ends the task for a requeue, unless the item has been lost lostLimit times already (then it fails).
 */
async function runOne(project: Project, item: ManifestItem, ctx: Context): Promise<'done' | 'failed' | 'lost'> {
  removeLeftovers(project, item);
  const key = itemKey(project, item);
  const events = readLedger(project);
  const h = histories(events, (i) => (i === item.item ? key : null)).get(item.item) ?? { starts: 0, failures: 0, lastError: null, open: null, lastSeconds: null };
  const lostBefore = events.filter((e) => e.item === item.item && e.event === 'end' && e.outcome === 'lost' && e.key === key).length;
  const oneLost = { ...project, config: { ...project.config, lostLimit: 1 } };
  const r = await attemptItem(oneLost, item, h, itemRunner(ctx, project), {});
  return r.outcome === 'lost' && lostBefore + 1 >= project.config.lostLimit ? 'failed' : r.outcome;
}

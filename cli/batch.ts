/**
 * `voxelflow batch`: many images analyzed identically (issue 17). A project folder holds batch.json
 * (the pipeline), manifest.csv (the items) and output/; `init` writes the first two from a folder of
 * images, `run` analyzes what is not done, `status` reads the ledger, `retry-failed` puts the failed
 * items back, `collate` rebuilds the collated table, `submit --sge` runs the items as a Grid Engine
 * array job (each task: `run-item`).
 */
import { relative } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { collate, initProject, itemStatuses, liveLock, summarize, type BatchSummary, type ItemStatus } from '../batch/index.js';
import { STATS_COLUMNS } from './batch-item.js';
import { asUsage, openProject } from './batch-project.js';
import { runBatchCommand } from './batch-run.js';
import { formatDuration } from './progress.js';
import { onePositional, parseCommandLine, UsageError } from './flags.js';

const HELP = `usage: voxelflow batch <command> PROJECT [options]

A batch project analyzes many images identically: PROJECT/batch.json holds the pipeline (any analyze
option), PROJECT/manifest.csv the items (item,input,sample[,more columns]), PROJECT/output/ what runs
write (items/<item>/, status.csv, failed.jsonl, ledger.jsonl, collated/stats.csv and stats.arrow).

commands:
  init PROJECT --input 'GLOB' [--sample REGEX]   write batch.json (defaults to edit) and manifest.csv
       [--overwrite]                             (sample: REGEX's first group of the file name, else the
                                                 folder; --overwrite: replace the two if they exist)
  run PROJECT [--parallel K] [--master M] ...    analyze every item neither done nor failed, then collate
  status PROJECT [--json]                        done / running / pending / failed, slowest items, ETA
  retry-failed PROJECT [run's options]           put the failed items back and run them
  collate PROJECT [--partial]                    rebuild output/collated/ (--partial: the done items only)
  submit PROJECT --sge [--tasks-per-job N] [--max-running C]   the items not done as one Grid Engine
                                                 array job, and a collation job held on it
  run-item PROJECT --list FILE --index I         one array task (exit 99: Grid Engine requeues it)

'voxelflow batch run --help' lists run's options.`;

export async function runBatchCli(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return 0;
    case 'init':
      return runInit(rest);
    case 'run':
      return runBatchCommand(rest, 'run');
    case 'retry-failed':
      return runBatchCommand(rest, 'retry-failed');
    case 'status':
      return runStatus(rest);
    case 'collate':
      return runCollate(rest);
    case 'submit':
      return (await import('./batch-submit.js')).runSubmit(rest);
    case 'run-item':
      return (await import('./batch-submit.js')).runItemTask(rest);
    default:
      throw new UsageError(`unknown batch command '${sub}'; run 'voxelflow batch --help'`);
  }
}

/** parseArgs with one positional (the project), usage errors naming the subcommand. */
function parse(argv: string[], command: string, options: NonNullable<ParseArgsConfig['options']>): { project: string; values: Record<string, string | boolean | undefined> } {
  const parsed = parseCommandLine(`batch ${command}`, argv, options);
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values['help'] === true) return { project: '', values };
  return { project: onePositional('batch', parsed.positionals, 'project folder'), values };
}

function runInit(argv: string[]): number {
  const { project, values } = parse(argv, 'init', { input: { type: 'string' }, sample: { type: 'string' }, overwrite: { type: 'boolean' } });
  if (values['help'] === true) return console.log(HELP), 0;
  if (typeof values['input'] !== 'string') throw new UsageError("--input 'GLOB' is required: the images, e.g. --input 'input/*.tif' (quote it so the shell does not expand it)");
  try {
    const r = initProject(project, values['input'], typeof values['sample'] === 'string' ? values['sample'] : null, { overwrite: values['overwrite'] === true });
    console.log(`batch init   ${r.items} items in ${r.samples} samples: wrote ${r.files.map((f) => relative(process.cwd(), f)).join(' and ')}; edit the pipeline in batch.json, then 'voxelflow batch run ${project}'`);
    return 0;
  } catch (err) {
    throw asUsage(err);
  }
}

function runStatus(argv: string[]): number {
  const { project: dir, values } = parse(argv, 'status', { json: { type: 'boolean' } });
  if (values['help'] === true) return console.log(HELP), 0;
  const project = openProject(dir);
  const statuses = itemStatuses(project);
  const lock = liveLock(project);
  const s = summarize(statuses, lock?.parallel ?? 1);
  if (values['json'] === true) {
    console.log(JSON.stringify({ ...s, runningSince: lock?.started ?? null, items: statuses }));
    return 0;
  }
  printStatus(s, statuses, lock !== null ? `running since ${lock.started} (pid ${lock.pid} on ${lock.host})` : 'no run in progress');
  return 0;
}

function printStatus(s: BatchSummary, statuses: readonly ItemStatus[], run: string): void {
  console.log(`items        ${s.total}: ${s.done} done, ${s.running} running, ${s.pending} pending, ${s.failed} failed; ${run}`);
  if (s.medianSeconds !== null) console.log(`item time    median ${s.medianSeconds.toFixed(2)} s; ETA ${s.running + s.pending === 0 ? 'done' : formatDuration((s.etaSeconds ?? 0) * 1000)}`);
  if (s.slowest.length > 0) console.log(`slowest      ${s.slowest.map((x) => `${x.item} ${x.seconds.toFixed(2)} s`).join(', ')}`);
  for (const f of statuses.filter((x) => x.state === 'failed')) console.log(`failed       ${f.item} after ${f.attempts} attempts: ${f.error ?? ''}`);
}

function runCollate(argv: string[]): number {
  const { project: dir, values } = parse(argv, 'collate', { partial: { type: 'boolean' } });
  if (values['help'] === true) return console.log(HELP), 0;
  const project = openProject(dir);
  const c = collate(project, itemStatuses(project), STATS_COLUMNS, values['partial'] === true);
  const rel = (p: string): string => relative(process.cwd(), p);
  console.log(`collated     ${rel(c.csv)} and ${rel(c.arrow)}: ${c.rows} rows from ${c.items} items${c.missing > 0 ? ` (${c.missing} items not done left out)` : ''}`);
  return 0;
}

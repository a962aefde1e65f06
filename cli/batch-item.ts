/**
 * One batch item as an analyze run: batch.json's pipeline becomes analyze's flags (checked by
 * analyze's own parser, so a pipeline option means what the same flag means), the outputs go to the
 * item's staging folder, and the pipeline runs on the batch's shared context. Errors are classified:
 * what the input causes uses an attempt ('failed'); a lost worker, cluster connection or executor
 * wait does not ('lost').
 */
import { join } from 'node:path';
import { OUTPUT_FILES, oneLine, type ItemResult, type ItemRunner, type ManifestItem, type PipelineValue, type Project } from '../batch/index.js';
import type { Context } from '../core/index.js';
import { ImageFormatError, openImage } from '../imaging/index.js';
import { analyzeOnContext } from './analyze.js';
import { parseFlags, type Flags } from './analyze-flags.js';
import { checkOutputs } from './analyze-outputs.js';
import { statsCsv } from './stats-csv.js';
import { UsageError } from './usage-error.js';

/** The collated statistics' columns: analyze's --stats header, from the pipeline rather than any file. */
export const STATS_COLUMNS: readonly string[] = (statsCsv([]).split('\n')[0] as string).split(',');

/** analyze options that belong to the run (its command line), or to batch.json's outputs, not to the pipeline. */
const NOT_PIPELINE: Record<string, string> = {
  master: "pass --master to 'batch run'",
  workers: "pass --workers to 'batch run'",
  'worker-cores': "pass --worker-cores to 'batch run'",
  queue: "pass --queue to 'batch run'",
  walltime: "pass --walltime to 'batch run'",
  'secret-file': "pass --secret-file to 'batch run'",
  memory: "pass --memory to 'batch run'",
  'spill-dir': "pass --spill-dir to 'batch run'",
  labels: 'list "labels" in outputs',
  filtered: 'list "filtered" in outputs',
  stats: 'list "stats" in outputs',
  preview: 'list "preview" in outputs',
  json: "pass --json to 'batch run'",
  quiet: "pass --quiet to 'batch run'",
  'ui-port': "pass --ui-port to 'batch run'",
  'ui-wait': 'a batch run does not wait',
  pyramid: 'batch outputs are .npy files',
  overwrite: 'item outputs are always replaced',
  help: 'it is not an option',
};

/** `headerBytes` → `header-bytes`. */
const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function pipelineArgs(pipeline: Readonly<Record<string, PipelineValue>>, file: string): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(pipeline)) {
    const flag = kebab(key);
    const why = NOT_PIPELINE[flag];
    if (why !== undefined) throw new UsageError(`${file}: field 'pipeline.${key}' is not a pipeline option; ${why}`);
    if (value === false) continue;
    if (value === true) args.push(`--${flag}`);
    else if (Array.isArray(value)) args.push(`--${flag}=${value.join(flag === 'block' ? 'x' : ',')}`);
    else args.push(`--${flag}=${String(value)}`);
  }
  return args;
}

/** analyze's flags for one item, its outputs in `staging`. A bad pipeline option is a UsageError naming batch.json's field. */
export function itemFlags(project: Project, item: ManifestItem, staging: string): Flags {
  const file = join(project.dir, 'batch.json');
  const args = [item.input, ...pipelineArgs(project.config.pipeline, file)];
  for (const o of project.config.outputs) args.push(`--${o}`, join(staging, OUTPUT_FILES[o]));
  let a: Flags | 'help';
  try {
    a = parseFlags(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    const m = /--([a-z-]+)/.exec(err.message);
    const field = m !== null ? `field 'pipeline.${m[1]}'` : "field 'pipeline'";
    throw new UsageError(`${file}: ${field}: ${err.message.replace(/; run 'voxelflow analyze --help'$/, '')}`);
  }
  if (a === 'help') throw new UsageError(`${file}: field 'pipeline' holds no analyze option`);
  checkOutputs(a);
  return a;
}

/** Runs items on `ctx`, each an analyze pipeline; several may run at once on the one context. */
export function itemRunner(ctx: Context, project: Project): ItemRunner {
  return async (item: ManifestItem, staging: string): Promise<ItemResult> => {
    try {
      const a = itemFlags(project, item, staging);
      // The input's header first: a missing, truncated or unreadable file is the input's fault.
      if (a.synthetic === null) openImage(a.input, a.open);
      await analyzeOnContext(ctx, a, null, false);
      return { outcome: 'done' };
    } catch (err) {
      return { outcome: classify(err), error: oneLine(err) };
    }
  };
}

/** 'lost' for what the cluster causes (no executors, a lost connection), 'failed' for the rest. */
export function classify(err: unknown): 'failed' | 'lost' {
  if (err instanceof ImageFormatError) return 'failed';
  const tag = (err as { _tag?: unknown } | null)?._tag;
  if (tag === 'ExecutorWaitTimeoutError' || tag === 'JobAbortedError') return 'lost';
  const message = err instanceof Error ? err.message : String(err);
  return /\b(UNAVAILABLE|ECONNREFUSED|ECONNRESET|EPIPE)\b|connection (to the master )?(lost|closed|dropped)/i.test(message) ? 'lost' : 'failed';
}

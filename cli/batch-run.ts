/**
 * `voxelflow batch run PROJECT` and `batch retry-failed PROJECT`: every item neither done nor failed
 * (retry-failed: the failed ones put back first), K at a time on one shared context, then status.csv,
 * failed.jsonl and, when every item is done, the collated table. Exit 0: every item done; 3: the batch
 * finished with failed items; 1: items lost to the cluster too often; 2: a usage error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { collate, itemStatuses, runBatch, summarize, type Collation, type Project, type RunReport } from '../batch/index.js';
import type { BatchRow, Dashboard } from '../ui/index.js';
import { readSecretFile } from '../cluster/secret.js';
import type { ContextOptions } from '../core/index.js';
import { createContext } from './analyze.js';
import { CONTEXT_OPTIONS, memoryFlag, sgeFlags } from './analyze-flags.js';
import { itemFlags, itemRunner, STATS_COLUMNS } from './batch-item.js';
import { asUsage, openProject } from './batch-project.js';
import { BatchProgress } from './batch-progress.js';
import { uiPortFlag } from './ui-flag.js';
import { integerFlag, onePositional, parseCommandLine } from './flags.js';

export const RUN_HELP = `usage: voxelflow batch run PROJECT [options]
       voxelflow batch retry-failed PROJECT [options]

Runs every item of PROJECT that is neither done nor failed (retry-failed: puts the failed items back
first), --parallel K at a time on one context, retrying an item whose input makes it fail up to
batch.json's "retries" more times, then writes output/status.csv, output/failed.jsonl and, when every
item is done, output/collated/stats.csv and stats.arrow. Exit 0: all done; 3: some items failed
(listed in failed.jsonl); 2: a bad batch.json, manifest or flag, or another run holds the project.

  --parallel K             items analyzed at once (default 2)
  --master M               local, local[N], local[*] (default), voxelflow://HOST:PORT or sge
  --workers N, --worker-cores C, --queue Q, --walltime T   with --master sge, as in analyze
  --secret-file F          the cluster's secret (default: the VOXELFLOW_SECRET variable)
  --memory SIZE, --spill-dir DIR                            as in analyze
  --json                   a JSON summary on stdout, progress as JSON lines on stderr
  --quiet                  no progress on stderr
  --ui-port P              serve the dashboard (with the batch's items) on 127.0.0.1:P`;

interface RunFlags {
  readonly project: string;
  readonly parallel: number;
  readonly context: ContextOptions;
  readonly json: boolean;
  readonly quiet: boolean;
}

function parseRunFlags(argv: string[], command: string): RunFlags | 'help' {
  const parsed = parseCommandLine(`batch ${command}`, argv, {
    parallel: { type: 'string' },
    ...CONTEXT_OPTIONS,
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    'ui-port': { type: 'string' },
  });
  const v = parsed.values;
  if (v.help === true) return 'help';
  const project = onePositional(`batch ${command}`, parsed.positionals, 'project folder');
  const parallel = v.parallel === undefined ? 2 : integerFlag('parallel', v.parallel, { min: 1, max: 1024, want: 'a whole number in 1..1024' });
  const master = v.master ?? 'local[*]';
  const sge = sgeFlags(master, { workers: v.workers, cores: v['worker-cores'], queue: v.queue, walltime: v.walltime });
  const uiPort = uiPortFlag(v['ui-port']);
  const context: ContextOptions = {
    master,
    memory: memoryFlag(v.memory),
    ...(v['spill-dir'] !== undefined ? { spillDir: v['spill-dir'] } : {}),
    ...(v['secret-file'] !== undefined ? { secret: readSecretFile(v['secret-file']) } : {}),
    ...(sge !== null ? { sge } : {}),
    ...(uiPort !== null ? { ui: { port: uiPort } } : {}),
  };
  return { project, parallel, context, json: v.json === true, quiet: v.quiet === true };
}

/** `batch run` (`resetFailed`: `batch retry-failed`). */
export async function runBatchCommand(argv: string[], command: 'run' | 'retry-failed'): Promise<number> {
  const f = parseRunFlags(argv, command);
  if (f === 'help') {
    console.log(RUN_HELP);
    return 0;
  }
  const project = openProject(f.project);
  checkPipeline(project);
  let progress: BatchProgress | null = null;
  let dashboard: Dashboard | null = null;
  let report: RunReport;
  try {
    report = await runBatch(
      project,
      f.parallel,
      async () => {
        const ctx = await createContext(f.context);
        if (ctx.ui !== null) {
          process.stderr.write(`voxelflow batch: dashboard at ${ctx.ui.url}\n`);
          ctx.ui.showBatch(() => batchView(project, f.parallel));
          dashboard = ctx.ui;
        }
        return { runItem: itemRunner(ctx, project), close: () => ctx.stop() };
      },
      {
        queued: (queued, total) => {
          if (queued > 0) progress = new BatchProgress(f.quiet ? 'off' : f.json ? 'json' : 'auto', total, total - queued, f.parallel);
        },
        itemStarted: () => {
          progress?.started();
          dashboard?.batchChanged();
        },
        itemEnded: (_item, outcome, seconds) => {
          progress?.ended(outcome, seconds);
          dashboard?.batchChanged();
        },
      },
      command === 'retry-failed',
    );
  } catch (err) {
    throw asUsage(err);
  } finally {
    (progress as BatchProgress | null)?.stop();
  }
  const counts = { done: 0, failed: 0, pending: 0, running: 0 };
  for (const s of report.statuses) counts[s.state]++;
  let collation: Collation | null = null;
  if (counts.done === report.statuses.length && project.config.outputs.includes('stats')) collation = collate(project, report.statuses, STATS_COLUMNS, false);
  printSummary(f.json, project, report, counts, collation);
  if (counts.failed > 0) return 3;
  if (report.lost.length > 0 || counts.pending + counts.running > 0) return 1;
  return 0;
}

/** The dashboard's batch view: every item's state, from item.json records and the ledger, when a page asks. */
export function batchView(project: Project, parallel: number): BatchRow {
  const statuses = itemStatuses(project);
  const s = summarize(statuses, parallel);
  const sampleOf = new Map(project.items.map((i) => [i.item, i.meta[project.config.sampleColumn] ?? '']));
  return {
    project: basename(project.dir),
    total: s.total,
    done: s.done,
    running: s.running,
    pending: s.pending,
    failed: s.failed,
    medianSeconds: s.medianSeconds,
    etaSeconds: s.etaSeconds,
    items: statuses.map((x) => ({ item: x.item, sample: sampleOf.get(x.item) ?? '', state: x.state, attempts: x.attempts, seconds: x.seconds, error: x.error })),
  };
}

/** The pipeline's options checked once, before any context or attempt: a bad one is batch.json's fault. */
function checkPipeline(project: Project): void {
  const scratch = mkdtempSync(join(tmpdir(), 'voxelflow-batch-check-'));
  try {
    itemFlags(project, project.items[0] as Project['items'][number], scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function printSummary(json: boolean, project: Project, report: RunReport, counts: Record<'done' | 'failed' | 'pending' | 'running', number>, collation: Collation | null): void {
  const rel = (p: string): string => relative(process.cwd(), p) || '.';
  if (json) {
    console.log(JSON.stringify({ items: report.statuses.length, ...counts, queued: report.queued, attempts: report.attempts, lost: report.lost, collated: collation === null ? null : { csv: rel(collation.csv), arrow: rel(collation.arrow), rows: collation.rows } }));
    return;
  }
  console.log(`batch        ${rel(project.dir)}: ${report.statuses.length} items: ${counts.done} done, ${counts.failed} failed, ${counts.pending + counts.running} pending`);
  console.log(`this run     ${report.queued} items to do, ${report.attempts} attempts${report.removed > 0 ? `, ${report.removed} stale folders removed first (staging, or items whose record no longer matches)` : ''}`);
  if (counts.failed > 0) console.log(`failed       listed in ${rel(join(project.dir, 'output', 'failed.jsonl'))}; fix the inputs, then 'voxelflow batch retry-failed ${rel(project.dir)}'`);
  if (report.lost.length > 0) console.log(`lost         ${report.lost.length} items lost their worker ${project.config.lostLimit} times (batch.json lostLimit); check the cluster and run again`);
  if (collation !== null) console.log(`collated     ${rel(collation.csv)} and ${rel(collation.arrow)}: ${collation.rows} rows from ${collation.items} items`);
  else if (project.config.outputs.includes('stats')) console.log(`collated     not yet: items are not all done ('voxelflow batch collate ${rel(project.dir)} --partial' collates the done ones)`);
}

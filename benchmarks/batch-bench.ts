/**
 * Batch projects (issue 17), timed as users run them:
 * - 200 items of 64^3 on local[2]: the per-item overhead of a batch (its wall time minus the sum of
 *   the same items' pipeline times on the same context, over the item count), target <= 20 ms;
 * - 1000 items: `voxelflow batch status` and `voxelflow batch collate` as fresh processes, <= 2 s each;
 * - 20 items of 256^3: `voxelflow batch run` against the best hand-written parallel shell loop of
 *   `voxelflow analyze` on the same cores (xargs -P 2 of local[1], or -P 1 of local[2]), >= 0.9x its
 *   throughput.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject, runBatch } from '../batch/index.js';
import { VERSION } from '../cluster/package-info.js';
import { analyzeOnContext } from '../cli/analyze.js';
import { itemFlags, itemRunner, STATS_COLUMNS } from '../cli/batch-item.js';
import { Context } from '../core/index.js';
import type { BenchRow } from './harness.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');
const PIPELINE = { above: 500, box: 1, connectivity: 26 };

/** A project of `count` blobs phantoms of side `n` (distinct seeds), written by voxelflow itself. */
async function makeProject(dir: string, count: number, n: number): Promise<void> {
  mkdirSync(join(dir, 'input'), { recursive: true });
  const ctx = await Context.create({ master: 'local[2]' });
  try {
    for (let i = 0; i < count; i++) await ctx.images.synthetic({ kind: 'blobs', shape: [n, n, n], seed: i + 1 }).write(join(dir, 'input', `i${i}.npy`));
  } finally {
    await ctx.stop();
  }
  writeFileSync(join(dir, 'manifest.csv'), `item,input,sample\n${Array.from({ length: count }, (_, i) => `i${i},input/i${i}.npy,S${i % 4}`).join('\n')}\n`);
  writeFileSync(join(dir, 'batch.json'), JSON.stringify({ pipeline: PIPELINE, outputs: ['stats'], retries: 0 }));
}

function voxelflow(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`voxelflow ${args.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').pop() ?? ''}`);
  return performance.now() - t;
}

/** Per-item overhead: a batch's wall time against the sum of its items' pipeline times on one context. */
async function overheadRow(work: string, count: number, n: number): Promise<BenchRow> {
  const dir = join(work, 'overhead');
  await makeProject(dir, count, n);
  const project = loadProject(dir, VERSION, STATS_COLUMNS);
  const ctx = await Context.create({ master: 'local[2]' });
  try {
    const scratch = join(work, 'scratch');
    mkdirSync(scratch);
    // A warm-up pass over every item (worker threads, kernels, the page cache), then each item's
    // pipeline alone: the sum is the baseline.
    for (const item of project.items) await analyzeOnContext(ctx, itemFlags(project, item, scratch), null, false);
    let pipelines = 0;
    for (const item of project.items) {
      const t = performance.now();
      await analyzeOnContext(ctx, itemFlags(project, item, scratch), null, false);
      pipelines += performance.now() - t;
    }
    const t = performance.now();
    const report = await runBatch(project, 1, async () => ({ runItem: itemRunner(ctx, project), close: async () => {} }));
    const wall = performance.now() - t;
    if (report.statuses.some((s) => s.state !== 'done')) throw new Error('batch: not every item is done');
    const perItem = (wall - pipelines) / count;
    return {
      suite: 'batch', name: `batch run, ${count} items of ${n}^3, --parallel 1 on local[2] (in process)`, ms: wall, baselineMs: pipelines, baseline: 'sum of the items\' pipelines on the same context',
      value: { amount: perItem, unit: 'ms overhead per item' }, target: '<= 20 ms per item', met: perItem <= 20,
    };
  } finally {
    await ctx.stop();
  }
}

/** `batch status` and `batch collate` of a finished 1000-item project, each a fresh process. */
async function statusRows(work: string, count: number): Promise<BenchRow[]> {
  const dir = join(work, 'status');
  await makeProject(dir, count, 8);
  voxelflow(['batch', 'run', dir, '--master', 'local[2]', '--parallel', '4', '--quiet']);
  const time = (args: string[]): number => {
    voxelflow(args);
    const runs = [voxelflow(args), voxelflow(args), voxelflow(args)].sort((a, b) => a - b);
    return runs[1] as number;
  };
  const status = time(['batch', 'status', dir]);
  const collate = time(['batch', 'collate', dir]);
  return [
    { suite: 'batch', name: `voxelflow batch status, ${count} items (fresh process)`, ms: status, baselineMs: null, baseline: 'absolute', target: '<= 2 s', met: status <= 2000 },
    { suite: 'batch', name: `voxelflow batch collate, ${count} items (fresh process)`, ms: collate, baselineMs: null, baseline: 'absolute', target: '<= 2 s', met: collate <= 2000 },
  ];
}

/** `batch run` against the best parallel shell loop of `voxelflow analyze` over the same inputs. */
async function throughputRow(work: string, count: number, n: number): Promise<BenchRow> {
  const dir = join(work, 'throughput');
  await makeProject(dir, count, n);
  const out = join(work, 'loop-out');
  mkdirSync(out);
  const flags = `--above ${PIPELINE.above} --box ${PIPELINE.box} --connectivity ${PIPELINE.connectivity} --overwrite --quiet`;
  const loop = (jobs: number, master: string): number => {
    const script = `ls ${dir}/input/*.npy | xargs -P ${jobs} -I{} sh -c '${process.execPath} ${BIN} analyze {} ${flags} --master "${master}" --stats ${out}/$(basename {}).csv > /dev/null'`;
    const t = performance.now();
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`shell loop failed: ${r.stderr.trim().split('\n').pop() ?? ''}`);
    return performance.now() - t;
  };
  const loops = [
    { name: 'xargs -P 2, analyze --master local[1]', ms: loop(2, 'local[1]') },
    { name: 'xargs -P 1, analyze --master local[2]', ms: loop(1, 'local[2]') },
  ].sort((a, b) => a.ms - b.ms);
  const best = loops[0] as { name: string; ms: number };
  const ms = voxelflow(['batch', 'run', dir, '--master', 'local[2]', '--parallel', '2', '--quiet']);
  const ratio = best.ms / ms;
  return {
    suite: 'batch', name: `batch run, ${count} items of ${n}^3, --parallel 2 on local[2] (fresh process)`, ms, baselineMs: best.ms, baseline: `best shell loop (${best.name})`,
    target: '>= 0.9x the shell loop\'s throughput', met: ratio >= 0.9, note: `${ratio.toFixed(2)}x its throughput; other loop ${Math.round((loops[1] as { ms: number }).ms)} ms`,
  };
}

/** The batch suite; `sizes` scale it down for a quick check. */
export async function batchBenchmarks(log: (line: string) => void, sizes = { overhead: [200, 64], status: 1000, throughput: [20, 256] }): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'voxelflow-batch-bench-'));
  try {
    const rows: BenchRow[] = [];
    log(`batch: per-item overhead (${sizes.overhead[0]} items of ${sizes.overhead[1]}^3)`);
    rows.push(await overheadRow(work, sizes.overhead[0] as number, sizes.overhead[1] as number));
    log(`batch: status and collation of ${sizes.status} items`);
    rows.push(...(await statusRows(work, sizes.status)));
    log(`batch: throughput against a shell loop (${sizes.throughput[0]} items of ${sizes.throughput[1]}^3)`);
    rows.push(await throughputRow(work, sizes.throughput[0] as number, sizes.throughput[1] as number));
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

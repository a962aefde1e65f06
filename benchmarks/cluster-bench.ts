/**
 * Issue 5 benchmarks: the cluster against local threads, in the same run on the same data. A master runs
 * in this process; workers are real `voxelflow worker` processes (1 core each) on loopback.
 *
 * - The analyze pipeline (read .npy → box filter r=1 → threshold → 26-labeling → shape statistics) on
 *   512^3 blobs with 1 and 2 workers against `local[2]`. Targets: 2 workers ≥ 1.6x 1 worker; 2 workers
 *   within 1.25x of local[2]'s time.
 * - Block transfer between two workers: partitions of 256 MB cached on one worker and read by a task on
 *   the other (FetchBlocks over gRPC); bytes moved over the task's wall time (a lower bound: it includes
 *   scheduling the task). Target ≥ 1 GB/s.
 * - Recovery: a shuffle job (reduceByKey) with one worker SIGKILLed once its map stage is done, against
 *   the same job on a healthy cluster (the lost map output is recomputed on the other worker).
 *
 * VOXELFLOW_BENCH_CLUSTER_SIDE=256 shrinks the pipeline volume for a quick look.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Context } from '../core/index.js';
import '../imaging/index.js';
import { Master } from '../cluster/index.js';
import { writeImage } from '../imaging/io/index.js';
import { median, type BenchRow } from './harness.js';
import { BLOB_THRESHOLD, blobVolume } from './imaging-bench.js';

const RUNS = 3;
const SECRET = 'voxelflow-bench-secret';
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');

async function pipeline(ctx: Context, npy: string): Promise<number> {
  const img = ctx.images.read(npy);
  const filtered = img.boxFilter(1).cache();
  const labels = filtered.threshold({ above: BLOB_THRESHOLD }).labelComponents({ connectivity: 26, intensity: filtered });
  const rows = await labels.shapeStats();
  filtered.unpersist();
  return rows.length;
}

/** Median time of the pipeline on `master` (components checked against `expect`). */
async function timePipeline(master: string, npy: string, expect: number | null): Promise<{ ms: number; components: number }> {
  const ctx = await Context.create({ master, secret: SECRET, memory: '8g' });
  try {
    let components = 0;
    const ms = await median(async () => {
      components = await pipeline(ctx, npy);
      if (expect !== null && components !== expect) throw new Error(`${master} found ${components} components, local[2] ${expect}`);
    }, RUNS, 1);
    return { ms, components };
  } finally {
    await ctx.stop();
  }
}

class WorkerProcess {
  readonly child: ChildProcess;
  constructor(master: string, name: string, secretFile: string) {
    this.child = spawn(process.execPath, [BIN, 'worker', '--master', master, '--cores', '1', '--memory', '6g', '--name', name, '--secret-file', secretFile], { stdio: 'ignore' });
  }
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

async function until(what: string, ok: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Bytes per second of cached partitions read from the other worker. */
async function transfer(url: string): Promise<{ gbps: number; bytes: number; ms: number }> {
  const ctx = await Context.create({ master: url, secret: SECRET, memory: '8g' });
  try {
    const size = 256 * 1024 * 1024;
    const rates: { bytes: number; ms: number }[] = [];
    for (let run = 0; run < RUNS + 1; run++) {
      // Two fresh cached partitions each run (a worker keeps blocks it fetched, so reusing them would not move bytes).
      const where = new Map<number, string>();
      const off = ctx.on('taskEnd', (e) => where.set(e.partition, e.executorId));
      const cached = ctx.parallelize([0, 1], 2).map((i, env) => new Uint8Array(env.size).fill(i + 1), { size }).persist('MEMORY_ONLY');
      await cached.count();
      off();
      // One task reads both partitions: whichever lives on the other worker crosses the network.
      let reader = '';
      const offRead = ctx.on('taskEnd', (e) => (reader = e.executorId));
      const t = performance.now();
      const total = await cached.coalesce(1).map((a) => a.length).reduce((a, b) => a + b);
      const ms = performance.now() - t;
      offRead();
      if (total !== 2 * size) throw new Error(`transfer read ${total} bytes, expected ${2 * size}`);
      const remote = [0, 1].filter((p) => where.get(p) !== reader).length * size;
      if (run > 0 && remote > 0) rates.push({ bytes: remote, ms });
      cached.unpersist();
    }
    if (rates.length === 0) throw new Error('no run read a partition from the other worker (both landed on one)');
    rates.sort((a, b) => a.bytes / a.ms - b.bytes / b.ms);
    const mid = rates[Math.floor(rates.length / 2)]!;
    return { gbps: mid.bytes / (mid.ms / 1000) / 1e9, bytes: mid.bytes, ms: mid.ms };
  } finally {
    await ctx.stop();
  }
}

const shuffleJob = (ctx: Context) =>
  ctx
    .range(0, 4_000_000, 1, 8)
    .map((i) => [i % 50_000, 1] as [number, number])
    .reduceByKey((a, b) => a + b, 8)
    .map(([, v]) => v)
    .reduce((a, b) => a + b);

/** A clean shuffle job, then the same with worker `victim` SIGKILLed when the map stage is done. */
async function recovery(url: string, victim: WorkerProcess, master: Master): Promise<{ clean: number; lost: number }> {
  const ctx = await Context.create({ master: url, secret: SECRET, memory: '8g' });
  try {
    const clean = await median(async () => {
      if ((await shuffleJob(ctx)) !== 4_000_000) throw new Error('wrong shuffle result');
    }, RUNS, 1);
    let killed = false;
    const off = ctx.on('stageCompleted', (e) => {
      if (!killed && e.result === 'succeeded') {
        killed = true;
        victim.kill();
      }
    });
    const t = performance.now();
    const result = await shuffleJob(ctx);
    const lost = performance.now() - t;
    off();
    if (result !== 4_000_000) throw new Error(`the job with a lost worker gave ${result}, expected 4000000`);
    await until('the master to drop the killed worker', () => master.liveWorkers().length === 1, 30_000);
    return { clean, lost };
  } finally {
    await ctx.stop();
  }
}

export async function clusterBenchmarks(log: (line: string) => void): Promise<BenchRow[]> {
  const side = Number(process.env.VOXELFLOW_BENCH_CLUSTER_SIDE ?? 512);
  const dir = mkdtempSync(join(tmpdir(), 'voxelflow-bench-cluster-'));
  const workers: WorkerProcess[] = [];
  let master: Master | null = null;
  try {
    log(`${side}^3 blobs → .npy ...`);
    const npy = join(dir, 'blobs.npy');
    writeImage(npy, { data: await blobVolume(side), shape: [side, side, side], dtype: 'u16' });
    const secretFile = join(dir, 'secret');
    writeFileSync(secretFile, SECRET, { mode: 0o600 });
    log('pipeline on local[2] ...');
    const local = await timePipeline('local[2]', npy, null);
    master = await Master.start({ host: '127.0.0.1', port: 0, secret: SECRET, workerTimeoutMs: 3_000, log: () => undefined });
    const m = master;
    const url = `voxelflow://127.0.0.1:${m.port}`;
    workers.push(new WorkerProcess(`127.0.0.1:${m.port}`, 'bench-1', secretFile));
    await until('worker 1', () => m.liveWorkers().length === 1);
    log('pipeline on 1 worker ...');
    const one = await timePipeline(url, npy, local.components);
    workers.push(new WorkerProcess(`127.0.0.1:${m.port}`, 'bench-2', secretFile));
    await until('worker 2', () => m.liveWorkers().length === 2);
    log('pipeline on 2 workers ...');
    const two = await timePipeline(url, npy, local.components);
    log('block transfer between the workers ...');
    const moved = await transfer(url);
    log('recovery from a lost worker ...');
    const rec = await recovery(url, workers[1]!, m);
    const v = `${side}^3`;
    const name = (what: string): string => `analyze pipeline ${v} (read, box, threshold, label 26, stats), ${what}`;
    return [
      { suite: 'cluster', name: name('local[2]'), ms: local.ms, baselineMs: null, baseline: 'absolute', target: 'reported', met: true, note: `${local.components} components` },
      { suite: 'cluster', name: name('1 worker process (1 core)'), ms: one.ms, baselineMs: local.ms, baseline: 'local[2]', target: 'reported', met: true },
      {
        suite: 'cluster', name: name('2 worker processes (1 core each)'), ms: two.ms, baselineMs: one.ms, baseline: '1 worker', target: '>= 1.6x 1 worker speed',
        met: one.ms / two.ms >= 1.6, note: `speedup ${(one.ms / two.ms).toFixed(2)}x`,
      },
      {
        suite: 'cluster', name: name('2 workers vs local[2]'), ms: two.ms, baselineMs: local.ms, baseline: 'local[2]', target: 'time <= 1.25x local[2]',
        met: two.ms <= 1.25 * local.ms, note: `${(two.ms / local.ms).toFixed(2)}x local[2]`,
      },
      {
        suite: 'cluster', name: 'block transfer between two workers (cached 256 MB partitions read by the other worker)', ms: moved.ms, baselineMs: null,
        baseline: 'absolute', value: { amount: moved.gbps * 1000, unit: 'MB/s' }, target: '>= 1 GB/s', met: moved.gbps >= 1,
        note: `${(moved.bytes / 2 ** 20).toFixed(0)} MiB moved; includes scheduling the task`,
      },
      {
        suite: 'cluster', name: 'shuffle job (4M records, reduceByKey) with a worker SIGKILLed after its map stage', ms: rec.lost, baselineMs: rec.clean,
        baseline: 'the same job, no loss', target: 'reported', met: true, note: `recovery costs ${((rec.lost / rec.clean - 1) * 100).toFixed(0)}% over a clean run; the job ends on the remaining worker`,
      },
    ];
  } finally {
    for (const w of workers) w.kill();
    await master?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A master and two workers as separate processes on loopback: jobs give the same results as
 * local[2], tasks run on both workers, and a worker started while a job runs takes tasks.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Context, SpillDiskFullError, TableError, writeImage, type EventOf, type VoxelflowEvent } from '../../index.js';
import { failWithConfigError, failWithDiskFull } from '../helpers/typed-error-fns.mjs';
import { killAll, secretFile, spawnVoxelflow, startMaster, startupOf, startWorker, workerId, type Proc, type TestMaster } from './cluster-harness.js';

const SECRET = 'jobs-secret-7f3a';
let master: TestMaster;
let workers: Proc[];
let file: string;

beforeAll(async () => {
  file = secretFile(SECRET);
  master = await startMaster(file);
  workers = await Promise.all([startWorker(master, { name: 'wa', secretPath: file }), startWorker(master, { name: 'wb', secretPath: file })]);
});
afterAll(killAll);

async function onBoth<T>(job: (ctx: Context) => Promise<T>): Promise<{ local: T; cluster: T; events: VoxelflowEvent[] }> {
  const localCtx = await Context.create({ master: 'local[2]' });
  let local: T;
  try {
    local = await job(localCtx);
  } finally {
    await localCtx.stop();
  }
  const ctx = await Context.create({ master: master.url, secret: SECRET });
  const events: VoxelflowEvent[] = [];
  ctx.on('*', (e) => void events.push(e));
  try {
    return { local, cluster: await job(ctx), events };
  } finally {
    await ctx.stop();
  }
}

describe('cluster jobs (master + 2 worker processes)', () => {
  it('knows both workers when the driver connects', async () => {
    const ctx = await Context.create({ master: master.url, secret: SECRET });
    try {
      expect(ctx.defaultParallelism).toBe(4);
      expect(ctx.serializesFunctions).toBe(true);
    } finally {
      await ctx.stop();
    }
  });

  it('gives the same results as local[2] for a shuffle-heavy job, running tasks on both workers', async () => {
    const { local, cluster, events } = await onBoth(async (ctx) => {
      const pairs = ctx.range(0, 20_000, 1, 8).map((x) => [x % 97, x] as [number, number]);
      const sums = await pairs.reduceByKey((a, b) => a + b, 5).sortByKey().collect();
      const groups = await pairs
        .groupByKey(3)
        .mapValues((vs) => [vs.length, Math.min(...vs), Math.max(...vs)])
        .sortByKey()
        .collect();
      const names = ctx.parallelize(Array.from({ length: 97 }, (_, i) => [i, `k${i}`] as [number, string]), 3);
      const joined = await pairs.filter(([, v]) => v % 50 === 0).join(names, 4).sortBy(([k, [v]]) => k * 100_000 + v).collect();
      const sorted = await ctx.range(0, 5_000, 1, 6).map((x) => (x * 7919) % 5_003).sortBy((x) => -x, false, 4).take(10);
      const distinct = (await pairs.map(([k]) => k % 10).distinct(3).collect()).sort((a, b) => a - b);
      const cached = pairs.mapValues((v) => v * 2).cache();
      const cachedTwice = [await cached.count(), await cached.values().sum()];
      // A broadcast read by every task of two jobs (its bytes reach each worker once).
      const squares = ctx.broadcast(Array.from({ length: 97 }, (_, i) => i * i));
      const lookedUp = await pairs.map(([k], env) => env.sq.value[k] as number, { sq: squares }).sum();
      const lookedUpAgain = await pairs.filter(([k], env) => (env.sq.value[k] as number) % 2 === 0, { sq: squares }).count();
      return { sums, groups, joined, sorted, distinct, cachedTwice, lookedUp, lookedUpAgain };
    });
    expect(cluster).toEqual(local);
    expect(cluster.sums).toHaveLength(97);
    const executors = new Set(events.flatMap((e) => (e.type === 'taskEnd' && e.status === 'success' ? [e.executorId] : [])));
    expect([...executors].sort()).toEqual([await workerId(workers[0] as Proc), await workerId(workers[1] as Proc)].sort());
    expect(events.some((e) => e.type === 'taskEnd' && e.status !== 'success')).toBe(false);
  });

  it('gives the same results as local[2] for an image pipeline (box filter, threshold, label, shape stats)', async () => {
    const { local, cluster } = await onBoth(async (ctx) => {
      const img = ctx.images.synthetic({ kind: 'blobs', shape: [48, 64, 64], seed: 5, blockShape: [24, 32, 32] });
      const filtered = img.boxFilter(1).cache();
      const labels = filtered.threshold({ above: 600 }).labelComponents({ connectivity: 26 });
      return { count: await labels.componentCount(), rows: await labels.shapeStats(filtered) };
    });
    expect(cluster.count).toBeGreaterThan(3);
    expect(cluster).toEqual(local);
  });

  it('rebuilds typed task errors on the driver as their class with their fields, as local[2] does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voxelflow-cluster-errors-'));
    try {
      const csv = join(dir, 'short.csv');
      writeFileSync(csv, 'a,b\n1,2\n3\n');
      const { local, cluster } = await onBoth(async (ctx) => {
        const config = (await ctx.parallelize([7], 1).map(failWithConfigError).collect().catch((e: unknown) => e)) as Error;
        const disk = (await ctx.parallelize([1], 1).map(failWithDiskFull).collect().catch((e: unknown) => e)) as Error;
        const table = await ctx.readCsv(csv).count().catch((e: unknown) => e);
        const c = config.cause;
        const d = disk.cause;
        return {
          config: c instanceof ConfigError ? [c.option, c.message] : c,
          disk: d instanceof SpillDiskFullError ? [d.directory, d.bytesNeeded, d.freeBytes, (d.cause as NodeJS.ErrnoException).code] : d,
          table: table instanceof TableError ? [table.where, table.problem, table.fix] : table,
        };
      });
      expect(cluster).toEqual(local);
      expect(cluster).toEqual({
        config: ['threshold', 'threshold: 7 is not a number; pass a number'],
        disk: ['/spill/here', 5096, null, 'ENOSPC'],
        table: [`${csv}:3`, 'row has 1 column, the header has 2', 'fix the row, or check the delimiter (--delimiter)'],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs tasks that read cached partitions on the worker holding them', async () => {
    const ctx = await Context.create({ master: master.url, secret: SECRET });
    try {
      // Partition 0 fails once, so its retry (and cached block) lands on the worker that did not take it
      // first: a scheduler blind to block locations would start the next job there on the wrong worker.
      const cached = ctx
        .range(0, 80, 1, 8)
        .mapPartitions((it, _env, tc) => {
          if (tc.partitionId === 0 && tc.attemptNumber === 0) throw new Error('first attempt of partition 0 fails');
          return it;
        })
        .cache();
      const holder = new Map<number, string>();
      const offFirst = ctx.on('taskEnd', (e) => void (e.status === 'success' && holder.set(e.partition, e.executorId)));
      expect(await cached.count()).toBe(80);
      offFirst();
      const starts: EventOf<'taskStart'>[] = [];
      ctx.on('taskStart', (e) => void starts.push(e));
      const pause = (x: number, env: { ms: number }): number => {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, env.ms);
        return x;
      };
      expect(await cached.map(pause, { ms: 20 }).sum()).toBe((79 * 80) / 2);
      // On each worker, the partitions it holds (and nobody else took) run before anything else.
      for (const executorId of new Set(holder.values())) {
        const mine = [...holder].filter(([, e]) => e === executorId).map(([p]) => p);
        const takenElsewhere = starts.filter((e) => mine.includes(e.partition) && e.executorId !== executorId).length;
        const firstOnIt = starts.filter((e) => e.executorId === executorId).slice(0, mine.length - takenElsewhere);
        expect(firstOnIt.map((e) => holder.get(e.partition))).toEqual(firstOnIt.map(() => executorId));
      }
    } finally {
      await ctx.stop();
    }
  });

  it('runs `voxelflow analyze --master voxelflow://...` with the same outputs as local[2]', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voxelflow-cluster-analyze-'));
    try {
      const ctx = await Context.create({ master: 'local' });
      writeImage(join(dir, 'blobs.npy'), await ctx.images.synthetic({ kind: 'blobs', shape: [24, 40, 36], seed: 5 }).toArray());
      await ctx.stop();
      const analyze = async (master: string, tag: string, extra: string[] = []): Promise<{ code: number | null; out: string }> => {
        const args = ['analyze', 'blobs.npy', '--box', '1', '--above', '400', '--block', '12x20x18', '--stats', `${tag}.csv`, '--labels', `${tag}.npy`, '--json', '--quiet', '--master', master, ...extra];
        const p = spawnVoxelflow(`analyze-${tag}`, args, {}, dir); // a relative input path: the workers run elsewhere
        const { code } = await p.exited;
        return { code, out: p.out };
      };
      const local = await analyze('local[2]', 'local');
      const remote = await analyze(master.url, 'cluster', ['--secret-file', file]);
      expect(remote.code).toBe(0);
      const components = (out: string): number => (JSON.parse(out) as { components: number }).components;
      expect(components(remote.out)).toBe(components(local.out));
      expect(readFileSync(join(dir, 'cluster.csv'), 'utf8')).toBe(readFileSync(join(dir, 'local.csv'), 'utf8'));
      expect(readFileSync(join(dir, 'cluster.npy')).equals(readFileSync(join(dir, 'local.npy')))).toBe(true);
      const refused = await analyze(master.url, 'refused', ['--secret-file', secretFile('not-the-secret')]);
      expect(refused.code).toBe(1);
      expect(refused.out.trim()).toMatch(/^voxelflow analyze: the master at voxelflow:\/\/\S+ refused this driver: UNAUTHENTICATED: authentication failed: wrong secret/);
      expect(refused.out.trim().split('\n')).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('copies a straggler to the other worker and takes the copy (speculation)', async () => {
    const ctx = await Context.create({ master: master.url, secret: SECRET, speculation: true, speculationMinMs: 200 });
    try {
      const starts: EventOf<'taskStart'>[] = [];
      ctx.on('taskStart', (e) => void starts.push(e));
      const t0 = Date.now();
      const out = await ctx
        .range(0, 16, 1, 8)
        .map((x, _env, tc) => {
          // The first attempt of partition 3 hangs for 20 s; any copy is quick.
          if (tc.partitionId === 3 && tc.attemptNumber === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20_000);
          return x + 1;
        })
        .collect();
      expect(out).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
      expect(Date.now() - t0).toBeLessThan(15_000);
      const [first, copy] = starts.filter((e) => e.partition === 3);
      expect(copy?.speculative).toBe(true);
      expect(copy?.executorId).not.toBe(first?.executorId);
    } finally {
      await ctx.stop();
    }
  });

  it('says clearly when no master answers, after connectTimeout', async () => {
    const t0 = Date.now();
    await expect(Context.create({ master: 'voxelflow://127.0.0.1:9', secret: SECRET, connectTimeout: 1_500 })).rejects.toThrow(
      /cannot reach the master at voxelflow:\/\/127\.0\.0\.1:9 within 1\.5 s; is 'voxelflow master' running there\?/,
    );
    // It waited for the master (a refused connection is retried), not the default 10 s.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_400);
    expect(Date.now() - t0).toBeLessThan(9_000);
    await expect(Context.create({ master: 'voxelflow://127.0.0.1:9', secret: SECRET, connectTimeout: 0 })).rejects.toMatchObject({ option: 'connectTimeout' });
  });

  it('gives a worker that joins while a job runs tasks at once', async () => {
    const ctx = await Context.create({ master: master.url, secret: SECRET });
    const starts: { executorId: string; time: number }[] = [];
    ctx.on('taskStart', (e) => void starts.push({ executorId: e.executorId, time: e.time }));
    let late: Proc | null = null;
    // Long enough for a worker to start three times over on this machine as loaded as it is now.
    const startup = Math.max(...workers.map(startupOf));
    const tasks = 4 * Math.ceil((3 * startup + 1_500) / 150);
    try {
      const job = ctx
        .range(0, tasks, 1, tasks)
        .map(
          (x, env) => {
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, env.ms);
            return x * 3;
          },
          { ms: 150 },
        )
        .collect();
      const jobStarted = Date.now();
      // It also advertises a name rather than its bind address: drivers dial what it advertises.
      late = await startWorker(master, { name: 'wlate', secretPath: secretFile(SECRET), extra: ['--advertise-host', 'localhost'] });
      const lateId = await workerId(late);
      expect(master.proc.out).toMatch(new RegExp(`worker ${lateId} registered: localhost:\\d+`));
      const out = await job;
      expect(out).toEqual(Array.from({ length: tasks }, (_, i) => i * 3));
      const lateStarts = starts.filter((s) => s.executorId === lateId);
      expect(lateStarts.length).toBeGreaterThan(0);
      expect(lateStarts.every((s) => s.time >= jobStarted)).toBe(true);
    } finally {
      await ctx.stop();
      (late as Proc | null)?.kill('SIGKILL');
    }
  });
});

/**
 * End to end against a real Grid Engine (scripts/start-sge.sh; .ci/run starts it): workers submitted with
 * qsub run real `voxelflow worker` processes. Skips, naming Grid Engine, when qsub is absent.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, type VoxelflowEvent } from '../../../index.js';
import { Master } from '../../../cluster/index.js';
import { jobOptions, SgeLauncher } from '../../../cluster/sge/index.js';

const hasSge = spawnSync('qsub', ['-help'], { encoding: 'utf8' }).error === undefined;
const dir = mkdtempSync(join(tmpdir(), 'vf-sge-e2e-'));
const sge = new SgeLauncher();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const slowDoubles = (ctx: Context, n: number, ms: number) =>
  ctx.range(0, n, 1, n).map((x, env) => {
    const t = Date.now();
    while (Date.now() - t < env.ms);
    return x * 2;
  }, { ms });

/** Doubles each element after `ms` of busy work, or at once when the file `flag` exists. */
const doublesUntil = (ctx: Context, n: number, ms: number, flag: string) =>
  ctx.range(0, n, 1, n).map((x, env) => {
    const fs = process.getBuiltinModule('node:fs');
    if (!fs.existsSync(env.flag)) {
      const t = Date.now();
      while (Date.now() - t < env.ms);
    }
    return x * 2;
  }, { ms, flag });

/** Polls `ready` every 100 ms; fails naming what it waited for when `ms` pass first. */
async function until(what: string, ms: number, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`waited ${ms / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function pipeline(ctx: Context): Promise<{ count: number; rows: unknown[] }> {
  const img = ctx.images.synthetic({ kind: 'blobs', shape: [24, 48, 40], seed: 3, blockShape: [8, 16, 16] });
  const labels = img.boxFilter(1).threshold({ above: 300 }).labelComponents({ connectivity: 26, intensity: img });
  return { count: await labels.componentCount(), rows: await labels.shapeStats() };
}

/** Jobs that were in the queue before this file ran are not its own (another run's leftovers). */
let before: Set<string> | null = null;

/** This file's worker jobs still in the queue. */
async function voxelflowJobs(): Promise<string[]> {
  const refs = (await sge.jobs()).filter((j) => j.name.startsWith('voxelflow-127.0.0.1-')).map((j) => j.ref);
  before ??= new Set(refs);
  return refs.filter((r) => !(before as Set<string>).has(r));
}

describe.skipIf(!hasSge)('master: sge (real Grid Engine; skipped when qsub is absent)', () => {
  beforeAll(async () => {
    await voxelflowJobs();
  });

  it('an image pipeline on 2 SGE workers equals local[2], and no job is left afterwards', async () => {
    const local = await Context.create({ master: 'local[2]' });
    const expected = await pipeline(local).finally(() => local.stop());
    const events: VoxelflowEvent[] = [];
    const ctx = await Context.create({ master: 'sge', sge: { workers: 2, logDir: join(dir, 'logs-1'), checkIntervalMs: 500 } });
    ctx.on('*', (e) => events.push(e));
    try {
      expect(await pipeline(ctx)).toEqual(expected);
      const executors = new Set(events.filter((e) => e.type === 'taskEnd').map((e) => (e as { executorId: string }).executorId));
      expect(executors.size).toBeGreaterThanOrEqual(1);
    } finally {
      await ctx.stop();
    }
    expect(events.some((e) => e.type === 'batchJobs' && e.requested === 2)).toBe(true);
    const deadline = Date.now() + 20_000;
    while ((await voxelflowJobs()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await voxelflowJobs()).toEqual([]);
  }, 90_000);

  it('voxelflow analyze --master sge --workers 2 gives the local result and leaves no job', async () => {
    const { writeImage } = await import('../../../index.js');
    const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'voxelflow.js');
    const local = await Context.create({ master: 'local' });
    const vol = await local.images.synthetic({ kind: 'blobs', shape: [16, 40, 40], seed: 9 }).toArray().finally(() => local.stop());
    const input = join(dir, 'in.npy');
    writeImage(input, vol);
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'analyze', input, '--box', '1', '--above', '300', '--json', '--quiet', ...args], { encoding: 'utf8', cwd: dir, timeout: 120_000 });
    const a = run('--master', 'local[2]');
    const b = run('--master', 'sge', '--workers', '2');
    expect(b.status, b.stderr).toBe(0);
    const summary = (out: string) => {
      // Timings and the process's peak memory differ between runs; the results must not.
      const { timings_ms: _, peak_rss_mb: __, ...rest } = JSON.parse(out) as { timings_ms: unknown; peak_rss_mb: unknown };
      return rest;
    };
    expect(summary(b.stdout)).toEqual(summary(a.stdout));
    const deadline = Date.now() + 20_000;
    while ((await voxelflowJobs()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await voxelflowJobs()).toEqual([]);
  }, 90_000);

  it('qdel of one worker in the middle of a job (-notify: it drains): the job is still correct', async () => {
    const logDir = join(dir, 'logs-2');
    const flag = join(dir, 'qdel-seen');
    const ctx = await Context.create({ master: 'sge', sge: { workers: 2, logDir, checkIntervalMs: 500 } });
    const removed: { executorId: string; reason: string }[] = [];
    const busy = new Set<string>();
    let done = false;
    ctx.on('executorRemoved', (e) => removed.push({ executorId: e.executorId, reason: e.reason }));
    ctx.on('taskStart', (e) => busy.add(e.executorId));
    let ref = '';
    try {
      // The tasks keep both workers busy until the test has seen the removal (then write the flag), so the
      // job is still running when the worker leaves, however slow qdel, the notify signal or the machine is.
      const job = doublesUntil(ctx, 400, 250, flag).collect();
      void job.then(() => (done = true), () => (done = true));
      await until('both workers to run tasks', 30_000, () => busy.size >= 2);
      // The worker's id names its own Grid Engine task (`voxelflow-<job>.<task>-<n>`): qdel exactly that one,
      // never a job of an earlier test (or of another master) that happens to match a name pattern.
      const victim = [...busy][0]!;
      ref = /^voxelflow-(\d+\.\d+)-\d+$/.exec(victim)?.[1] ?? '';
      expect(ref, `worker id ${victim} names no Grid Engine task`).not.toBe('');
      await sge.cancel([ref]);
      await until(`worker ${victim} (task ${ref}) to leave after qdel`, 60_000, () => removed.some((r) => r.executorId === victim));
      expect(done).toBe(false);
      writeFileSync(flag, '');
      expect(await job).toEqual(Array.from({ length: 400 }, (_, i) => i * 2));
      expect(removed.map((r) => r.executorId)).toEqual([victim]);
      expect(removed[0]!.reason).toMatch(/SIGUSR2/);
    } finally {
      writeFileSync(flag, '');
      await ctx.stop();
    }
    const log = readdirSync(logDir).find((f) => f.endsWith(`.${ref}.log`));
    expect(log, `no log for task ${ref} in ${logDir}`).toBeDefined();
    expect(readFileSync(join(logDir, log!), 'utf8')).toMatch(/received SIGUSR2/);
  }, 90_000);

  it('adaptive: grows while tasks wait, retires idle workers down to the minimum', async () => {
    const batches: { requested: number; pending: number; running: number; draining: number }[] = [];
    const ctx = await Context.create({ master: 'sge', sge: { workers: 1, minWorkers: 0, maxWorkers: 3, logDir: join(dir, 'logs-4'), checkIntervalMs: 300, idleChecks: 2 } });
    // The first worker registered inside Context.create, before these listeners.
    const seen = new Set<string>();
    const removed = new Set<string>();
    ctx.on('batchJobs', (e) => batches.push({ requested: e.requested, pending: e.pending, running: e.running, draining: e.draining }));
    ctx.on('executorAdded', (e) => seen.add(e.executorId));
    ctx.on('taskEnd', (e) => seen.add(e.executorId));
    ctx.on('executorRemoved', (e) => removed.add(e.executorId));
    try {
      // 18 s of work for one worker: long enough for the added workers to start and register, even on a busy machine.
      expect(await slowDoubles(ctx, 60, 300).collect()).toEqual(Array.from({ length: 60 }, (_, i) => i * 2));
      expect(Math.max(...batches.map((b) => b.requested))).toBeGreaterThanOrEqual(2);
      expect(seen.size).toBeGreaterThanOrEqual(2);
      // Idle after the job: every worker is retired (minWorkers 0) and its Grid Engine job leaves.
      const gone = () => [...seen].every((id) => removed.has(id)) && batches.at(-1)?.running === 0 && batches.at(-1)?.pending === 0 && batches.at(-1)?.draining === 0;
      const deadline = Date.now() + 30_000;
      while (!gone() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect([...seen].filter((id) => !removed.has(id))).toEqual([]);
      expect(batches.at(-1)).toMatchObject({ running: 0, pending: 0, draining: 0 });
    } finally {
      await ctx.stop();
    }
  }, 90_000);

  it('a worker reaching s_rt drains and the job completes on the others', async () => {
    const secret = 'sge-e2e-secret';
    const master = await Master.start({ host: '127.0.0.1', port: 0, secret, log: () => undefined });
    const secretFile = join(dir, 'secret');
    writeFileSync(secretFile, secret, { mode: 0o600 });
    const address = `127.0.0.1:${master.port}`;
    const ids: string[] = [];
    try {
      ids.push(await sge.submit({ master: address, secretFile }, jobOptions({ name: 'voxelflow-srt-long', logDir: join(dir, 'logs-3') }), 1));
      ids.push(await sge.submit({ master: address, secretFile }, jobOptions({ name: 'voxelflow-srt-short', logDir: join(dir, 'logs-3'), directives: ['-l s_rt=00:00:10'] }), 1));
      const deadline = Date.now() + 30_000;
      while (master.liveWorkers().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(master.liveWorkers()).toHaveLength(2);
      const ctx = await Context.create({ master: `voxelflow://${address}`, secret });
      const removed: string[] = [];
      ctx.on('executorRemoved', (e) => removed.push(e.reason));
      try {
        // Long enough (about 12 s on two workers) to outlast the short worker's s_rt, counted from its start.
        expect(await slowDoubles(ctx, 120, 200).collect()).toEqual(Array.from({ length: 120 }, (_, i) => i * 2));
      } finally {
        await ctx.stop();
      }
      expect(removed.join('\n')).toMatch(/SIGUSR1/);
      const short = readdirSync(join(dir, 'logs-3')).find((f) => f.startsWith('voxelflow-srt-short'))!;
      expect(readFileSync(join(dir, 'logs-3', short), 'utf8')).toMatch(/received SIGUSR1/);
    } finally {
      await sge.cancel(ids);
      await master.stop();
    }
  }, 90_000);
});

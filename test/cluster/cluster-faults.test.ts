/**
 * Worker loss and departure with real processes: SIGKILL of a worker at several points of a shuffle
 * job (the job completes correctly; the event bus shows the loss and the recomputed stages), a worker
 * leaving on SIGTERM mid-job (exit 0, job correct), and a worker giving up on a vanished master.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Context, type EventOf, type VoxelflowEvent } from '../../index.js';
import { killAll, Proc, secretFile, spawnVoxelflow, startMaster, startWorker, workerId, type TestMaster, waitForEvent } from './cluster-harness.js';

const SECRET = 'faults-secret-91c2';
afterEach(killAll);

interface Cluster {
  readonly master: TestMaster;
  readonly a: Proc;
  readonly b: Proc;
  readonly idA: string;
}

async function cluster(): Promise<Cluster> {
  const file = secretFile(SECRET);
  const master = await startMaster(file, 2);
  const [a, b] = await Promise.all([startWorker(master, { name: 'wa', secretPath: file }), startWorker(master, { name: 'wb', secretPath: file })]);
  return { master, a, b, idA: await workerId(a) };
}

const N = 6_000;
const KEYS = 31;
const expected = Array.from({ length: KEYS }, (_, k) => {
  let s = 0;
  for (let x = k; x < N; x += KEYS) s += x;
  return [k, s];
});

/** A two-stage job whose tasks take ~120 ms each, so that a worker can be killed while they run. */
function shuffleJob(ctx: Context): Promise<[number, number][]> {
  const pause = (it: IterableIterator<unknown>, env: { ms: number }): IterableIterator<unknown> => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, env.ms);
    return it;
  };
  return ctx
    .range(0, N, 1, 12)
    .mapPartitions(pause, { ms: 120 })
    .map((x) => [(x as number) % 31, x as number] as [number, number])
    .reduceByKey((a, b) => a + b, 8)
    .mapPartitions(pause, { ms: 120 })
    .collect()
    .then((rows) => (rows as [number, number][]).sort((p, q) => p[0] - q[0]));
}

function record(ctx: Context): VoxelflowEvent[] {
  const events: VoxelflowEvent[] = [];
  ctx.on('*', (e) => void events.push(e));
  return events;
}

function of<K extends VoxelflowEvent['type']>(events: VoxelflowEvent[], type: K): EventOf<K>[] {
  return events.filter((e): e is EventOf<K> => e.type === type);
}

/** Asserts what recovery must look like: the loss reported, the map stage run again, the result right. */
function expectRecovered(events: VoxelflowEvent[], lostId: string, result: [number, number][]): void {
  expect(result).toEqual(expected);
  expect(of(events, 'executorRemoved').map((e) => e.executorId)).toContain(lostId);
  const mapSubmits = of(events, 'stageSubmitted').filter((e) => e.kind === 'shuffleMap');
  expect(mapSubmits.some((e) => e.attempt > 0)).toBe(true);
  expect(of(events, 'stageCompleted').some((e) => e.result === 'resubmitted')).toBe(true);
  expect(of(events, 'jobEnd').at(-1)?.result).toBe('succeeded');
}

describe('SIGKILL of a worker during a shuffle job', () => {
  it('recovers when the worker dies in the middle of the map stage', async () => {
    const c = await cluster();
    const ctx = await Context.create({ master: c.master.url, secret: SECRET });
    try {
      const events = record(ctx);
      ctx.on('taskEnd', (e) => {
        if (e.executorId === c.idA && e.status === 'success') c.a.kill('SIGKILL');
      });
      const result = await shuffleJob(ctx);
      expectRecovered(events, c.idA, result);
      expect(of(events, 'taskEnd').some((e) => e.executorId === c.idA && e.status === 'failed')).toBe(true);
    } finally {
      await ctx.stop();
    }
  });

  it('recovers when the worker dies as the reduce stage starts (its map outputs are lost)', async () => {
    const c = await cluster();
    const ctx = await Context.create({ master: c.master.url, secret: SECRET });
    try {
      const events = record(ctx);
      ctx.on('stageSubmitted', (e) => {
        if (e.kind === 'result') c.a.kill('SIGKILL');
      });
      const result = await shuffleJob(ctx);
      expectRecovered(events, c.idA, result);
      expect(of(events, 'taskEnd').some((e) => e.status === 'fetchFailed')).toBe(true);
    } finally {
      await ctx.stop();
    }
  });

  it('detects a silent dead worker by its missing heartbeats and recomputes its outputs for the next job', async () => {
    const c = await cluster();
    const ctx = await Context.create({ master: c.master.url, secret: SECRET });
    try {
      const pairs = ctx.range(0, N, 1, 12).map((x) => [x % 31, x] as [number, number]);
      const sums = pairs.reduceByKey((a, b) => a + b, 8);
      expect((await sums.collect()).sort((p, q) => p[0] - q[0])).toEqual(expected);
      const events = record(ctx);
      const removed = waitForEvent(ctx, 'executorRemoved', (e) => e.executorId === c.idA, 8_000);
      c.a.kill('SIGKILL');
      const t0 = Date.now();
      expect((await removed).reason).toMatch(/no heartbeat for \d/);
      expect(Date.now() - t0).toBeLessThan(6_000);
      // The same shuffle again: its outputs on the dead worker are recomputed, the rest reused.
      expect((await sums.collect()).sort((p, q) => p[0] - q[0])).toEqual(expected);
      const mapSubmits = of(events, 'stageSubmitted').filter((e) => e.kind === 'shuffleMap');
      expect(mapSubmits).toHaveLength(1);
      expect((mapSubmits[0] as EventOf<'stageSubmitted'>).numTasks).toBeLessThan(12);
      expect(c.master.proc.out).toMatch(/worker wa-\d+ removed \(lost: no heartbeat/);
    } finally {
      await ctx.stop();
    }
  });
});

describe('driver loss', () => {
  it("frees a crashed driver's blocks on the workers", async () => {
    const c = await cluster();
    const index = new URL('../../dist/index.js', import.meta.url).href;
    const script = [
      `const { Context } = await import(${JSON.stringify(index)});`,
      `const ctx = await Context.create({ master: ${JSON.stringify(c.master.url)}, secret: ${JSON.stringify(SECRET)} });`,
      'const n = (await ctx.range(0, 1000, 1, 4).map((x) => [x % 5, x]).reduceByKey((a, b) => a + b, 4).collect()).length;',
      "console.log('job done', n);",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const driver = new Proc('driver', spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] }));
    await driver.waitFor(/job done 5/);
    driver.kill('SIGKILL');
    await c.master.proc.waitFor(/driver 'voxelflow' disconnected/);
    const freed = await Promise.race([c.a.waitFor(/freed the blocks of app (voxelflow-[0-9a-f]+): its driver disconnected/), c.b.waitFor(/freed the blocks of app (voxelflow-[0-9a-f]+)/)]);
    expect(freed[1]).toMatch(/^voxelflow-[0-9a-f]{12}$/);
  });
});

describe('worker departure', () => {
  it('drains on SIGTERM mid-job: running tasks finish, the master is told, exit 0, job correct', async () => {
    const c = await cluster();
    const ctx = await Context.create({ master: c.master.url, secret: SECRET });
    try {
      const events = record(ctx);
      let signalled = 0;
      ctx.on('taskStart', (e) => {
        if (signalled === 0 && e.executorId === c.idA && of(events, 'taskEnd').some((t) => t.executorId === c.idA && t.status === 'success')) {
          signalled = Date.now();
          c.a.kill('SIGTERM');
        }
      });
      const result = await shuffleJob(ctx);
      expect(result).toEqual(expected);
      expect(signalled).toBeGreaterThan(0);
      expect(await c.a.exited).toEqual({ code: 0, signal: null });
      expect(c.a.out).toMatch(/leaving \(received SIGTERM\)/);
      expect(c.a.out).toMatch(/left \(received SIGTERM\)/);
      expect(c.master.proc.out).toMatch(/worker wa-\d+ is draining/);
      expect(c.master.proc.out).toMatch(/worker wa-\d+ removed \(left: received SIGTERM\)/);
      // The tasks it was running when told to leave finished there.
      const running = Number((c.a.out.match(/finishing (\d+) running task/) as RegExpMatchArray)[1]);
      const finishedAfter = of(events, 'taskEnd').filter((e) => e.executorId === c.idA && e.status === 'success' && e.time >= signalled);
      expect(finishedAfter.length).toBeGreaterThanOrEqual(running);
      // Its only failed attempts are tasks it refused while leaving (run elsewhere, not counted as failures).
      const failed = of(events, 'taskEnd').filter((e) => e.executorId === c.idA && e.status === 'failed');
      expect(failed.every((e) => /is leaving|was lost: left/.test(e.error ?? ''))).toBe(true);
      expect(failed.length).toBeLessThanOrEqual(2);
      expect(of(events, 'executorRemoved').find((e) => e.executorId === c.idA)?.reason).toMatch(/left/);
    } finally {
      await ctx.stop();
    }
  });

  it('leaves on SIGUSR1 and SIGUSR2 (batch schedulers) and at the end of --lifetime, exit 0 each', async () => {
    const file = secretFile(SECRET);
    const master = await startMaster(file, 2);
    const [u1, u2, timed] = await Promise.all([
      startWorker(master, { name: 'wusr1', cores: 1, secretPath: file }),
      startWorker(master, { name: 'wusr2', cores: 1, secretPath: file }),
      startWorker(master, { name: 'wtimed', cores: 1, secretPath: file, extra: ['--lifetime', '2'] }),
    ]);
    u1.kill('SIGUSR1');
    u2.kill('SIGUSR2');
    for (const [w, why] of [[u1, 'received SIGUSR1'], [u2, 'received SIGUSR2'], [timed, 'lifetime reached']] as const) {
      expect(await w.exited).toEqual({ code: 0, signal: null });
      expect(w.out).toContain(`left (${why})`);
      await master.proc.waitFor(new RegExp(`worker ${w.name}-\\d+ removed \\(left: ${why}\\)`));
    }
  });

  it('registers again with a master restarted on the same port, and runs jobs for it', async () => {
    const file = secretFile(SECRET);
    const first = await startMaster(file, 2);
    const port = first.address.split(':')[1] as string;
    const w = await startWorker(first, { name: 'wstay', secretPath: file });
    first.proc.kill('SIGKILL');
    await first.proc.exited;
    const again = spawnVoxelflow('master2', ['master', '--port', port, '--secret-file', file, '--worker-timeout', '2']);
    const url = (await again.waitFor(/listening on (voxelflow:\/\/[\d.]+:\d+)/))[1] as string;
    await w.waitFor(/the master no longer knows wstay-1; registering again/);
    await again.waitFor(/worker wstay-\d+ registered/);
    const ctx = await Context.create({ master: url, secret: SECRET });
    try {
      expect(await ctx.range(0, 100, 1, 4).map((x) => x * 2).sum()).toBe(9900);
    } finally {
      await ctx.stop();
    }
  });

  it('exits 1 with a clear message when the master is gone past --death-timeout', async () => {
    const file = secretFile(SECRET);
    const master = await startMaster(file, 2);
    const w = await startWorker(master, { name: 'wd', secretPath: file, extra: ['--death-timeout', '1'] });
    master.proc.kill('SIGKILL');
    const t0 = Date.now();
    expect((await w.exited).code).toBe(1);
    expect(Date.now() - t0).toBeLessThan(6_000);
    expect(w.out).toMatch(/master 127\.0\.0\.1:\d+ unreachable for \d+ s \(death timeout 1 s; last error UNAVAILABLE/);
    expect(w.out).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 1 when no master ever answers within --death-timeout', async () => {
    const w = spawnVoxelflow('lonely', ['worker', '--master', '127.0.0.1:9', '--death-timeout', '1', '--cores', '1'], { VOXELFLOW_SECRET: SECRET });
    expect((await w.exited).code).toBe(1);
    expect(w.out).toMatch(/master 127\.0\.0\.1:9 unreachable for \d+ s/);
  });
});

/**
 * Losing workers while other workers read their blocks, with real processes: a SIGKILLed peer is a
 * fetch failure, never a task failure (20 kills in a row with maxTaskFailures 1); a frozen peer
 * (SIGSTOP) does not hold healthy workers' fetches past the master's worker timeout; a driver left
 * with no worker says so and fails after executorWaitTimeout, or waits for a new one when it is 0.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Context, ExecutorWaitTimeoutError, type Volume } from '../../index.js';
import { killAll, secretFile, startMaster, startWorker, workerId, type Proc, type TestMaster, waitForEvent } from './cluster-harness.js';

const SECRET = 'executor-loss-secret-5d1e';
afterEach(killAll);

const SHAPE: [number, number, number] = [48, 64, 64];
const BLOCK: [number, number, number] = [24, 32, 32];

/** The box-filtered phantom, computed inline: what every cluster run must give. */
async function expectedVolume(): Promise<Volume> {
  const ctx = await Context.create({ master: 'local' });
  try {
    return await ctx.images.synthetic({ kind: 'blobs', shape: SHAPE, seed: 5, blockShape: BLOCK }).boxFilter(1).toArray();
  } finally {
    await ctx.stop();
  }
}

/** Starts a worker; resolves once the context has it as an executor. */
async function joined(ctx: Context, master: TestMaster, name: string, file: string): Promise<{ proc: Proc; id: string }> {
  const seen = new Set<string>();
  const off = ctx.on('executorAdded', (e) => void seen.add(e.executorId));
  try {
    const proc = await startWorker(master, { name, secretPath: file, cores: 2 });
    const id = await workerId(proc);
    if (!seen.has(id)) await waitForEvent(ctx, 'executorAdded', (e) => e.executorId === id, 20_000);
    return { proc, id };
  } finally {
    off();
  }
}

describe('a peer lost while its cached blocks are read', () => {
  it('SIGKILL as a box filter over cached blocks starts: 20 of 20 jobs succeed with maxTaskFailures 1', async () => {
    const expected = await expectedVolume();
    const file = secretFile(SECRET);
    const master = await startMaster(file, 2);
    await startWorker(master, { name: 'stay', secretPath: file, cores: 2 });
    const ctx = await Context.create({ master: master.url, secret: SECRET, maxTaskFailures: 1 });
    try {
      // The next victim starts while this round runs: a round costs a job, not a worker's start-up.
      let next = joined(ctx, master, 'doomed0', file);
      for (let round = 0; round < 20; round++) {
        const a = await next;
        if (round < 19) next = joined(ctx, master, `doomed${round + 1}`, file);
        const cached = ctx.images.synthetic({ kind: 'blobs', shape: SHAPE, seed: 5, blockShape: BLOCK }).cache();
        await cached.blocks.count();
        const off = ctx.on('stageSubmitted', () => a.proc.kill('SIGKILL'));
        let got: Volume;
        try {
          got = await cached.boxFilter(1).toArray();
        } finally {
          off();
        }
        expect(got.data, `round ${round}`).toEqual(expected.data);
      }
    } finally {
      await ctx.stop();
    }
  }, 240_000);

  it('SIGSTOP of a worker mid-job: the job ends within the worker timeout plus a few seconds, exact', async () => {
    const expected = await expectedVolume();
    const file = secretFile(SECRET);
    const master = await startMaster(file, 2);
    const a = await startWorker(master, { name: 'frozen', secretPath: file, cores: 2 });
    await startWorker(master, { name: 'healthy', secretPath: file, cores: 2 });
    const ctx = await Context.create({ master: master.url, secret: SECRET });
    try {
      const cached = ctx.images.synthetic({ kind: 'blobs', shape: SHAPE, seed: 5, blockShape: BLOCK }).cache();
      await cached.blocks.count();
      let stoppedAt = 0;
      const off = ctx.on('stageSubmitted', () => {
        if (stoppedAt > 0) return;
        stoppedAt = Date.now();
        a.kill('SIGSTOP');
      });
      const got = await cached.boxFilter(1).toArray();
      off();
      const tookMs = Date.now() - stoppedAt;
      expect(got.data).toEqual(expected.data);
      // Master worker timeout 2 s; a fetch deadline (15 s and more) must play no part.
      expect(tookMs).toBeLessThan(10_000);
    } finally {
      a.kill('SIGCONT');
      await ctx.stop();
    }
  }, 60_000);
});

describe('the last worker gone', () => {
  it('says it waits for executors and fails after executorWaitTimeout', async () => {
    const file = secretFile(SECRET);
    const master = await startMaster(file, 2);
    const only = await startWorker(master, { name: 'only', secretPath: file, cores: 2 });
    const ctx = await Context.create({ master: master.url, secret: SECRET, executorWaitTimeout: 3_000 });
    try {
      const waiting = waitForEvent(ctx, 'executorsWaiting', (e) => e.registered === 0, 20_000);
      const off = ctx.on('taskStart', () => only.kill('SIGKILL'));
      const job = ctx.range(0, 1000, 1, 8).map((x) => x * 2).sum();
      const err = await job.then(
        () => null,
        (e: unknown) => e,
      );
      off();
      expect(err).toBeInstanceOf(ExecutorWaitTimeoutError);
      expect((err as Error).message).toMatch(/no executors: tasks waited 3 s with 0 registered \(since \d{4}-.*\); start workers/);
      expect((await waiting).since).toBeLessThanOrEqual(Date.now());
    } finally {
      await ctx.stop();
    }
  }, 60_000);

  it('with executorWaitTimeout 0 waits for a new worker and finishes the job on it', async () => {
    const file = secretFile(SECRET);
    const master = await startMaster(file, 2);
    const only = await startWorker(master, { name: 'first', secretPath: file, cores: 2 });
    const ctx = await Context.create({ master: master.url, secret: SECRET, executorWaitTimeout: 0 });
    try {
      const waiting = waitForEvent(ctx, 'executorsWaiting', (e) => e.registered === 0, 20_000);
      const off = ctx.on('taskStart', () => only.kill('SIGKILL'));
      const job = ctx.range(0, 1000, 1, 8).map((x) => x * 2).sum();
      await waiting;
      off();
      await new Promise((r) => setTimeout(r, 1_000));
      const back = waitForEvent(ctx, 'executorsWaiting', (e) => e.registered > 0, 20_000);
      await startWorker(master, { name: 'second', secretPath: file, cores: 2 });
      expect(await job).toBe(999_000);
      expect((await back).registered).toBe(1);
    } finally {
      await ctx.stop();
    }
  }, 60_000);
});

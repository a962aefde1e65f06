/**
 * Context lifecycle: bad options reject with a ConfigError naming the option (and leave nothing on
 * disk), stop() is idempotent and final, and `local[*]` sizes the thread pool to the machine.
 */
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError, Context, JobAbortedError, type ContextOptions } from '../../core/index.js';
import { recordEvents, rejectionOf, tempDir } from './engine-helpers.js';

describe('Context.create with a bad option', () => {
  const cases: [string, ContextOptions, RegExp][] = [
    ['master', { master: 'foo' }, /unknown master 'foo'.*'local\[N\]'/],
    ['master', { master: 'local[0]' }, /N >= 1/],
    ['master', { master: 'local[two]' }, /unknown master/],
    ['memory', { memory: 'lots' }, /memory: expected a size like '512m' or '2g', got 'lots'/],
    ['memory', { memory: -1 }, /memory/],
    ['maxTaskFailures', { maxTaskFailures: 0 }, /maxTaskFailures must be a positive integer, got 0/],
    ['speculationQuantile', { speculationQuantile: 1.5 }, /speculationQuantile/],
    ['speculationMultiplier', { speculationMultiplier: Number.NaN }, /speculationMultiplier/],
    ['speculationMinMs', { speculationMinMs: -5 }, /speculationMinMs/],
  ];
  it.each(cases)('rejects with a ConfigError naming %s (%o)', async (option, options, message) => {
    const spillDir = tempDir('config');
    const err = await rejectionOf(Context.create({ master: 'local', ...options, spillDir }));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).option).toBe(option);
    expect((err as ConfigError)._tag).toBe('ConfigError');
    expect(err.message).toMatch(message);
    // Nothing was created for a context that never started.
    expect(readdirSync(spillDir)).toEqual([]);
  });

  it('rejects a spillDir that does not exist, naming spillDir', async () => {
    const missing = join(tempDir('config'), 'no', 'such', 'dir');
    const err = await rejectionOf(Context.create({ master: 'local', spillDir: missing }));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).option).toBe('spillDir');
    expect(err.message).toContain(missing);
  });

  it('rejects rather than throwing synchronously', () => {
    const p = Context.create({ master: 'foo' });
    expect(p).toBeInstanceOf(Promise);
    return expect(p).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('masters', () => {
  it("'local[*]' runs one thread per available core", async () => {
    const ctx = await Context.create({ master: 'local[*]' });
    try {
      expect(ctx.defaultParallelism).toBe(availableParallelism());
      expect(ctx.serializesFunctions).toBe(true);
      expect(await ctx.range(0, 10).getNumPartitions()).toBe(availableParallelism());
    } finally {
      await ctx.stop();
    }
  });

  it.each([
    ['local', 1, false],
    ['local[3]', 3, true],
  ] as const)("'%s' has parallelism %d", async (master, parallelism, serializes) => {
    const ctx = await Context.create({ master });
    try {
      expect(ctx.defaultParallelism).toBe(parallelism);
      expect(ctx.serializesFunctions).toBe(serializes);
      expect(ctx.master).toBe(master);
    } finally {
      await ctx.stop();
    }
  });

  it('runs tasks in parallel on local[2]', async () => {
    const ctx = await Context.create({ master: 'local[2]' });
    try {
      const starts = recordEvents(ctx, 'taskStart');
      let running = 0;
      let peak = 0;
      ctx.on('taskStart', () => void (peak = Math.max(peak, ++running)));
      ctx.on('taskEnd', () => void running--);
      await ctx
        .range(0, 4, 1, 4)
        .map((x) => {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
          return x;
        })
        .collect();
      expect(starts).toHaveLength(4);
      expect(peak).toBe(2);
    } finally {
      await ctx.stop();
    }
  });
});

describe('stop()', () => {
  it.each(['local', 'local[2]'])('is idempotent on %s, and later jobs reject with JobAbortedError', async (master) => {
    const ctx = await Context.create({ master });
    const rdd = ctx.range(0, 10);
    expect(await rdd.count()).toBe(10);
    await ctx.stop();
    await expect(ctx.stop()).resolves.toBeUndefined();
    const err = await rejectionOf(rdd.count());
    expect(err).toBeInstanceOf(JobAbortedError);
    expect(err.message).toContain('Context.create()');
    await expect(ctx.range(0, 3).collect()).rejects.toBeInstanceOf(JobAbortedError);
  });

  it('fails a running job with JobAbortedError', async () => {
    const ctx = await Context.create({ master: 'local[2]' });
    // rejectionOf attaches the handler now: the job rejects while stop() is still awaited.
    const job = rejectionOf(
      ctx
        .range(0, 2, 1, 2)
        .map((x) => {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
          return x;
        })
        .collect(),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const t0 = performance.now();
    await ctx.stop();
    const err = await job;
    expect(err).toBeInstanceOf(JobAbortedError);
    // The blocked threads were terminated, not waited for.
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it.each(['local', 'local[2]'])('on %s, between two stages of a job, fails the job with JobAbortedError', async (master) => {
    const ctx = await Context.create({ master });
    let stopping: Promise<void> | null = null;
    // Listeners run synchronously: this stops the context after the map stage, before the result stage.
    ctx.on('stageCompleted', () => void (stopping ??= ctx.stop()));
    const events = recordEvents(ctx, 'stageSubmitted', 'taskStart');
    const job = rejectionOf(ctx.range(0, 10, 1, 2).map((x) => [x % 2, x] as [number, number]).groupByKey().count());
    expect(await job).toBeInstanceOf(JobAbortedError);
    await stopping;
    // The result stage was submitted but none of its tasks started.
    const resultStage = events.find((e) => e.type === 'stageSubmitted' && e.kind === 'result')?.stageId;
    expect(events.filter((e) => e.type === 'taskStart' && e.stageId === resultStage)).toEqual([]);
    expect(events.filter((e) => e.type === 'taskStart')).toHaveLength(2);
  });

  it('removes its folder from the spillDir', async () => {
    const spillDir = tempDir('stop');
    const ctx = await Context.create({ master: 'local', spillDir });
    expect(readdirSync(spillDir)).toHaveLength(1);
    await ctx.stop();
    expect(readdirSync(spillDir)).toEqual([]);
  });
});

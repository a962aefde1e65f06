/**
 * Task failures: retries, maxTaskFailures, the error a failed job rejects with, and a context that
 * keeps working afterwards. Every case runs on the inline master and on worker threads.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

import { TaskFailedError } from '../../core/index.js';
import { MASTERS, recordEvents, rejectionOf, sorted, withContext } from './engine-helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe.each(MASTERS)('task failures on %s', (master) => {
  it('retries a task that fails on its first attempt, and the job succeeds', async () => {
    await withContext({ master }, async (ctx) => {
      const ends = recordEvents(ctx, 'taskEnd');
      const out = await ctx
        .range(0, 8, 1, 4)
        .map((x, _env, tc) => {
          if (tc.partitionId === 1 && tc.attemptNumber === 0) throw new Error('flaky first attempt');
          return x * 10;
        })
        .collect();
      expect(out).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
      const p1 = ends.filter((e) => e.partition === 1).map((e) => [e.attempt, e.status]);
      expect(p1).toEqual([
        [0, 'failed'],
        [1, 'success'],
      ]);
      expect(ends.find((e) => e.status === 'failed')?.error).toContain('flaky first attempt');
      expect(ends.filter((e) => e.partition !== 1).every((e) => e.status === 'success' && e.attempt === 0)).toBe(true);
    });
  });

  it('fails the job with a TaskFailedError carrying the task message and its remote stack', async () => {
    await withContext({ master }, async (ctx) => {
      const jobEnds = recordEvents(ctx, 'jobEnd');
      const err = await rejectionOf(
        ctx
          .range(0, 4, 1, 2)
          .map(function explodeAlways(x: number): number {
            throw new RangeError(`value ${x} is out of range`);
          })
          .collect(),
      );
      expect(err).toBeInstanceOf(TaskFailedError);
      const failed = err as TaskFailedError;
      expect(failed._tag).toBe('TaskFailedError');
      expect(failed.message).toContain('RangeError: value');
      expect(failed.message).toContain('is out of range');
      expect(failed.attempts).toBe(4);
      const cause = failed.cause as Error;
      expect(cause.name).toBe('RangeError');
      expect(cause.message).toMatch(/^value \d is out of range$/);
      // The stack is the task's own, with the user function's frame on top.
      expect(cause.stack?.split('\n')[1]).toMatch(/at explodeAlways \(/);
      // The inline master calls the function where it was written; threads run a rebuilt copy.
      if (master === 'local') expect(cause.stack).toContain('faults.test.ts');
      expect(jobEnds).toEqual([expect.objectContaining({ result: 'failed', error: failed.message })]);
    });
  });

  it('makes exactly maxTaskFailures attempts before failing the job', async () => {
    await withContext({ master, maxTaskFailures: 2 }, async (ctx) => {
      const starts = recordEvents(ctx, 'taskStart');
      const ends = recordEvents(ctx, 'taskEnd');
      const err = await rejectionOf(
        ctx
          .range(0, 3, 1, 3)
          .map((x) => {
            if (x === 2) throw new Error('partition 2 is broken');
            return x;
          })
          .collect(),
      );
      expect((err as TaskFailedError).attempts).toBe(2);
      expect((err as TaskFailedError).partition).toBe(2);
      expect(starts.filter((e) => e.partition === 2).map((e) => e.attempt)).toEqual([0, 1]);
      expect(ends.filter((e) => e.status === 'failed').map((e) => [e.partition, e.attempt])).toEqual([
        [2, 0],
        [2, 1],
      ]);
    });
  });

  it('retries a failed task of a shuffle map stage', async () => {
    await withContext({ master }, async (ctx) => {
      const stages = recordEvents(ctx, 'stageSubmitted');
      const ends = recordEvents(ctx, 'taskEnd');
      const sums = await ctx
        .range(0, 100, 1, 4)
        .map((x, _env, tc) => {
          if (tc.partitionId === 3 && tc.attemptNumber === 0) throw new Error('map task lost its input');
          return [x % 3, x] as [number, number];
        })
        .reduceByKey((a, b) => a + b, 2)
        .collect();
      expect(sorted(sums)).toEqual([
        [0, 1683],
        [1, 1617],
        [2, 1650],
      ]);
      const mapStage = stages.find((s) => s.kind === 'shuffleMap');
      expect(mapStage).toBeDefined();
      const mapEnds = ends.filter((e) => e.stageId === mapStage?.stageId && e.partition === 3);
      expect(mapEnds.map((e) => [e.attempt, e.status])).toEqual([
        [0, 'failed'],
        [1, 'success'],
      ]);
      // A task failure is retried inside the stage attempt; the map stage is not resubmitted.
      expect(stages.filter((s) => s.kind === 'shuffleMap')).toHaveLength(1);
    });
  });

  it('fails the job when a shuffle map task always fails, naming the map stage', async () => {
    await withContext({ master, maxTaskFailures: 1 }, async (ctx) => {
      const stages = recordEvents(ctx, 'stageSubmitted', 'stageCompleted');
      const err = await rejectionOf(
        ctx
          .range(0, 10, 1, 2)
          .map((x): [number, number] => {
            throw new Error(`cannot key ${x}`);
          })
          .groupByKey()
          .count(),
      );
      expect(err).toBeInstanceOf(TaskFailedError);
      const mapStageId = stages.find((s) => s.type === 'stageSubmitted' && s.kind === 'shuffleMap')?.stageId;
      expect((err as TaskFailedError).stageId).toBe(mapStageId);
      expect(stages.at(-1)).toEqual(expect.objectContaining({ type: 'stageCompleted', stageId: mapStageId, result: 'failed' }));
      // The result stage never started.
      expect(stages.some((s) => s.type === 'stageSubmitted' && s.kind === 'result')).toBe(false);
    });
  });

  it('turns a thrown string into a readable error', async () => {
    await withContext({ master, maxTaskFailures: 1 }, async (ctx) => {
      const err = await rejectionOf(
        ctx
          .parallelize([7], 1)
          .map((x) => {
            throw `bad input ${x}`;
          })
          .collect(),
      );
      expect(err).toBeInstanceOf(TaskFailedError);
      expect(err.message).toContain("a non-Error value was thrown: 'bad input 7'");
      expect((err.cause as Error).message).toContain("'bad input 7'");
    });
  });

  it('turns a thrown plain object into a readable error', async () => {
    await withContext({ master, maxTaskFailures: 1 }, async (ctx) => {
      const err = await rejectionOf(
        ctx
          .parallelize([7], 1)
          .map((x) => {
            throw { code: 'E_BAD', x };
          })
          .collect(),
      );
      expect(err.message).toContain("{ code: 'E_BAD', x: 7 }");
      expect(err.message).not.toContain('[object Object]');
    });
  });

  it('still runs new jobs, including over the failed lineage, after a job failed', async () => {
    await withContext({ master, maxTaskFailures: 1 }, async (ctx) => {
      const pairs = ctx.range(0, 20, 1, 4).map((x) => [x % 2, x] as [number, number]);
      const broken = pairs.mapValues((v): number => {
        if (v === 13) throw new Error('thirteen');
        return v;
      });
      await rejectionOf(broken.reduceByKey((a, b) => a + b).collect());
      await expect(ctx.range(0, 10).sum()).resolves.toBe(45);
      // The shuffle of `pairs` is shared by nothing that failed; a new shuffle over it still runs.
      await expect(pairs.reduceByKey((a, b) => a + b).collectAsMap()).resolves.toEqual(
        new Map([
          [0, 90],
          [1, 100],
        ]),
      );
    });
  });
});

describe('a worker thread that dies', () => {
  // Runs in its own node process: a thread that calls process.exit tears down in ways that must never
  // take the test runner with it; the child reports what the driver saw as JSON.
  it('is replaced, and its task is retried on the new thread', () => {
    const script = `
      const { Context } = await import(${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)});
      const ctx = await Context.create({ master: 'local[2]' });
      const ends = [];
      ctx.on('taskEnd', (e) => ends.push(e));
      const out = await ctx.range(0, 4, 1, 4).map((x, _env, tc) => {
        // process.exit in a worker thread ends that thread only.
        if (tc.partitionId === 2 && tc.attemptNumber === 0) process.exit(3);
        return x + 1;
      }).collect();
      const failed = ends.filter((e) => e.status === 'failed').map((e) => e.error);
      const again = await ctx.range(0, 100, 1, 4).count();
      await ctx.stop();
      console.log(JSON.stringify({ out, failed, again }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const seen = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { out: number[]; failed: string[]; again: number };
    expect(seen.out).toEqual([1, 2, 3, 4]);
    expect(seen.failed).toHaveLength(1);
    expect(seen.failed[0]).toMatch(/worker thread died: .*code: 3/);
    expect(seen.again).toBe(100);
  });
});

/**
 * Speculative execution on worker threads: a straggling first attempt gets a copy on the free
 * thread, the copy's result wins, and the straggler is killed instead of holding up the job.
 */
import { describe, expect, it } from 'vitest';

import type { Context } from '../../core/index.js';
import { recordEvents, withContext } from './engine-helpers.js';

const STRAGGLE_MS = 5000;

/** Eight partitions; the first attempt of partition 0 blocks its thread for `straggleMs`. */
function withStraggler(ctx: Context, straggleMs: number): Promise<number[]> {
  return ctx
    .range(0, 8, 1, 8)
    .map(
      (x, env, tc) => {
        // Atomics.wait blocks the thread like a stuck kernel would; it is not a timer the event loop could skip.
        const sleep = tc.partitionId === 0 && tc.attemptNumber === 0 ? env.straggleMs : 10;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, sleep);
        return x * x;
      },
      { straggleMs },
    )
    .collect();
}

const SQUARES = [0, 1, 4, 9, 16, 25, 36, 49];

describe('speculation on local[2]', () => {
  it('copies a straggler, takes the copy result and finishes long before the straggler would', async () => {
    await withContext({ master: 'local[2]', speculation: true }, async (ctx) => {
      const events = recordEvents(ctx, 'speculativeTask', 'taskStart', 'taskEnd');
      const t0 = performance.now();
      expect(await withStraggler(ctx, STRAGGLE_MS)).toEqual(SQUARES);
      expect(performance.now() - t0).toBeLessThan(3500);

      expect(events.filter((e) => e.type === 'speculativeTask').map((e) => e.partition)).toEqual([0]);
      const p0 = events.flatMap((e) => (e.type !== 'speculativeTask' && e.partition === 0 ? [e] : []));
      expect(p0.map((e) => [e.type, e.attempt, e.speculative, e.type === 'taskEnd' ? e.status : ''])).toEqual([
        ['taskStart', 0, false, ''],
        ['taskStart', 1, true, ''],
        ['taskEnd', 1, true, 'success'],
        ['taskEnd', 0, false, 'killed'],
      ]);
      // The killed straggler's thread was replaced: the pool runs the next job at full width.
      await expect(ctx.range(0, 100, 1, 4).sum()).resolves.toBe(4950);
    });
  });

  it('launches no copies when speculation is off', async () => {
    await withContext({ master: 'local[2]', speculation: false }, async (ctx) => {
      const copies = recordEvents(ctx, 'speculativeTask');
      const starts = recordEvents(ctx, 'taskStart');
      // 600 ms is six times the 100 ms a task must run before it could count as a straggler.
      const t0 = performance.now();
      expect(await withStraggler(ctx, 600)).toEqual(SQUARES);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(550);
      expect(copies).toEqual([]);
      expect(starts.every((e) => !e.speculative)).toBe(true);
      expect(starts).toHaveLength(8);
    });
  });
});

/**
 * Speculative execution on worker threads: a straggling first attempt gets a copy on the free
 * thread, the copy's result wins, and the straggler is killed instead of holding up the job. The
 * straggler here never ends by itself, so the job finishing at all shows the copy won and the
 * straggler was killed; when and why a copy is launched is unit-tested on a fake clock
 * (scheduler/speculation.test.ts).
 */
import { describe, expect, it } from 'vitest';

import type { Context, EventOf } from '../../core/index.js';
import { recordEvents, withContext } from './engine-helpers.js';

/**
 * Eight partitions; the first attempt of partition 0 blocks its thread for `straggleMs`, or until
 * the thread is terminated when it is null.
 */
function withStraggler(ctx: Context, straggleMs: number | null): Promise<number[]> {
  return ctx
    .range(0, 8, 1, 8)
    .map(
      (x, env, tc) => {
        // Atomics.wait blocks the thread like a stuck kernel would; it is not a timer the event loop could skip.
        const sleep = tc.partitionId === 0 && tc.attemptNumber === 0 ? (env.straggleMs ?? Infinity) : 10;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, sleep);
        return x * x;
      },
      { straggleMs },
    )
    .collect();
}

/** Resolves with the taskEnd of partition 0's first attempt. */
function firstAttemptEnd(ctx: Context): Promise<EventOf<'taskEnd'>> {
  return new Promise((resolve) => {
    const off = ctx.on('taskEnd', (e) => {
      if (e.partition !== 0 || e.attempt !== 0) return;
      off();
      resolve(e);
    });
  });
}

const SQUARES = [0, 1, 4, 9, 16, 25, 36, 49];

describe('speculation on local[2]', () => {
  it('copies a straggler, takes the copy result and kills the straggler instead of waiting for it', async () => {
    await withContext({ master: 'local[2]', speculation: true }, async (ctx) => {
      const events = recordEvents(ctx, 'speculativeTask', 'taskStart', 'taskEnd');
      const stragglerEnd = firstAttemptEnd(ctx);
      expect(await withStraggler(ctx, null)).toEqual(SQUARES);
      expect(await stragglerEnd).toMatchObject({ status: 'killed', speculative: false });

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

  it('launches no copies when speculation is off: the straggler runs to the end and its result is used', async () => {
    await withContext({ master: 'local[2]', speculation: false }, async (ctx) => {
      const copies = recordEvents(ctx, 'speculativeTask');
      const starts = recordEvents(ctx, 'taskStart');
      const stragglerEnd = firstAttemptEnd(ctx);
      // 600 ms is six times the 100 ms a task must run before it could count as a straggler.
      expect(await withStraggler(ctx, 600)).toEqual(SQUARES);
      expect(await stragglerEnd).toMatchObject({ status: 'success', speculative: false });
      expect(copies).toEqual([]);
      expect(starts.every((e) => !e.speculative)).toBe(true);
      expect(starts).toHaveLength(8);
    });
  });
});

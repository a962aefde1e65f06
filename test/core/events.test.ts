/**
 * The public event bus as a listener sees a job: the order and counts of job, stage and task events
 * for a two-stage job, and map outputs reused by a later job instead of a second map stage.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { EventBus, type Context, type EventOf, type RDD, type VoxelflowEvent } from '../../core/index.js';
import { MASTERS, withContext } from './engine-helpers.js';

// An event a folder outside core adds, the way streaming and the Grid Engine backend add theirs.
declare module '../../core/events.js' {
  interface VoxelflowEventMap {
    testPing: { readonly n: number; readonly note?: string };
  }
}

/** 4 map tasks, 2 reduce tasks. */
const residues = (ctx: Context): RDD<[number, number]> =>
  ctx
    .range(0, 20, 1, 4)
    .map((x) => [x % 3, x] as [number, number])
    .reduceByKey((a, b) => a + b, 2);

/** Records job, stage and task events (not executor or block ones). */
function jobEvents(ctx: Context): VoxelflowEvent[] {
  const seen: VoxelflowEvent[] = [];
  ctx.on('*', (e) => {
    if (e.type.startsWith('job') || e.type.startsWith('stage') || e.type.startsWith('task')) seen.push(e);
  });
  return seen;
}

/** One line per event, without the parts that vary between runs (times, task order). */
function outline(events: readonly VoxelflowEvent[]): string[] {
  const lines: string[] = [];
  for (const e of events) {
    if (e.type === 'jobStart') lines.push(`jobStart ${e.jobId} x${e.partitions}`);
    else if (e.type === 'jobEnd') lines.push(`jobEnd ${e.jobId} ${e.result}`);
    else if (e.type === 'stageSubmitted') lines.push(`stageSubmitted ${e.stageId} ${e.kind} x${e.numTasks}`);
    else if (e.type === 'stageCompleted') lines.push(`stageCompleted ${e.stageId} ${e.result}`);
    else if ((e.type === 'taskStart' || e.type === 'taskEnd') && lines.at(-1) !== `tasks of ${e.stageId}`) lines.push(`tasks of ${e.stageId}`);
  }
  return lines;
}

describe.each(MASTERS)('events of a two-stage job on %s', (master) => {
  it('come in job, stage, task order with one start and one end per task', async () => {
    await withContext({ master }, async (ctx) => {
      const events = jobEvents(ctx);
      expect(await residues(ctx).collectAsMap()).toEqual(
        new Map([
          [0, 63],
          [1, 70],
          [2, 57],
        ]),
      );
      expect(outline(events)).toEqual([
        'jobStart 0 x2',
        'stageSubmitted 0 shuffleMap x4',
        'tasks of 0',
        'stageCompleted 0 succeeded',
        'stageSubmitted 1 result x2',
        'tasks of 1',
        'stageCompleted 1 succeeded',
        'jobEnd 0 succeeded',
      ]);
      for (const [stageId, partitions] of [
        [0, [0, 1, 2, 3]],
        [1, [0, 1]],
      ] as const) {
        const starts = events.flatMap((e) => (e.type === 'taskStart' && e.stageId === stageId ? [e] : []));
        const ends = events.flatMap((e) => (e.type === 'taskEnd' && e.stageId === stageId ? [e] : []));
        expect(starts.map((e) => e.partition).sort()).toEqual(partitions);
        expect(ends.map((e) => e.partition).sort()).toEqual(partitions);
        for (const end of ends) {
          expect(end.status).toBe('success');
          expect(events.indexOf(end)).toBeGreaterThan(events.findIndex((e) => e.type === 'taskStart' && e.taskId === end.taskId));
        }
      }
      const mapEnds = events.flatMap((e) => (e.type === 'taskEnd' && e.stageId === 0 ? [e] : []));
      expect(mapEnds.map((e) => e.records)).toEqual([5, 5, 5, 5]);
      expect(mapEnds.every((e) => (e.shuffleBytesWritten ?? 0) > 0)).toBe(true);
      expect(new Set(events.flatMap((e) => (e.type === 'taskStart' ? [e.taskId] : []))).size).toBe(6);
      const times = events.map((e) => e.time);
      expect(times).toEqual(times.slice().sort((a, b) => a - b));
    });
  });

  it('show a later job reusing the map outputs of the same shuffle', async () => {
    await withContext({ master }, async (ctx) => {
      const rdd = residues(ctx);
      await rdd.count();
      const events = jobEvents(ctx);
      expect(await rdd.collect()).toHaveLength(3);
      expect(await rdd.mapValues((v) => v * 2).values().sum()).toBe(380);
      expect(outline(events)).toEqual([
        'jobStart 1 x2',
        'stageSubmitted 2 result x2',
        'tasks of 2',
        'stageCompleted 2 succeeded',
        'jobEnd 1 succeeded',
        'jobStart 2 x2',
        'stageSubmitted 3 result x2',
        'tasks of 3',
        'stageCompleted 3 succeeded',
        'jobEnd 2 succeeded',
      ]);
    });
  });

  it('stop reaching a listener once it is removed', async () => {
    await withContext({ master }, async (ctx) => {
      let jobs = 0;
      const off = ctx.on('jobStart', () => void jobs++);
      await ctx.range(0, 4).count();
      off();
      await ctx.range(0, 4).count();
      expect(jobs).toBe(1);
    });
  });

  it('survive a listener that throws', async () => {
    await withContext({ master }, async (ctx) => {
      const warnings: string[] = [];
      const onWarning = (w: Error): void => void warnings.push(w.message);
      process.on('warning', onWarning);
      try {
        ctx.on('taskEnd', () => {
          throw new Error('listener bug');
        });
        await expect(ctx.range(0, 10, 1, 2).sum()).resolves.toBe(45);
        await new Promise((resolve) => setImmediate(resolve));
        // Reported once, although it threw at each of the two taskEnd events.
        expect(warnings.filter((w) => w.includes('listener bug'))).toHaveLength(1);
      } finally {
        process.off('warning', onWarning);
      }
    });
  });
});

describe('stage names', () => {
  it('say what the user asked for: the RDD name, else what its node does, else the operator', async () => {
    const { Context } = await import('../../index.js');
    const ctx = await Context.create({ master: 'local' });
    try {
      const names: string[] = [];
      ctx.on('stageSubmitted', (e) => void names.push(e.name));
      await ctx.range(0, 10, 1, 2).map((x) => x + 1).setName('plus one').count();
      await ctx.range(0, 10, 1, 2).filter((x) => x > 3).count();
      await ctx.images.synthetic({ kind: 'known', shape: [8, 8, 8] }).blocks.count();
      expect(names[0]).toMatch(/^plus one \[\d+\]$/);
      expect(names[1]).toMatch(/^filter \[\d+\]$/);
      expect(names[2]).toMatch(/^synthetic known 8x8x8 seed 1 \[\d+\]$/);
    } finally {
      await ctx.stop();
    }
  });
});

describe('events added outside core', () => {
  it('are posted, typed and delivered like core events, to their listeners and to *', () => {
    const bus = new EventBus();
    const pings: EventOf<'testPing'>[] = [];
    const all: string[] = [];
    bus.on('testPing', (e) => void pings.push(e));
    bus.on('*', (e) => void all.push(e.type));
    bus.post({ type: 'testPing', n: 3 });
    bus.post({ type: 'executorRemoved', executorId: 'e', reason: 'lost' });
    expect(pings.map((e) => [e.n, e.note, typeof e.time])).toEqual([[3, undefined, 'number']]);
    expect(all).toEqual(['testPing', 'executorRemoved']);
    // The type checker (npm test runs it over the tests) holds added events to their fields.
    const typed = (): void => {
      // @ts-expect-error: n is a number
      bus.post({ type: 'testPing', n: 'three' });
      // @ts-expect-error: an event type nobody declared
      bus.post({ type: 'testPong', n: 3 });
    };
    void typed;
  });

  it('are not named in core: streaming and Grid Engine declare theirs', () => {
    const core = fileURLToPath(new URL('../../core', import.meta.url));
    const sources = readdirSync(core, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(10);
    const naming = sources.filter((f) => /scanUpdated|batchJobs/.test(readFileSync(join(core, f), 'utf8')));
    expect(naming).toEqual([]);
  });
});

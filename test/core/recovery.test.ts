/**
 * Recovery from lost blocks. With a tiny memory budget every map output lives in a spill file;
 * deleting those files between two jobs is a real loss (a wiped local disk). The next job over the
 * same shuffle must hit a fetch failure, recompute the lost map outputs from lineage, and answer right.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { Context, RDD } from '../../core/index.js';
import { MASTERS, filesUnder, recordEvents, sorted, tempDir, withContext } from './engine-helpers.js';

/** 10_000 records, 5_000 keys, 4 map tasks, 3 reducers: every map output is several KB. */
const counts = (ctx: Context): RDD<[number, number]> =>
  ctx
    .range(0, 10_000, 1, 4)
    .map((x) => [x % 5000, 1] as [number, number])
    .reduceByKey((a, b) => a + b, 3);

const EXPECTED = Array.from({ length: 5000 }, (_, k) => [k, 2] as [number, number]);

function deleteFiles(dir: string, match: (path: string) => boolean): string[] {
  const gone = filesUnder(dir).filter(match);
  for (const f of gone) rmSync(f);
  return gone;
}

describe.each(MASTERS)('lost shuffle output on %s', (master) => {
  it('is recomputed from lineage when its spill files are deleted between jobs', async () => {
    const spillDir = tempDir('recovery');
    await withContext({ master, memory: '1k', spillDir }, async (ctx) => {
      const rdd = counts(ctx);
      expect(sorted(await rdd.collect())).toEqual(EXPECTED);
      expect(deleteFiles(spillDir, (f) => /shuffle_\d+_\d+\.bin$/.test(f))).toHaveLength(4);

      const events = recordEvents(ctx, 'stageSubmitted', 'stageCompleted', 'taskEnd');
      expect(sorted(await rdd.collect())).toEqual(EXPECTED);

      const fetchFailed = events.filter((e) => e.type === 'taskEnd' && e.status === 'fetchFailed');
      expect(fetchFailed.length).toBeGreaterThan(0);
      expect(fetchFailed[0]).toEqual(expect.objectContaining({ error: expect.stringMatching(/shuffle 0: cannot read output of map \d/) }));
      const timeline = events
        .filter((e) => e.type !== 'taskEnd')
        .map((e) => (e.type === 'stageSubmitted' ? `submit ${e.kind} ${e.stageId}.${e.attempt} x${e.numTasks}` : `${e.result} ${e.stageId}.${e.attempt}`));
      // Map stage 0 and result stage 1 ran in the first job; the second job's result stage is 2.
      expect(timeline).toEqual([
        'submit result 2.0 x3',
        'resubmitted 2.0',
        'submit shuffleMap 0.1 x4',
        'succeeded 0.1',
        'submit result 2.1 x3',
        'succeeded 2.1',
      ]);
    });
  });

  it('is recomputed when the whole spill folder was wiped, and spilling goes on', async () => {
    const spillDir = tempDir('recovery');
    await withContext({ master, memory: '1k', spillDir }, async (ctx) => {
      const rdd = counts(ctx);
      await rdd.count();
      for (const entry of readdirSync(spillDir)) rmSync(join(spillDir, entry), { recursive: true });
      expect(sorted(await rdd.collect())).toEqual(EXPECTED);
      // The recomputed outputs were spilled again, into a folder the block manager made anew.
      expect(filesUnder(spillDir)).toHaveLength(4);
    });
  });

  it('reruns only the map tasks whose output was lost', async () => {
    const spillDir = tempDir('recovery');
    await withContext({ master, memory: '1k', spillDir }, async (ctx) => {
      const rdd = counts(ctx);
      await rdd.count();
      expect(deleteFiles(spillDir, (f) => f.endsWith('shuffle_0_2.bin'))).toHaveLength(1);
      const maps = recordEvents(ctx, 'stageSubmitted');
      const starts = recordEvents(ctx, 'taskStart');
      expect(sorted(await rdd.collect())).toEqual(EXPECTED);
      const resubmitted = maps.filter((e) => e.kind === 'shuffleMap');
      expect(resubmitted.map((e) => e.numTasks)).toEqual([1]);
      expect(starts.filter((e) => e.stageId === resubmitted[0]?.stageId).map((e) => e.partition)).toEqual([2]);
    });
  });

  it('is recomputed across two levels of shuffles', async () => {
    const spillDir = tempDir('recovery');
    await withContext({ master, memory: '1k', spillDir }, async (ctx) => {
      // Shuffle 0 counts keys; shuffle 1 groups the keys (no map-side combine: outputs of KBs) by parity.
      const byParity = counts(ctx)
        .map(([k, c]) => [k % 2, k * c] as [number, number])
        .groupByKey(2)
        .mapValues((vs) => vs.length);
      const firstJob = recordEvents(ctx, 'stageSubmitted');
      const answer = sorted(await byParity.collect());
      expect(answer).toEqual([
        [0, 2500],
        [1, 2500],
      ]);
      expect(deleteFiles(spillDir, () => true)).toHaveLength(4 + 3);
      // The first job ran the upstream map stage (shuffle 0) before the downstream one (shuffle 1).
      const [upstream, downstream] = firstJob.filter((e) => e.kind === 'shuffleMap').map((e) => e.stageId);
      firstJob.length = 0;
      expect(sorted(await byParity.collect())).toEqual(answer);
      // The downstream map stage, resubmitted, finds its own input lost and has the upstream one rerun first.
      expect(firstJob.filter((e) => e.kind === 'shuffleMap').map((e) => e.stageId)).toEqual([downstream, upstream, downstream]);
    });
  });
});

describe.each(MASTERS)('a lost cached partition on %s', (master) => {
  it('is recomputed from lineage when its spill file is deleted', async () => {
    const spillDir = tempDir('recovery');
    await withContext({ master, memory: '1k', spillDir }, async (ctx) => {
      const computed = ctx.accumulator(0);
      const rdd = ctx
        .range(0, 4000, 1, 4)
        .map(
          (x, env) => {
            env.computed.add(1);
            return x * 2;
          },
          { computed },
        )
        .persist('MEMORY_AND_DISK');
      await rdd.count();
      expect(deleteFiles(spillDir, (f) => f.endsWith(`rdd_${rdd.id}_1.bin`))).toHaveLength(1);
      expect(await rdd.sum()).toBe(4000 * 3999);
      // Only the lost partition (1000 records) was computed again.
      expect(computed.value).toBe(5000);
    });
  });
});

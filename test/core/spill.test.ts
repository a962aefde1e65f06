/**
 * The block manager under a memory budget: shuffles that do not fit spill to disk and give the same
 * answers, cached partitions are dropped (MEMORY_ONLY) or spilled (MEMORY_AND_DISK, DISK_ONLY) by
 * storage level, and spill files go away at stop().
 */
import { readdirSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Context, type Accumulator, type RDD, type StorageLevel } from '../../core/index.js';
import { MASTERS, filesUnder, recordEvents, sorted, tempDir, withContext } from './engine-helpers.js';

const N = 200_000;
// 200_003 is prime, so x -> x * 7919 mod 200_003 is one-to-one on [0, N): sort keys are unique.
const scrambled = (ctx: Context): RDD<[number, number]> =>
  ctx.range(0, N, 1, 4).map((x) => [(x * 7919) % 200_003, x] as [number, number]);
const byResidue = (ctx: Context): RDD<[number, number]> => ctx.range(0, N, 1, 4).map((x) => [x % 5003, x] as [number, number]);

type ShuffleCase = readonly [name: string, run: (ctx: Context) => Promise<unknown>];
const SHUFFLES: readonly ShuffleCase[] = [
  ['reduceByKey', async (ctx) => sorted(await byResidue(ctx).reduceByKey((a, b) => a + b, 3).collect())],
  [
    'groupByKey',
    async (ctx) => sorted(await byResidue(ctx).groupByKey(3).mapValues((vs) => vs.sort((a, b) => a - b)).collect()),
  ],
  ['sortByKey', (ctx) => scrambled(ctx).sortByKey(true, 3).collect()],
];

describe('a shuffle larger than the memory budget', () => {
  let reference: Context;
  const expected = new Map<string, unknown>();
  beforeAll(async () => {
    reference = await Context.create({ master: 'local[2]' });
    for (const [name, run] of SHUFFLES) expected.set(name, await run(reference));
  });
  afterAll(() => reference.stop());

  describe.each(MASTERS)('on %s', (master) => {
    it.each(SHUFFLES)('%s spills to disk and gives the same answer as without a budget', async (name, run) => {
      await withContext({ master, memory: '64k' }, async (ctx) => {
        const spills = recordEvents(ctx, 'blockSpilled');
        const answer = await run(ctx);
        expect(answer).toEqual(expected.get(name));
        expect(spills.length).toBeGreaterThan(0);
        expect(spills.every((e) => e.block.startsWith('shuffle_') && e.bytes > 0)).toBe(true);
        const stats = ctx.storageStats();
        expect(stats.spilledBytes).toBeGreaterThan(64 * 1024);
        expect(stats.spilledBlocks).toBe(spills.length);
        expect(stats.memoryUsed).toBeLessThanOrEqual(64 * 1024);
      });
    });
  });

  it('spills nothing when the budget is large enough', async () => {
    await withContext({ master: 'local[2]', memory: '64m' }, async (ctx) => {
      const spills = recordEvents(ctx, 'blockSpilled');
      await byResidue(ctx).reduceByKey((a, b) => a + b).count();
      expect(spills).toEqual([]);
      expect(ctx.storageStats().spilledBytes).toBe(0);
    });
  });
});

/** 40_000 numbers in 4 partitions of ~30 KB each (msgpack), counting how often each record is computed. */
function counted(ctx: Context, level: StorageLevel): { rdd: RDD<number>; computed: Accumulator<number> } {
  const computed = ctx.accumulator(0);
  const rdd = ctx
    .range(0, 40_000, 1, 4)
    .map(
      (x, env) => {
        env.computed.add(1);
        return x + 40_000;
      },
      { computed },
    )
    .persist(level);
  return { rdd, computed };
}

const SUM = 40_000 * 40_000 + (40_000 * 39_999) / 2;

describe.each(MASTERS)('cached partitions on %s', (master) => {
  it('MEMORY_ONLY partitions that fit are computed once', async () => {
    await withContext({ master }, async (ctx) => {
      const { rdd, computed } = counted(ctx, 'MEMORY_ONLY');
      expect(await rdd.count()).toBe(40_000);
      expect(await rdd.sum()).toBe(SUM);
      expect(computed.value).toBe(40_000);
    });
  });

  it('MEMORY_ONLY partitions that do not fit are dropped and recomputed', async () => {
    await withContext({ master, memory: '16k' }, async (ctx) => {
      const dropped = recordEvents(ctx, 'blockDropped');
      const { rdd, computed } = counted(ctx, 'MEMORY_ONLY');
      expect(await rdd.count()).toBe(40_000);
      expect(await rdd.sum()).toBe(SUM);
      expect(computed.value).toBe(80_000);
      expect(dropped.map((e) => e.block).sort()).toEqual(
        [0, 1, 2, 3, 0, 1, 2, 3].map((p) => `rdd_${rdd.id}_${p}`).sort(),
      );
      expect(ctx.storageStats().droppedBlocks).toBe(8);
      expect(ctx.storageStats().spilledBytes).toBe(0);
    });
  });

  it('MEMORY_AND_DISK partitions that do not fit spill and are read back, not recomputed', async () => {
    await withContext({ master, memory: '16k' }, async (ctx) => {
      const spilled = recordEvents(ctx, 'blockSpilled');
      const { rdd, computed } = counted(ctx, 'MEMORY_AND_DISK');
      expect(await rdd.count()).toBe(40_000);
      expect(await rdd.sum()).toBe(SUM);
      expect(await rdd.take(3)).toEqual([40_000, 40_001, 40_002]);
      expect(computed.value).toBe(40_000);
      expect(spilled.map((e) => e.block).sort()).toEqual([0, 1, 2, 3].map((p) => `rdd_${rdd.id}_${p}`));
      expect(ctx.storageStats().droppedBlocks).toBe(0);
    });
  });

  it('DISK_ONLY partitions go straight to disk and are read back', async () => {
    await withContext({ master }, async (ctx) => {
      const spilled = recordEvents(ctx, 'blockSpilled');
      const { rdd, computed } = counted(ctx, 'DISK_ONLY');
      expect(await rdd.sum()).toBe(SUM);
      expect(await rdd.sum()).toBe(SUM);
      expect(computed.value).toBe(40_000);
      expect(spilled).toHaveLength(4);
      expect(ctx.storageStats().memoryUsed).toBe(0);
    });
  });

  it('unpersist() forgets cached partitions, so they are computed again', async () => {
    await withContext({ master, memory: '16k' }, async (ctx) => {
      const { rdd, computed } = counted(ctx, 'DISK_ONLY');
      await rdd.count();
      rdd.unpersist();
      expect(ctx.storageStats().blocks).toBe(0);
      expect(await rdd.sum()).toBe(SUM);
      expect(computed.value).toBe(80_000);
    });
  });
});

describe('spill files', () => {
  it.each(MASTERS)('are deleted at stop() on %s', async (master) => {
    const spillDir = tempDir('spill');
    const ctx = await Context.create({ master, memory: '16k', spillDir });
    const { rdd } = counted(ctx, 'MEMORY_AND_DISK');
    await rdd.count();
    await byResidue(ctx).reduceByKey((a, b) => a + b).count();
    expect(filesUnder(spillDir).length).toBeGreaterThanOrEqual(4);
    await ctx.stop();
    expect(readdirSync(spillDir)).toEqual([]);
  });
});

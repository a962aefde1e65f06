/**
 * Broadcast variables and accumulators on both masters: broadcasts are read in tasks through env,
 * accumulators count each partition's successful attempt exactly once and are read on the driver.
 */
import { describe, expect, it } from 'vitest';

import { MASTERS, rejectionOf, withContext } from './engine-helpers.js';

describe.each(MASTERS)('broadcast variables on %s', (master) => {
  it('are readable in tasks through env', async () => {
    await withContext({ master }, async (ctx) => {
      const table = Float64Array.from({ length: 1_000_000 }, (_, i) => i * 0.5);
      const b = ctx.broadcast(table);
      const out = await ctx
        .range(0, 1000, 1, 4)
        .map((x, env) => env.b.value[x * 997] as number, { b })
        .collect();
      expect(out).toEqual(Array.from({ length: 1000 }, (_, x) => x * 997 * 0.5));
      expect(b.value).toBe(table);
    });
  });

  it('carry structured values, shared by several functions and jobs', async () => {
    await withContext({ master }, async (ctx) => {
      const names = ctx.broadcast({ labels: ['background', 'cell', 'nucleus'], voxel: [0.5, 0.5, 2] });
      const labelled = ctx.parallelize([0, 1, 2, 1], 2).map((l, env) => env.names.value.labels[l], { names });
      expect(await labelled.collect()).toEqual(['background', 'cell', 'nucleus', 'cell']);
      const volume = await ctx
        .parallelize([10, 20], 2)
        .map((n, env) => n * env.names.value.voxel.reduce((a: number, b: number) => a * b, 1), { names })
        .sum();
      expect(volume).toBe(15);
    });
  });

  it('fail readably in tasks once destroyed', async () => {
    await withContext({ master, maxTaskFailures: 1 }, async (ctx) => {
      const b = ctx.broadcast([1, 2, 3]);
      const rdd = ctx.parallelize([0, 1, 2], 3).map((i, env) => env.b.value[i] as number, { b });
      expect(await rdd.sum()).toBe(6);
      b.destroy();
      const err = await rejectionOf(rdd.sum());
      expect(err.message).toMatch(/broadcast \d+ .*destroyed/);
    });
  });
});

describe.each(MASTERS)('accumulators on %s', (master) => {
  it('sum what tasks add, readable on the driver after the action', async () => {
    await withContext({ master }, async (ctx) => {
      const evens = ctx.accumulator(0);
      const odd = await ctx
        .range(0, 100, 1, 4)
        .filter(
          (x, env) => {
            if (x % 2 === 0) env.evens.add(1);
            return x % 2 === 1;
          },
          { evens },
        )
        .count();
      expect(odd).toBe(50);
      expect(evens.value).toBe(50);
    });
  });

  it('collect items in list accumulators', async () => {
    await withContext({ master }, async (ctx) => {
      const bad = ctx.accumulator<string>([]);
      await ctx.parallelize(['1', 'x', '3', 'y?', '5'], 3).foreach(
        (s, env) => {
          if (Number.isNaN(Number(s))) env.bad.add(s);
        },
        { bad },
      );
      expect(bad.value.slice().sort()).toEqual(['x', 'y?']);
    });
  });

  it('count only the successful attempt of a task that added and then failed', async () => {
    await withContext({ master }, async (ctx) => {
      const seen = ctx.accumulator(0);
      const items = ctx.accumulator<number>([]);
      await ctx.range(0, 40, 1, 4).foreach(
        (x, env, tc) => {
          env.seen.add(1);
          env.items.add(x);
          // Partition 2 fails after adding all of its records on its first attempt.
          if (tc.partitionId === 2 && tc.attemptNumber === 0 && x === 29) throw new Error('late failure');
        },
        { seen, items },
      );
      expect(seen.value).toBe(40);
      expect(items.value.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    });
  });

  it('keep nothing from a job that failed', async () => {
    await withContext({ master, maxTaskFailures: 2 }, async (ctx) => {
      const seen = ctx.accumulator(0);
      await rejectionOf(
        ctx.range(0, 10, 1, 1).foreach(
          (x, env) => {
            env.seen.add(1);
            if (x === 9) throw new Error('always');
          },
          { seen },
        ),
      );
      expect(seen.value).toBe(0);
    });
  });

  it('add up across jobs and start from their initial value', async () => {
    await withContext({ master }, async (ctx) => {
      const total = ctx.accumulator(100);
      const rdd = ctx.range(1, 5, 1, 2);
      await rdd.foreach((x, env) => env.total.add(x), { total });
      await rdd.foreach((x, env) => env.total.add(x), { total });
      expect(total.value).toBe(120);
    });
  });

  it('cannot be read inside a task', async () => {
    await withContext({ master, maxTaskFailures: 1 }, async (ctx) => {
      const acc = ctx.accumulator(0);
      const err = await rejectionOf(ctx.range(0, 2, 1, 1).map((x, env) => env.acc.value + x, { acc }).collect());
      expect(err.message).toContain('can only be read on the driver');
    });
  });
});

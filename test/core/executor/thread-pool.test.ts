import { afterEach, describe, expect, it } from 'vitest';
import { Context } from '../../../core/index.js';
import { adoptThreadPool, discardThreadPool, prestartThreadPool } from '../../../core/executor/thread-pool.js';

afterEach(async () => {
  await discardThreadPool();
});

describe('a prestarted thread pool', () => {
  it('is adopted by the local[N] context with as many threads, and runs its jobs', async () => {
    prestartThreadPool(2, []);
    const ctx = await Context.create({ master: 'local[2]' });
    try {
      // Handed over once: nothing is left to adopt.
      expect(adoptThreadPool(2)).toBeNull();
      expect(await ctx.range(0, 1000, 1, 4).map((x) => x * 2).sum()).toBe(999 * 1000);
    } finally {
      await ctx.stop();
    }
  });

  it('is left alone by a context with another thread count, and discarded', async () => {
    prestartThreadPool(3, []);
    const ctx = await Context.create({ master: 'local[1]' });
    try {
      expect(await ctx.range(0, 10).count()).toBe(10);
    } finally {
      await ctx.stop();
    }
    await discardThreadPool();
    expect(adoptThreadPool(3)).toBeNull();
  });

  it('starts once: a second call keeps the first pool', async () => {
    prestartThreadPool(1, []);
    prestartThreadPool(2, []);
    expect(adoptThreadPool(2)).toBeNull();
    const pool = adoptThreadPool(1);
    expect(pool?.options.maxThreads).toBe(1);
    await pool?.destroy();
  });

  it('starts no pool for a thread count below 1', () => {
    prestartThreadPool(0, []);
    expect(adoptThreadPool(0)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { Context } from '../../core/index.js';

describe('smoke', () => {
  for (const master of ['local', 'local[2]']) {
    it(`shared ${master}`, async () => {
      const ctx = await Context.create({ master });
      const b = ctx.broadcast(Array.from({ length: 100_000 }, (_, i) => i * 3));
      console.log(await ctx.range(0, 10, 1, 3).map((x, env) => env.b.value[x * 1000], { b }).collect());
      const acc = ctx.accumulator(0);
      const list = ctx.accumulator<number>([]);
      await ctx.range(0, 10, 1, 3).foreach((x, env, tc) => { env.acc.add(x); env.list.add(x); if (tc.attemptNumber === 0 && tc.partitionId === 1) throw new Error('x'); }, { acc, list });
      console.log(acc.value, list.value);
      await ctx.stop();
    });
  }
  it('closures', async () => {
    const ctx = await Context.create({ master: 'local[2]' });
    const k = 3;
    try { ctx.range(0, 3).map((x) => x * k); } catch (e) { console.log(e); }
    try { ctx.range(0, 3).map(Math.sqrt); } catch (e) { console.log(e); }
    const sq = (x: number) => x * x;
    console.log(await ctx.range(0, 3).map((x, env) => env.sq(x) + env.h.inner(x), { sq, h: { inner: (y: number) => y + 1 } }).collect());
    await ctx.stop();
  });
  it('context', async () => {
    for (const o of [{ master: 'foo' }, { memory: 'lots' }, { master: 'local[0]' }]) {
      try { await Context.create(o); } catch (e) { console.log(e, (e as any).option); }
    }
    const ctx = await Context.create({ master: 'local[*]' });
    console.log(ctx.defaultParallelism);
    await ctx.stop(); await ctx.stop();
    try { await ctx.range(0, 3).count(); } catch (e) { console.log(e); }
  });
});

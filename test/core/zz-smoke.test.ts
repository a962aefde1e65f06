import { describe, expect, it } from 'vitest';
import { Context } from '../../core/index.js';

describe('smoke', () => {
  it('thread death', async () => {
    const ctx = await Context.create({ master: 'local[2]' });
    ctx.on('taskEnd', (e) => console.log(e.partition, e.attempt, e.status, e.error));
    const r = await ctx.range(0, 4, 1, 4).map((x, _e, tc) => { if (tc.attemptNumber === 0 && tc.partitionId === 2) process.exit(3); return x; }).collect();
    console.log(r);
    try { await ctx.range(0, 4, 1, 2).map((x) => { throw { code: 42, x }; }).collect(); } catch (e) { console.log((e as Error).message); }
    try { await ctx.range(0, 4, 1, 2).map((x) => { throw null; }).collect(); } catch (e) { console.log((e as Error).message); }
    console.log(await ctx.range(0, 4, 1, 4).map((x) => x + 1).collect());
    await ctx.stop();
  });
});

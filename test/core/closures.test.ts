/**
 * Shipping user functions through the engine: a captured variable fails at the transformation call
 * (not later, in a worker) with the env fix; env carries values and functions; built-ins are refused.
 * Unit tests of the closure analysis itself are in closure.test.ts.
 */
import { describe, expect, it } from 'vitest';

import { FreeVariableError, SerializationError } from '../../core/index.js';
import { withContext } from './engine-helpers.js';

/** Runs `fn` and returns what it threw; fails the test if it returned. */
function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('closures on local[2]', () => {
  it('throw a FreeVariableError at the transformation call, naming the variable and showing env', async () => {
    await withContext({ master: 'local[2]' }, async (ctx) => {
      const k = 3;
      const rdd = ctx.range(0, 4);
      const err = thrownBy(() => rdd.map((x) => x * k));
      expect(err).toBeInstanceOf(FreeVariableError);
      const fve = err as FreeVariableError;
      expect(fve.variables).toEqual(['k']);
      expect(fve.operation).toBe('map');
      expect(fve.message).toContain('`k`');
      expect(fve.message).toContain('rdd.map((x, env) => ... env.k ..., { k })');
      // Raised by the call that introduced the capture, so the stack points at this file.
      expect(fve.stack).toContain('closures.test.ts');
    });
  });

  it('work once the captured value travels in env', async () => {
    await withContext({ master: 'local[2]' }, async (ctx) => {
      const k = 3;
      expect(await ctx.range(0, 4).map((x, env) => x * env.k, { k }).collect()).toEqual([0, 3, 6, 9]);
    });
  });

  it('name captures in the functions of shuffle operations too', async () => {
    await withContext({ master: 'local[2]' }, async (ctx) => {
      const cap = 10;
      const pairs = ctx.range(0, 4).map((x) => [x % 2, x] as [number, number]);
      const err = thrownBy(() => pairs.reduceByKey((a, b) => Math.min(a + b, cap)));
      expect(err).toBeInstanceOf(FreeVariableError);
      expect((err as FreeVariableError).variables).toEqual(['cap']);
      const ok = await pairs.reduceByKey((a, b, env) => Math.min(a + b, env.cap), { env: { cap } }).collectAsMap();
      expect(ok).toEqual(
        new Map([
          [0, 2],
          [1, 4],
        ]),
      );
    });
  });

  it('ship functions nested in env, and the values they close over through env', async () => {
    await withContext({ master: 'local[2]' }, async (ctx) => {
      const env = {
        scale: 2,
        helpers: {
          square: (x: number) => x * x,
          clamp(x: number, hi: number) {
            return Math.min(x, hi);
          },
        },
      };
      const out = await ctx
        .range(0, 6, 1, 3)
        .map((x, e) => e.helpers.clamp(e.helpers.square(x) * e.scale, 40), env)
        .collect();
      expect(out).toEqual([0, 2, 8, 18, 32, 40]);
    });
  });

  it('refuse a function in env that itself captures a variable', async () => {
    await withContext({ master: 'local[2]' }, async (ctx) => {
      const offset = 1;
      const err = thrownBy(() => ctx.range(0, 3).map((x, e) => e.shift(x), { shift: (y: number) => y + offset }));
      expect(err).toBeInstanceOf(FreeVariableError);
      expect(err.message).toContain('`offset`');
    });
  });

  it('refuse a native function with a SerializationError that shows the wrapper', async () => {
    await withContext({ master: 'local[2]' }, async (ctx) => {
      const err = thrownBy(() => ctx.range(0, 4).map(Math.sqrt));
      expect(err).toBeInstanceOf(SerializationError);
      expect((err as SerializationError)._tag).toBe('SerializationError');
      expect(err.message).toContain('`sqrt`');
      expect(err.message).toContain('rdd.map((x) => Math.sqrt(x))');
      // The suggested fix works.
      expect(await ctx.range(0, 4).map((x) => Math.sqrt(x)).collect()).toEqual([0, 1, Math.SQRT2, Math.sqrt(3)]);
    });
  });

  it('refuse a bound function', async () => {
    await withContext({ master: 'local[2]' }, async (ctx) => {
      const scaler = {
        k: 2,
        apply(x: number) {
          return x * this.k;
        },
      };
      expect(thrownBy(() => ctx.range(0, 2).map(scaler.apply.bind(scaler)))).toBeInstanceOf(SerializationError);
    });
  });
});

describe('closures on the inline local master', () => {
  it('may capture variables, since nothing is shipped', async () => {
    await withContext({ master: 'local' }, async (ctx) => {
      const k = 3;
      expect(await ctx.range(0, 4).map((x) => x * k).collect()).toEqual([0, 3, 6, 9]);
      expect(await ctx.range(0, 4).map(Math.sqrt).collect()).toEqual([0, 1, Math.SQRT2, Math.sqrt(3)]);
    });
  });
});

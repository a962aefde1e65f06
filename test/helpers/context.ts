/**
 * One context for a whole test file: created before its first test, stopped after its last. From the
 * package root, as the tests' own imports were: that entry also adds ctx.images, tables and the rest.
 */
import { afterAll, beforeAll } from 'vitest';
import { Context, type ContextOptions } from '../../index.js';

/**
 * Creates a context with `options` before the file's tests and stops it after them; `use` receives it.
 *
 * @example
 *   let ctx: Context;
 *   contextPerFile({ master: 'local[2]' }, (c) => (ctx = c));
 */
export function contextPerFile(options: ContextOptions, use: (ctx: Context) => void): void {
  let ctx: Context | null = null;
  beforeAll(async () => {
    ctx = await Context.create(options);
    use(ctx);
  });
  afterAll(async () => {
    await ctx?.stop();
  });
}

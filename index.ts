/**
 * voxelflow: a lazy, Spark-style dataflow engine for 3D image analysis on Node.js.
 *
 * @example
 *   import { Context } from 'voxelflow';
 *   const ctx = await Context.create({ master: 'local[*]' });
 *   const evens = await ctx.range(0, 10).filter((x) => x % 2 === 0).collect();
 *   await ctx.stop();
 */
export * from './core/index.js';

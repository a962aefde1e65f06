/**
 * voxelflow: a lazy, Spark-style dataflow engine for 3D image analysis on Node.js.
 *
 * @example
 *   import { Context } from 'voxelflow';
 *   const ctx = await Context.create({ master: 'local[*]' });
 *   const evens = await ctx.range(0, 10).filter((x) => x % 2 === 0).collect();
 *   const img = ctx.images.synthetic({ kind: 'blobs', shape: [64, 64, 64], seed: 1 });
 *   const cells = await img.threshold({ above: 500 }).labelComponents().componentCount();
 *   await ctx.stop();
 *
 * What importing this entry switches on, each in its folder's index.ts (the block headed "what this
 * entry adds"), the same when a folder is imported alone ('voxelflow/imaging', 'voxelflow/table',
 * 'voxelflow/ui', 'voxelflow/tomo'):
 *   imaging  `ctx.images`, ImageRDD.labelComponents, the image node kinds workers rebuild
 *   table    `ctx.readCsv`, `readArrow`, `createTable`, `tableFromShapeStats`
 *   ui       the `ui` option of Context.create and `ctx.ui`
 *   tomo     `ctx.tomo` and the reconstruction node kind
 *   cluster  the `voxelflow://` and `sge` masters (below; the cluster code loads when one is asked for)
 */
import { registerClusterMasters } from './cluster/masters.js';

export * from './core/index.js';
export * from './imaging/index.js';
export * from './table/index.js';
export * from './ui/index.js';
export * from './tomo/index.js';
// The cluster's servers (Master, Worker) are in 'voxelflow/cluster': they load gRPC and protobuf.
export { readSecretFile } from './cluster/secret.js';
export { registerClusterMasters };
// Types only (erased at run time): they also bring Context.create's `sge` option and the `batchJobs`
// event into the types of this entry, since `master: 'sge'` works from here.
export type { BatchJobCounts, SgeOptions } from './cluster/sge/sge-backend.js';

// `voxelflow://` and `sge` masters for Context.create, loaded only when a context asks for one (see
// cluster/masters.ts). 'voxelflow/cluster' does not register them: its servers do not need them.
registerClusterMasters();

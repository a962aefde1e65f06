/**
 * voxelflow cluster: a gRPC master, workers that run tasks in their own thread pools and serve their
 * blocks to each other, and the driver backend behind `Context.create({ master: 'voxelflow://HOST:PORT' })`
 * (wired by `registerClusterMasters`, which the package entry calls; it loads this code only when such a
 * master is asked for). Every RPC proves knowledge of a shared secret; see cluster/README.md.
 *
 * @example
 *   // shell: voxelflow master --secret-file ~/.voxelflow/secret
 *   //        voxelflow worker --master 127.0.0.1:7077 --cores 4 --secret-file ~/.voxelflow/secret
 *   import { Context } from 'voxelflow';
 *   const ctx = await Context.create({ master: 'voxelflow://127.0.0.1:7077', secret: 's3cret' });
 *   console.log(await ctx.range(0, 1000).map((x) => [x % 7, 1]).reduceByKey((a, b) => a + b).collect());
 *   await ctx.stop();
 */
export { Master, type MasterOptions } from './master.js';
export { Worker, type WorkerOptions, type WorkerExit } from './worker.js';
export { readSecretFile } from './secret.js';
export { registerClusterMasters } from './masters.js';
export type { TlsFiles } from './rpc.js';

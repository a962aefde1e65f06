/**
 * What a worker process reuses to run tasks exactly as `local[N]` does: the thread pool, the block
 * store and its refs, the task codec and the error encoding. cluster/worker.ts and task-runner.ts
 * import it; the interfaces they implement are in spi.ts.
 *
 * @example
 *   import { ThreadExecutor } from '../core/executor/worker-kit.js';
 *   const pool = new ThreadExecutor('worker-1', 4); // runs TaskDescriptions in 4 worker threads
 *   await pool.stop();
 */
export { ThreadExecutor, decodeReply } from './thread-executor.js';
export { BlockManager } from '../storage/block-manager.js';
export { readBlock, toShared } from '../storage/block-ref.js';
export { encode, decode } from '../codec.js';
export { errorToData } from '../error-data.js';

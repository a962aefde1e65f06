/**
 * The executor SPI: what a cluster backend (cluster/) needs to run tasks outside the driver, kept
 * apart from core's user-facing entry. A backend registers a master URL scheme, gives the context
 * Executors, and runs tasks on its workers with the same thread pool and block store as `local[N]`.
 *
 * @example
 *   // inside the voxelflow sources (cluster/ imports it like this)
 *   import { ThreadExecutor } from '../core/executor/index.js';
 *   const pool = new ThreadExecutor('worker-1', 4); // runs TaskDescriptions in 4 worker threads
 *   await pool.stop();
 */
export type { Executor, TaskDescription, TaskInputs, TaskOutcome, StageWorkHandle, CachePut, MapOutput } from './executor.js';
export { ThreadExecutor, decodeReply, type WorkerTaskReply } from './thread-executor.js';
export { registerMasterScheme, type ExecutorHost, type MasterSchemeFactory, type SchedulerBackend } from './scheduler-backend.js';
export { BlockManager } from '../storage/block-manager.js';
export { readBlock, toShared, type BlockLocation, type BlockRef } from '../storage/block-ref.js';
export { encode, decode } from '../codec.js';
export { errorToData, type RemoteErrorData } from '../error-data.js';

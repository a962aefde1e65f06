/**
 * The executor SPI: the interfaces a scheduler backend and its executors implement, and the hook
 * that makes a master URL scheme known. cluster/ (voxelflow:// and sge) is built on this and on
 * worker-kit.ts; a new launcher implements SchedulerBackend and Executor (see CONTRIBUTING.md).
 *
 * @example
 *   import { registerMasterScheme, type SchedulerBackend } from '../core/executor/spi.js';
 *   registerMasterScheme('mine', async ({ url, options }) => connectMyBackend(url, options));
 */
export type { Executor, TaskDescription, TaskInputs, TaskOutcome, StageWorkHandle, CachePut, MapOutput } from './executor.js';
export { registerMasterScheme, type ExecutorHost, type MasterSchemeFactory, type SchedulerBackend } from './scheduler-backend.js';
export type { BlockLocation, BlockRef } from '../storage/block-ref.js';
export type { WorkerTaskReply } from './thread-executor.js';
export type { RemoteErrorData } from '../error-data.js';

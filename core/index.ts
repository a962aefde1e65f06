/**
 * voxelflow core: the lazy, Spark-style RDD engine. Depends on no other voxelflow folder.
 *
 * @example
 *   import { Context } from 'voxelflow';
 *   const ctx = await Context.create({ master: 'local[2]' });
 *   const words = ctx.parallelize(['a b', 'b c']).flatMap((line) => line.split(' '));
 *   const counts = await words.map((w) => [w, 1] as [string, number]).reduceByKey((a, b) => a + b).collectAsMap();
 *   await ctx.stop();
 */
export { Context, driverContext, type ContextOptions } from './context.js';
export { RDD, type RddContext, type RunJobOptions, type ShuffleOptions, type Fn1, type Fn2 } from './rdd.js';
export { TaskContext, type StorageLevel, type BlockSource } from './task-context.js';
export { Accumulator, type AccumulatorKind } from './accumulator.js';
export { Broadcast } from './broadcast.js';
export { HashPartitioner, RangePartitioner, type Partitioner, type PartitionerSpec } from './partitioner.js';
export { EventBus, type VoxelflowEvent, type EventType, type EventOf, type EventInput } from './events.js';
export { StatCounter } from './stat-counter.js';
export { makeRng } from './sampling.js';
export { KeyMap } from './key-map.js';
export { compareKeys, hashKey, keysEqual } from './keys.js';
export { parseSize, formatBytes } from './sizes.js';
export { globRegExp, hasGlob } from './glob.js';
export { packageRoot } from './package-root.js';
export type { ApproxResult } from './actions/index.js';
export { approxCount, approxMean, inverseNormalCdf, inverseStudentTCdf, settleAtTimeout, type Bounded } from './approx.js';
export { registerContextExtension, type ContextExtension } from './context-extension.js';
export { defineContextMembers, type ContextMember } from './context-members.js';
export { registerMasterScheme, type MasterSchemeFactory, type SchedulerBackend, type ExecutorHost } from './executor/scheduler-backend.js';
export type { BlockManagerStats } from './storage/block-manager.js';
export { cacheableArray } from './storage/record-codec.js';
export type { Plan, PlanNode } from './plan.js';
export { toPlan } from './plan.js';
export { registerNode, namedFunction, type NodeFactory } from './registry.js';
export type { RddNode, Emit } from './rdd-node.js';
export type { Dependency, NarrowDependency, ShuffleDependency, Aggregator } from './dependency.js';
export {
  VoxelflowError,
  InputError,
  isVoxelflowError,
  registerErrorClasses,
  type VoxelflowErrorTags,
  type VoxelflowErrorTag,
  type ErrorClass,
  ConfigError,
  FreeVariableError,
  SerializationError,
  TaskFailedError,
  JobAbortedError,
  ExecutorWaitTimeoutError,
  SpillDiskFullError,
  isSpillDiskFullError,
  FetchFailedError,
} from './errors.js';

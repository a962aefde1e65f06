/**
 * Actions, one file each: the partition half (a named, serializable op that runs inside the task and
 * returns a small result) next to the driver half (runs the job and merges). A ResultOp travels in
 * the stage's plan; a task finds its partition half here by name.
 */
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';
import { collectPartition, type CollectOp } from './collect.js';
import { countByValuePartition, type CountByValueOp } from './count-by-value.js';
import { countPartition, type CountOp } from './count.js';
import { foldPartition, type FoldOp } from './fold.js';
import { foreachPartitionRun, foreachRun, type ForeachOp, type ForeachPartitionOp } from './foreach.js';
import { histogramPartition, type HistogramOp } from './histogram.js';
import { lookupPartition, type LookupOp } from './lookup.js';
import { reducePartition, type ReduceOp } from './reduce.js';
import { sampleKeysPartition, type SampleKeysOp } from './sample-keys.js';
import { saveTextPartition, type SaveTextOp } from './save-text.js';
import { statsPartition, type StatsOp } from './stats.js';
import { takeOrderedPartition, type TakeOrderedOp } from './take-ordered.js';
import { takePartition, type TakeOp } from './take.js';
import { writeCheckpointRun, type WriteCheckpointOp } from './write-checkpoint.js';

/** The partition half of an action, as plans carry it: its name and its parameters. */
export type ResultOp =
  | CollectOp
  | CountOp
  | TakeOp
  | FoldOp
  | ReduceOp
  | ForeachOp
  | ForeachPartitionOp
  | TakeOrderedOp
  | StatsOp
  | CountByValueOp
  | LookupOp
  | HistogramOp
  | SampleKeysOp
  | SaveTextOp
  | WriteCheckpointOp;

type PartitionRun<O> = (op: O, rdd: RDD<unknown>, split: number, tc: TaskContext) => unknown;

/** Each op's partition half, by name (the mapped type keeps every name paired with its own op type). */
const PARTITION_RUNS: { readonly [K in ResultOp['op']]: PartitionRun<Extract<ResultOp, { op: K }>> } = {
  collect: collectPartition,
  count: countPartition,
  take: takePartition,
  fold: foldPartition,
  reduce: reducePartition,
  foreach: foreachRun,
  foreachPartition: foreachPartitionRun,
  takeOrdered: takeOrderedPartition,
  stats: statsPartition,
  countByValue: countByValuePartition,
  lookup: lookupPartition,
  histogram: histogramPartition,
  sampleKeys: sampleKeysPartition,
  saveText: saveTextPartition,
  writeCheckpoint: writeCheckpointRun,
};

/** Runs `op` over partition `split` of `rdd`. */
export function runResultOp<O extends ResultOp>(op: O, rdd: RDD<unknown>, split: number, tc: TaskContext): unknown {
  const run = PARTITION_RUNS[op.op] as PartitionRun<O>;
  return run(op, rdd, split, tc);
}

export { aggregate, treeAggregate } from './aggregate.js';
export { countApprox, statApprox, type ApproxResult } from './approx.js';
export { collect, collectAsMap } from './collect.js';
export { countByValue } from './count-by-value.js';
export { count } from './count.js';
export { fold } from './fold.js';
export { foreach, foreachPartition } from './foreach.js';
export { histogram } from './histogram.js';
export { lookup } from './lookup.js';
export { reduce } from './reduce.js';
export { saveAsTextFile } from './save-text.js';
export { stats, sum, type PartitionStats } from './stats.js';
export { extreme, orderingOf, takeOrdered } from './take-ordered.js';
export { takeSample } from './take-sample.js';
export { first, take } from './take.js';

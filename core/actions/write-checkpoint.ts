/** The job that writes a checkpoint: each partition's records into the checkpoint directory. */
import { writeCheckpointPartition } from '../nodes/checkpoint.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface WriteCheckpointOp {
  readonly op: 'writeCheckpoint';
  readonly dir: string;
}

/** Writes the partition's records; returns how many. */
export function writeCheckpointRun(op: WriteCheckpointOp, rdd: RDD<unknown>, split: number, tc: TaskContext): number {
  const records: unknown[] = [];
  rdd.iterate(split, tc, (x) => void records.push(x));
  writeCheckpointPartition(op.dir, split, records);
  return records.length;
}

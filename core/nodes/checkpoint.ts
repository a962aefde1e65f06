/**
 * A checkpointed RDD reads its partitions back from files written by a checkpoint job; its lineage
 * ends here. Files are msgpack arrays named part-NNNNN, written to a temporary name and renamed.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { decode, encode } from '../codec.js';
import type { Dependency } from '../dependency.js';
import type { Partitioner } from '../partitioner.js';
import type { Emit, RddNode } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface CheckpointParams {
  readonly dir: string;
  readonly numPartitions: number;
}

/** File of partition `split` inside a checkpoint directory. */
export function checkpointFile(dir: string, split: number): string {
  return join(dir, `part-${String(split).padStart(5, '0')}`);
}

/** Writes one partition's records; atomic through rename. */
export function writeCheckpointPartition(dir: string, split: number, records: unknown[]): void {
  mkdirSync(dir, { recursive: true });
  const file = checkpointFile(dir, split);
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, encode(records));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export class CheckpointNode implements RddNode<unknown> {
  readonly op = 'checkpoint';
  readonly parents: readonly RDD<unknown>[] = [];
  constructor(
    readonly params: CheckpointParams,
    readonly partitioner: Partitioner | null = null,
  ) {}
  numPartitions(): number {
    return this.params.numPartitions;
  }
  dependencies(): readonly Dependency[] {
    return [];
  }
  compute(split: number, _tc: TaskContext, emit: Emit<unknown>): void {
    const file = checkpointFile(this.params.dir, split);
    let records: unknown[];
    try {
      records = decode<unknown[]>(readFileSync(file));
    } catch (err) {
      throw new Error(`checkpoint file ${file} cannot be read (${(err as Error).message}); was the checkpoint directory removed?`);
    }
    for (let i = 0; i < records.length; i++) emit(records[i]);
  }
  describe(): string {
    return `checkpoint ${this.params.dir}`;
  }
}

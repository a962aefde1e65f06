/**
 * Runs one task attempt against the blocks the scheduler resolved for it. Shared by every executor:
 * the inline runner calls it on the driver's live RDDs, worker threads on RDDs rebuilt from a plan.
 */
import { FetchFailedError } from '../errors.js';
import { runResultOp } from '../actions/index.js';
import { TaskContext, type BlockSource, type StorageLevel } from '../task-context.js';
import { readBlock, type BlockRef } from '../storage/block-ref.js';
import { decodeRecords, encodeRecords } from '../storage/record-codec.js';
import type { CachePut, StageWork, TaskInputs } from './executor.js';
import { writeShuffle, type ShuffleOutput } from './shuffle-writer.js';

export interface RawOutcome {
  readonly result: unknown;
  readonly shuffleOutput: ShuffleOutput | null;
  readonly cachePuts: CachePut[];
  readonly accumulators: [number, unknown][];
  readonly records: number;
  readonly metrics: [string, number][];
}

export interface TaskIds {
  readonly taskId: number;
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
}

/** Computes the task's partition and returns what the driver must record. Throws on task failure. */
export function executeTask(work: StageWork, ids: TaskIds, inputs: TaskInputs): RawOutcome {
  const cachePuts: CachePut[] = [];
  const blocks = new TaskBlocks(inputs, cachePuts);
  const tc = new TaskContext(ids.stageId, ids.partition, ids.attempt, ids.taskId, blocks);
  return tc.run(() => {
    let result: unknown = null;
    let shuffleOutput: ShuffleOutput | null = null;
    let records = 0;
    if (work.shuffle !== null) {
      shuffleOutput = writeShuffle(work.rdd, ids.partition, tc, work.shuffle);
      records = shuffleOutput.records;
    } else if (work.resultOp !== null) {
      result = runResultOp(work.resultOp, work.rdd, ids.partition, tc);
    }
    if (tc.shuffleRecordsRead > 0) tc.count('shuffleRecordsRead', tc.shuffleRecordsRead);
    return { result, shuffleOutput, cachePuts, accumulators: [...tc.accumulatorUpdates], records, metrics: [...tc.metrics] };
  });
}

/**
 * Decoded cached partitions this thread read recently, keyed by block version, so that neighbouring
 * tasks reading the same block (image halos) decode it once. Records from the cache are shared, as
 * with Spark's deserialized MEMORY_ONLY storage: tasks must not mutate them.
 */
const decoded = new Map<number, { records: unknown[]; bytes: number }>();
let decodedBytes = 0;
const DECODED_BUDGET = 256 * 1024 * 1024;

function remember(version: number, records: unknown[], bytes: number): void {
  if (bytes > DECODED_BUDGET / 4) return;
  decoded.set(version, { records, bytes });
  decodedBytes += bytes;
  for (const [k, v] of decoded) {
    if (decodedBytes <= DECODED_BUDGET) break;
    decoded.delete(k);
    decodedBytes -= v.bytes;
  }
}

class TaskBlocks implements BlockSource {
  private readonly shuffle = new Map<string, readonly BlockRef[]>();
  private readonly cached = new Map<string, BlockRef>();

  constructor(inputs: TaskInputs, private readonly puts: CachePut[]) {
    for (const [s, r, refs] of inputs.shuffle) this.shuffle.set(`${s}:${r}`, refs);
    for (const [id, split, ref] of inputs.cached) this.cached.set(`${id}:${split}`, ref);
  }

  shuffleBuckets(shuffleId: number, reduceId: number): Uint8Array[] {
    const refs = this.shuffle.get(`${shuffleId}:${reduceId}`);
    if (refs === undefined) {
      throw new FetchFailedError(shuffleId, -1, `shuffle ${shuffleId} bucket ${reduceId} was not resolved for this task`);
    }
    return refs.map((ref) => {
      if (ref.kind === 'missing') {
        const where = ref.executorId === undefined ? '' : ` (lost with executor ${ref.executorId}${ref.reason === undefined ? '' : `: ${ref.reason}`})`;
        throw new FetchFailedError(shuffleId, ref.mapIndex, `shuffle ${shuffleId}: output of map ${ref.mapIndex} is missing${where}`, ref.executorId);
      }
      try {
        return readBlock(ref);
      } catch (err) {
        const mapIndex = refs.indexOf(ref);
        throw new FetchFailedError(shuffleId, mapIndex, `shuffle ${shuffleId}: cannot read output of map ${mapIndex}: ${(err as Error).message}`);
      }
    });
  }

  getCached(rddId: number, split: number): unknown[] | undefined {
    const ref = this.cached.get(`${rddId}:${split}`);
    if (ref === undefined) return undefined;
    const memoKey = ref.kind === 'mem' && ref.version !== undefined ? ref.version : null;
    if (memoKey !== null) {
      const hit = decoded.get(memoKey);
      if (hit !== undefined) {
        decoded.delete(memoKey);
        decoded.set(memoKey, hit);
        return hit.records;
      }
    }
    let records: unknown[];
    try {
      records = decodeRecords(readBlock(ref));
    } catch {
      return undefined; // a lost cache block is recomputed from lineage
    }
    if (memoKey !== null) remember(memoKey, records, readBlock(ref).length);
    return records;
  }

  putCached(rddId: number, split: number, records: unknown[], level: StorageLevel): void {
    const bytes = encodeRecords(records);
    this.puts.push({ rddId, split, level, bytes });
    this.cached.set(`${rddId}:${split}`, { kind: 'mem', bytes });
  }
}

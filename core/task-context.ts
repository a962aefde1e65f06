/**
 * What a running task knows about itself, and how it reaches blocks (shuffle buckets, cached
 * partitions) that the executor prepared for it. Kernels receive it as the last argument of every
 * user function: `rdd.map((x, env, tc) => tc.attemptNumber)`.
 */

/** Storage levels, as in Spark. `MEMORY_ONLY` partitions that do not fit are recomputed. */
export type StorageLevel = 'NONE' | 'MEMORY_ONLY' | 'MEMORY_AND_DISK' | 'DISK_ONLY';

/** The executor's view of blocks for one task. */
export interface BlockSource {
  /** Encoded buckets `reduceId` of every map output of `shuffleId`. Throws FetchFailedError when one is lost. */
  shuffleBuckets(shuffleId: number, reduceId: number): Uint8Array[];
  /** A cached partition, decoded, or undefined when it is not cached. */
  getCached(rddId: number, split: number): unknown[] | undefined;
  /** Offers a computed partition to the cache. */
  putCached(rddId: number, split: number, records: unknown[], level: StorageLevel): void;
}

let current: TaskContext | null = null;

/** Per-attempt facts and side channels of a task. */
export class TaskContext {
  /** Accumulator updates made by this attempt; merged on the driver only if the attempt succeeds. */
  readonly accumulatorUpdates = new Map<number, unknown>();
  /** Records read from shuffle buckets, for metrics. */
  shuffleRecordsRead = 0;
  /** Named counters kernels add to (e.g. voxels computed); reported with the task's taskEnd event. */
  readonly metrics = new Map<string, number>();

  /** Adds `n` to the counter `name`. */
  count(name: string, n: number): void {
    this.metrics.set(name, (this.metrics.get(name) ?? 0) + n);
  }

  constructor(
    /** The stage the task belongs to. */
    readonly stageId: number,
    /** The partition it computes. */
    readonly partitionId: number,
    /** 0 for the first attempt of this partition, then 1, 2, ... for retries and speculative copies. */
    readonly attemptNumber: number,
    /** The scheduler's task id, unique in the context. */
    readonly taskAttemptId: number,
    /** Shuffle buckets and cached partitions the executor prepared for the task. */
    readonly blocks: BlockSource,
  ) {}

  /** The task running on this thread, or null on the driver. */
  static get(): TaskContext | null {
    return current;
  }

  /** Runs `body` with this context as the current one. Task bodies are synchronous. */
  run<R>(body: () => R): R {
    const previous = current;
    current = this;
    try {
      return body();
    } finally {
      current = previous;
    }
  }
}

/**
 * The rows of the dashboard's JSON API (`/api/v1/...`). The page reads nothing else, so these
 * shapes are the contract between server and page. Times are epoch milliseconds.
 */
import type { ScanProgress } from '../streaming/scan-progress.js';

/** Task counts of a job or stage. */
export interface TaskCounts {
  active: number;
  succeeded: number;
  failed: number;
  killed: number;
}

export interface JobRow {
  readonly jobId: number;
  readonly rddId: number;
  /** The action that ran the job ('count', 'collect', ...), when the scheduler says. */
  readonly action: string | null;
  /** The last stage's name: what the action computes. */
  name: string;
  status: 'running' | 'succeeded' | 'failed';
  readonly partitions: number;
  readonly submitted: number;
  completed: number | null;
  durationMs: number | null;
  stageIds: number[];
  tasks: TaskCounts;
  /** Tasks of every stage the job submitted (retries and speculative copies included). */
  numTasks: number;
  error: string | null;
}

export interface StageRow {
  readonly stageId: number;
  readonly attempt: number;
  readonly jobId: number;
  readonly name: string;
  readonly kind: 'shuffleMap' | 'result';
  readonly numTasks: number;
  status: 'active' | 'succeeded' | 'failed' | 'resubmitted';
  readonly submitted: number;
  completed: number | null;
  durationMs: number | null;
  tasks: TaskCounts;
  /** Sum of the durations of finished tasks. */
  taskTimeMs: number;
  records: number;
  shuffleBytesWritten: number;
  /** Sums of the counters the tasks' kernels reported (voxelsComputed, ...). */
  metrics: Record<string, number>;
}

export interface TaskRow {
  readonly taskId: number;
  readonly stageId: number;
  readonly stageAttempt: number;
  readonly partition: number;
  readonly attempt: number;
  readonly executorId: string;
  readonly speculative: boolean;
  status: 'running' | 'success' | 'failed' | 'killed' | 'fetchFailed';
  readonly launched: number;
  durationMs: number | null;
  records: number | null;
  error: string | null;
}

export interface ExecutorRow {
  readonly executorId: string;
  readonly cores: number;
  /** Where it runs, when its reporter says. */
  readonly host: string | null;
  /** Memory of the executor's machine, when its reporter says. */
  readonly memoryBytes: number | null;
  status: 'active' | 'removed';
  readonly added: number;
  removed: number | null;
  removedReason: string | null;
  tasks: TaskCounts;
  taskTimeMs: number;
}

/** A streaming scan, from its `scanUpdated` events. */
export interface ScanRow {
  readonly scanId: string;
  status: ScanProgress['status'];
  expected: number | null;
  counters: Record<string, number>;
  readonly started: number;
  updated: number;
}

export interface PreviewRow {
  readonly id: string;
  readonly name: string;
  readonly type: 'png' | 'svg';
  /** Path of the image under the server, with a version query so that browsers refetch on change. */
  readonly url: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly bytes: number;
  readonly version: number;
  readonly updated: number;
}

/** `/api/v1/app`: what runs, without anything secret (no options beyond these are ever served). */
export interface AppRow {
  readonly appName: string;
  readonly master: string;
  readonly defaultParallelism: number;
  readonly started: number;
  readonly storage: {
    readonly memoryUsed: number;
    readonly memoryBudget: number;
    readonly spilledBytes: number;
    readonly blocks: number;
  } | null;
}

/** One item of a batch project (`voxelflow batch run --ui-port`). */
export interface BatchItemRow {
  readonly item: string;
  readonly sample: string;
  readonly state: 'done' | 'running' | 'pending' | 'failed';
  readonly attempts: number;
  readonly seconds: number | null;
  readonly error: string | null;
}

/** `/api/v1/batch`: the batch project a driver runs, or null when it runs none. */
export interface BatchRow {
  readonly project: string;
  readonly total: number;
  readonly done: number;
  readonly running: number;
  readonly pending: number;
  readonly failed: number;
  readonly medianSeconds: number | null;
  readonly etaSeconds: number | null;
  readonly items: readonly BatchItemRow[];
}

/** Topics of the server-sent events: each names the endpoint whose answer changed. */
export type Topic = 'app' | 'jobs' | 'stages' | 'tasks' | 'executors' | 'scans' | 'previews' | 'batch';

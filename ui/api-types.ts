/**
 * The rows of the dashboard's JSON API (`/api/v1/...`). The page reads nothing else, so these
 * shapes are the contract between server and page. Times are epoch milliseconds.
 */
import type { ScanProgress } from '../streaming/scan-progress.js';

/** Task counts of a job or stage. */
export interface TaskCounts {
  /** Tasks running now. */
  active: number;
  /** Tasks that ended with success. */
  succeeded: number;
  /** Tasks that failed (fetch failures included). */
  failed: number;
  /** Tasks killed (e.g. the losing copy of a speculative pair). */
  killed: number;
}

/** One job (one action on an RDD), as `/api/v1/jobs` lists it. */
export interface JobRow {
  /** The scheduler's job id, unique in the context. */
  readonly jobId: number;
  /** Id of the RDD the action ran on. */
  readonly rddId: number;
  /** The action that ran the job ('count', 'collect', ...), when the scheduler says. */
  readonly action: string | null;
  /** The last stage's name: what the action computes. */
  name: string;
  /** Running until the job ends, then whether it succeeded. */
  status: 'running' | 'succeeded' | 'failed';
  /** Partitions the action computes (tasks of its result stage). */
  readonly partitions: number;
  /** When the job started (epoch ms). */
  readonly submitted: number;
  /** When the job ended (epoch ms), null while it runs. */
  completed: number | null;
  /** completed - submitted in ms, null while it runs. */
  durationMs: number | null;
  /** Ids of the stages the job submitted, in submission order. */
  stageIds: number[];
  /** Task counts over all of the job's stages. */
  tasks: TaskCounts;
  /** Tasks of every stage the job submitted (retries and speculative copies included). */
  numTasks: number;
  /** The failure message of a failed job, else null. */
  error: string | null;
}

/** One attempt of one stage, as `/api/v1/stages` lists it. */
export interface StageRow {
  /** The scheduler's stage id (shared by every attempt of the stage). */
  readonly stageId: number;
  /** Attempt number of the stage, 0 first; a resubmitted stage runs again with the next number. */
  readonly attempt: number;
  /** The job that submitted this attempt. */
  readonly jobId: number;
  /** What the stage computes (its last RDD's name). */
  readonly name: string;
  /** 'shuffleMap' writes shuffle output for a later stage; 'result' computes the action's partitions. */
  readonly kind: 'shuffleMap' | 'result';
  /** Tasks the stage attempt launched with. */
  readonly numTasks: number;
  /** Active until the attempt ends; 'resubmitted' when it was rerun after lost shuffle output. */
  status: 'active' | 'succeeded' | 'failed' | 'resubmitted';
  /** When the attempt was submitted (epoch ms). */
  readonly submitted: number;
  /** When the attempt ended (epoch ms), null while active. */
  completed: number | null;
  /** completed - submitted in ms, null while active. */
  durationMs: number | null;
  /** Task counts of this attempt. */
  tasks: TaskCounts;
  /** Sum of the durations of finished tasks. */
  taskTimeMs: number;
  /** Records the finished tasks reported. */
  records: number;
  /** Shuffle output bytes the finished tasks wrote. */
  shuffleBytesWritten: number;
  /** Sums of the counters the tasks' kernels reported (voxelsComputed, ...). */
  metrics: Record<string, number>;
}

/** One task attempt, as `/api/v1/tasks` lists it. */
export interface TaskRow {
  /** The scheduler's task id, unique per context. */
  readonly taskId: number;
  /** The stage the task belongs to. */
  readonly stageId: number;
  /** Attempt of that stage when the task started. */
  readonly stageAttempt: number;
  /** Partition index the task computes. */
  readonly partition: number;
  /** Attempt number of this partition within the stage, 0 first. */
  readonly attempt: number;
  /** Executor that runs the task. */
  readonly executorId: string;
  /** Whether this is a speculative copy of a slow task. */
  readonly speculative: boolean;
  /** Running until the task ends, then how it ended. */
  status: 'running' | 'success' | 'failed' | 'killed' | 'fetchFailed';
  /** When the task started (epoch ms). */
  readonly launched: number;
  /** Run time in ms, null while running. */
  durationMs: number | null;
  /** Records the task reported, null while running or when it reported none. */
  records: number | null;
  /** The failure message of a failed task, else null. */
  error: string | null;
}

/** One executor (a worker process or thread pool), as `/api/v1/executors` lists it. */
export interface ExecutorRow {
  /** The executor's id. */
  readonly executorId: string;
  /** Tasks it runs at once. */
  readonly cores: number;
  /** Where it runs, when its reporter says. */
  readonly host: string | null;
  /** Memory of the executor's machine, when its reporter says. */
  readonly memoryBytes: number | null;
  /** Active until the executor is removed (see removedReason). */
  status: 'active' | 'removed';
  /** When it registered (epoch ms). */
  readonly added: number;
  /** When it was removed (epoch ms), null while active. */
  removed: number | null;
  /** Why it was removed, null while active. */
  removedReason: string | null;
  /** Counts of the tasks it ran. */
  tasks: TaskCounts;
  /** Sum of the durations of its finished tasks. */
  taskTimeMs: number;
}

/** A streaming scan, from its `scanUpdated` events. */
export interface ScanRow {
  /** The scan's id, as the stream named it. */
  readonly scanId: string;
  /** The scan's state as its last `scanUpdated` event gave it. */
  status: ScanProgress['status'];
  /** Frames the scan announced, null when unknown. */
  expected: number | null;
  /** Counters of the last update (frames received, decoded, ...). */
  counters: Record<string, number>;
  /** When the first update arrived (epoch ms). */
  readonly started: number;
  /** When the last update arrived (epoch ms). */
  updated: number;
}

/** A picture shown with `ui.showPreview`, as `/api/v1/previews` lists it. */
export interface PreviewRow {
  /** Stable id derived from the name; the picture is at `url`. */
  readonly id: string;
  /** The name it was shown under. */
  readonly name: string;
  /** PNG (previews, PNG bytes) or SVG (plots). */
  readonly type: 'png' | 'svg';
  /** Path of the image under the server, with a version query so that browsers refetch on change. */
  readonly url: string;
  /** Width in pixels of a PNG, null for SVG. */
  readonly width: number | null;
  /** Height in pixels of a PNG, null for SVG. */
  readonly height: number | null;
  /** Size of the picture in bytes. */
  readonly bytes: number;
  /** Increases each time any picture is shown; changes the url. */
  readonly version: number;
  /** When the picture was last shown (epoch ms). */
  readonly updated: number;
}

/** `/api/v1/app`: what runs, without anything secret (no options beyond these are ever served). */
export interface AppRow {
  /** The context's appName. */
  readonly appName: string;
  /** The master URL the context runs on (e.g. 'local[4]'). */
  readonly master: string;
  /** Partitions used when an operation is not told how many. */
  readonly defaultParallelism: number;
  /** When the context was created (epoch ms). */
  readonly started: number;
  /** The driver's block store, or null when the context has none. */
  readonly storage: {
    /** Bytes of cached blocks held in memory. */
    readonly memoryUsed: number;
    /** Bytes the store may hold in memory before it spills. */
    readonly memoryBudget: number;
    /** Bytes spilled to disk. */
    readonly spilledBytes: number;
    /** Cached blocks stored. */
    readonly blocks: number;
  } | null;
}

/** One item of a batch project (`voxelflow batch run --ui-port`). */
export interface BatchItemRow {
  /** The item's name in the manifest. */
  readonly item: string;
  /** Its value of the project's sample column ('' when none). */
  readonly sample: string;
  /** Where the item stands in this project. */
  readonly state: 'done' | 'running' | 'pending' | 'failed';
  /** Attempts counted against it (failures since its last reset, plus the one that succeeded). */
  readonly attempts: number;
  /** Seconds of the successful attempt, or of the last attempt that ended; null before any. */
  readonly seconds: number | null;
  /** The last failure message, null when none. */
  readonly error: string | null;
}

/** `/api/v1/batch`: the batch project a driver runs, or null when it runs none. */
export interface BatchRow {
  /** The project's folder name. */
  readonly project: string;
  /** Items in the manifest. */
  readonly total: number;
  /** Items done. */
  readonly done: number;
  /** Items running now. */
  readonly running: number;
  /** Items not yet run (or to be retried). */
  readonly pending: number;
  /** Items that used up their attempts. */
  readonly failed: number;
  /** Median seconds of the done items, null before any is done. */
  readonly medianSeconds: number | null;
  /** Seconds left: median item time x items left / items run at once; null before any is done. */
  readonly etaSeconds: number | null;
  /** Every item, in manifest order. */
  readonly items: readonly BatchItemRow[];
}

/** Topics of the server-sent events: each names the endpoint whose answer changed. */
export type Topic = 'app' | 'jobs' | 'stages' | 'tasks' | 'executors' | 'scans' | 'previews' | 'batch';

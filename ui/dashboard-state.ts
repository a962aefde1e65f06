/**
 * What the dashboard knows: jobs, stages, tasks, executors and scans, folded from the event bus into
 * bounded maps (oldest evicted first, like Spark's `spark.ui.retainedJobs`), so that a driver that
 * runs for days keeps a constant-size picture. Pure bookkeeping: no IO, no timers.
 */
import type { VoxelflowEvent } from '../core/index.js';
import type { ExecutorRow, JobRow, ScanRow, StageRow, TaskCounts, TaskRow, Topic } from './api-types.js';

/** How much history the dashboard keeps. */
export interface Retention {
  /** Jobs kept (oldest dropped first). */
  readonly jobs: number;
  /** Stage attempts kept. */
  readonly stages: number;
  /** Task attempts kept. */
  readonly tasks: number;
  /** Streaming scans kept. */
  readonly scans: number;
  /** Removed executors kept for their failure counts (active ones are always kept). */
  readonly removedExecutors: number;
}

/** 100 jobs, 500 stages, 2000 tasks, 100 scans and 100 removed executors. */
export const DEFAULT_RETENTION: Retention = { jobs: 100, stages: 500, tasks: 2000, scans: 100, removedExecutors: 100 };

const noTasks = (): TaskCounts => ({ active: 0, succeeded: 0, failed: 0, killed: 0 });

/** The dashboard's picture of the application, folded from the event bus; `onChange` hears the topic each event changed. */
export class DashboardState {
  private readonly jobs = new Map<number, JobRow>();
  /** Keyed `stageId.attempt`. */
  private readonly stages = new Map<string, StageRow>();
  /** The latest attempt of each stage id: where its task events go. */
  private readonly latestStage = new Map<number, StageRow>();
  private readonly tasks = new Map<number, TaskRow>();
  private readonly executors = new Map<string, ExecutorRow>();
  private readonly scans = new Map<string, ScanRow>();

  constructor(
    private readonly onChange: (topic: Topic) => void = () => {},
    private readonly retention: Retention = DEFAULT_RETENTION,
  ) {}

  /** Folds one event in. */
  apply(e: VoxelflowEvent): void {
    switch (e.type) {
      case 'jobStart':
        bounded(this.jobs, this.retention.jobs).set(e.jobId, {
          jobId: e.jobId, rddId: e.rddId, action: e.action ?? null, name: `job ${e.jobId}`, status: 'running', partitions: e.partitions,
          submitted: e.time, completed: null, durationMs: null, stageIds: [], tasks: noTasks(), numTasks: 0, error: null,
        });
        return this.onChange('jobs');
      case 'jobEnd': {
        const job = this.jobs.get(e.jobId);
        if (job === undefined) return;
        job.status = e.result;
        job.completed = e.time;
        job.durationMs = e.time - job.submitted;
        job.error = e.error ?? null;
        return this.onChange('jobs');
      }
      case 'stageSubmitted':
        return this.stageSubmitted(e);
      case 'stageCompleted': {
        const stage = this.stages.get(`${e.stageId}.${e.attempt}`);
        if (stage === undefined) return;
        stage.status = e.result === 'succeeded' ? 'succeeded' : e.result;
        stage.completed = e.time;
        stage.durationMs = e.time - stage.submitted;
        return this.onChange('stages');
      }
      case 'taskStart':
        return this.taskStart(e);
      case 'taskEnd':
        return this.taskEnd(e);
      case 'executorAdded':
        this.executors.set(e.executorId, {
          executorId: e.executorId, cores: e.cores, host: e.host ?? null, memoryBytes: e.memoryBytes ?? null, status: 'active', added: e.time, removed: null, removedReason: null, tasks: noTasks(), taskTimeMs: 0,
        });
        return this.onChange('executors');
      case 'executorRemoved': {
        const ex = this.executors.get(e.executorId);
        if (ex === undefined) return;
        ex.status = 'removed';
        ex.removed = e.time;
        ex.removedReason = e.reason;
        this.evictRemovedExecutors();
        return this.onChange('executors');
      }
      case 'scanUpdated': {
        const scan = this.scans.get(e.scanId);
        if (scan === undefined) {
          bounded(this.scans, this.retention.scans).set(e.scanId, { scanId: e.scanId, status: e.status, expected: e.expected, counters: { ...e.counters }, started: e.time, updated: e.time });
        } else {
          scan.status = e.status;
          scan.expected = e.expected;
          scan.counters = { ...e.counters };
          scan.updated = e.time;
        }
        return this.onChange('scans');
      }
      default:
        // Block events and speculation notices change nothing the dashboard lists.
        return;
    }
  }

  /** Jobs, newest first. */
  jobList(): JobRow[] {
    return [...this.jobs.values()].reverse();
  }

  /** Stage attempts, newest first; only those of `jobId` when given. */
  stageList(jobId?: number): StageRow[] {
    const all = [...this.stages.values()].reverse();
    return jobId === undefined ? all : all.filter((s) => s.jobId === jobId);
  }

  /** Tasks of one stage id (every attempt), or the most recent tasks; newest first. */
  taskList(stageId?: number, limit = 200): TaskRow[] {
    const out: TaskRow[] = [];
    const all = [...this.tasks.values()];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const t = all[i] as TaskRow;
      if (stageId === undefined || t.stageId === stageId) out.push(t);
    }
    return out;
  }

  /** Executors in the order they registered, removed ones included (up to the retention). */
  executorList(): ExecutorRow[] {
    return [...this.executors.values()];
  }

  /** Streaming scans, newest first. */
  scanList(): ScanRow[] {
    return [...this.scans.values()].reverse();
  }

  private stageSubmitted(e: Extract<VoxelflowEvent, { type: 'stageSubmitted' }>): void {
    const stage: StageRow = {
      stageId: e.stageId, attempt: e.attempt, jobId: e.jobId, name: e.name, kind: e.kind, numTasks: e.numTasks, status: 'active',
      submitted: e.time, completed: null, durationMs: null, tasks: noTasks(), taskTimeMs: 0, records: 0, shuffleBytesWritten: 0, metrics: {},
    };
    bounded(this.stages, this.retention.stages).set(`${e.stageId}.${e.attempt}`, stage);
    this.latestStage.set(e.stageId, stage);
    if (this.latestStage.size > this.retention.stages) this.latestStage.delete(this.latestStage.keys().next().value as number);
    const job = this.jobs.get(e.jobId);
    if (job !== undefined) {
      if (!job.stageIds.includes(e.stageId)) job.stageIds.push(e.stageId);
      job.numTasks += e.numTasks;
      // Result stages come last; their name says what the job computes.
      if (e.kind === 'result' || job.stageIds.length === 1) job.name = e.name;
      this.onChange('jobs');
    }
    this.onChange('stages');
  }

  private taskStart(e: Extract<VoxelflowEvent, { type: 'taskStart' }>): void {
    const stage = this.latestStage.get(e.stageId);
    bounded(this.tasks, this.retention.tasks).set(e.taskId, {
      taskId: e.taskId, stageId: e.stageId, stageAttempt: stage?.attempt ?? 0, partition: e.partition, attempt: e.attempt,
      executorId: e.executorId, speculative: e.speculative, status: 'running', launched: e.time, durationMs: null, records: null, error: null,
    });
    for (const counts of this.countsOf(e.stageId, e.executorId)) counts.active++;
    this.touch('tasks', stage !== undefined, this.executors.has(e.executorId));
  }

  private taskEnd(e: Extract<VoxelflowEvent, { type: 'taskEnd' }>): void {
    const task = this.tasks.get(e.taskId);
    if (task !== undefined) {
      task.status = e.status;
      task.durationMs = e.durationMs;
      task.records = e.records ?? null;
      task.error = e.error ?? null;
    }
    const field = e.status === 'success' ? 'succeeded' : e.status === 'killed' ? 'killed' : 'failed';
    for (const counts of this.countsOf(e.stageId, e.executorId)) {
      counts.active = Math.max(0, counts.active - 1);
      counts[field]++;
    }
    const stage = this.latestStage.get(e.stageId);
    if (stage !== undefined) {
      stage.taskTimeMs += e.durationMs;
      stage.records += e.records ?? 0;
      stage.shuffleBytesWritten += e.shuffleBytesWritten ?? 0;
      for (const [k, v] of Object.entries(e.metrics ?? {})) stage.metrics[k] = (stage.metrics[k] ?? 0) + v;
    }
    const ex = this.executors.get(e.executorId);
    if (ex !== undefined) ex.taskTimeMs += e.durationMs;
    this.touch('tasks', stage !== undefined, ex !== undefined);
  }

  /** The task counters a task event moves: its stage's, its job's and its executor's. */
  private countsOf(stageId: number, executorId: string): TaskCounts[] {
    const out: TaskCounts[] = [];
    const stage = this.latestStage.get(stageId);
    if (stage !== undefined) {
      out.push(stage.tasks);
      const job = this.jobs.get(stage.jobId);
      if (job !== undefined) out.push(job.tasks);
    }
    const ex = this.executors.get(executorId);
    if (ex !== undefined) out.push(ex.tasks);
    return out;
  }

  private touch(topic: Topic, stages: boolean, executors: boolean): void {
    this.onChange(topic);
    if (stages) {
      this.onChange('stages');
      this.onChange('jobs');
    }
    if (executors) this.onChange('executors');
  }

  private evictRemovedExecutors(): void {
    const removed = [...this.executors.values()].filter((x) => x.status === 'removed');
    for (const x of removed.slice(0, Math.max(0, removed.length - this.retention.removedExecutors))) this.executors.delete(x.executorId);
  }
}

/** Makes room for one more entry by dropping the oldest ones (Maps iterate in insertion order). */
function bounded<K, V>(map: Map<K, V>, max: number): Map<K, V> {
  while (map.size >= max) map.delete(map.keys().next().value as K);
  return map;
}

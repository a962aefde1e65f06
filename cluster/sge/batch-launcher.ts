/**
 * What voxelflow needs from a batch scheduler to run workers: submit an array of N worker jobs, list
 * them, cancel them, and say why one waits. SGE implements it (sge-launcher.ts); Slurm would be one more
 * file of the same shape (`sbatch --array`, `squeue`, `scancel`, `--signal` for draining).
 */
import { VoxelflowError } from '../../core/index.js';
import type { JobOptions } from './job-options.js';
import type { JobTarget } from './job-script.js';

/** One worker job (an array task) as the scheduler reports it. */
export interface BatchJob {
  readonly id: string;
  /** Array task index, or null for a pending range reported as one line (`tasks` says how many). */
  readonly task: number | null;
  readonly tasks: number;
  /** What names these tasks to `cancel`: `id.task`, or `id.first-last` for a pending range. */
  readonly ref: string;
  readonly name: string;
  readonly state: 'pending' | 'running' | 'draining' | 'error';
  /** The scheduler's own state code (`qw`, `r`, `dr`, `Eqw`, ...). */
  readonly code: string;
}

/** A batch system that runs voxelflow workers. */
export interface BatchLauncher {
  /** `sge`, `slurm`: also the word users write (`--master sge`). */
  readonly kind: string;
  /** The job script, as it will be submitted. */
  script(target: JobTarget, options: JobOptions): string;
  /** Submits `count` workers as one array job; resolves to the job id. */
  submit(target: JobTarget, options: JobOptions, count: number): Promise<string>;
  /** Jobs of this user, optionally only those named `name`; finished jobs are not listed. */
  jobs(name?: string): Promise<BatchJob[]>;
  /** Cancels jobs: whole arrays (`id`), one task (`id.task`) or a range (`id.first-last`); unknown ones are not an error. */
  cancel(ids: readonly string[]): Promise<void>;
  /** Why a job waits, in the scheduler's words (may be empty when the scheduler keeps no reasons). */
  pendingReasons(id: string): Promise<string>;
}

declare module '../../core/errors.js' {
  interface VoxelflowErrorTags {
    /** `isVoxelflowError(err, 'BatchError')` narrows to BatchError. */
    BatchError: BatchError;
  }
}

/** A batch command failed; the message quotes the scheduler. */
export class BatchError extends VoxelflowError {
  override readonly _tag = 'BatchError';
}

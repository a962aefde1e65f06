/**
 * Which waiting task of a stage an executor takes next. Tasks wait in one queue, and (with several
 * executors) also under the executor that holds their input blocks, so that a free slot first takes a
 * task it can run on local data. As in Spark's excludeOnFailure, a failed task goes to another executor
 * when there is one, and an executor on which EXCLUDE_AFTER tasks of the stage failed gets no more of
 * them while another executor can take them.
 */
import type { Executor } from '../executor/executor.js';

/** Failed tasks of one stage attempt after which an executor is excluded from it. */
export const EXCLUDE_AFTER = 2;

/** A task waiting for a slot. `taken` marks one launched through the other queue. */
interface PendingTask {
  readonly partition: number;
  readonly speculative: boolean;
  taken: boolean;
}

export class TaskQueues {
  private readonly pending: PendingTask[] = [];
  private readonly local = new Map<string, PendingTask[]>();
  /** Executors each partition failed on, and failed tasks per executor (executor losses not counted). */
  private readonly failedOn = new Map<number, Set<string>>();
  private readonly executorFailures = new Map<string, number>();

  /** Queues a task; `preferred` names the executor holding its input blocks. Speculative copies jump the queue. */
  enqueue(partition: number, speculative: boolean, preferred: string | null): void {
    const t: PendingTask = { partition, speculative, taken: false };
    if (speculative) this.pending.unshift(t);
    else this.pending.push(t);
    if (speculative || preferred === null) return;
    let q = this.local.get(preferred);
    if (q === undefined) this.local.set(preferred, (q = []));
    q.push(t);
  }

  /**
   * The next task for `executor` among `executors` (the live ones), or null. `localOnly`: only tasks
   * whose blocks it holds. `isDone` drops finished partitions; `runsOn` tells where a partition runs.
   */
  take(executor: Executor, executors: readonly Executor[], localOnly: boolean, isDone: (p: number) => boolean, runsOn: (p: number, e: Executor) => boolean): { partition: number; speculative: boolean } | null {
    if (this.excluded(executor, executors)) return null;
    const queue = localOnly ? this.local.get(executor.id) : this.pending;
    if (queue === undefined) return null;
    for (let i = 0; i < queue.length; i++) {
      const t = queue[i] as PendingTask;
      if (t.taken || isDone(t.partition)) {
        queue.splice(i--, 1);
        continue;
      }
      if (this.failedOn.get(t.partition)?.has(executor.id) && this.hasOther(executor, executors, t.partition)) continue;
      // A speculative copy is only useful on another executor than the straggler's, when there is one.
      if (t.speculative && executors.length > 1 && runsOn(t.partition, executor)) continue;
      queue.splice(i, 1);
      t.taken = true;
      return { partition: t.partition, speculative: t.speculative };
    }
    return null;
  }

  /** A task failed on an executor (not because the executor was lost). */
  recordFailure(partition: number, executorId: string): void {
    let on = this.failedOn.get(partition);
    if (on === undefined) this.failedOn.set(partition, (on = new Set()));
    on.add(executorId);
    this.executorFailures.set(executorId, (this.executorFailures.get(executorId) ?? 0) + 1);
  }

  /** Waiting tasks for which `counts` holds. */
  waiting(counts: (partition: number) => boolean = () => true): number {
    let n = 0;
    for (const t of this.pending) if (!t.taken && counts(t.partition)) n++;
    return n;
  }

  /** Too many tasks of this stage failed on `executor`, and another executor can take them. */
  private excluded(executor: Executor, executors: readonly Executor[]): boolean {
    if ((this.executorFailures.get(executor.id) ?? 0) < EXCLUDE_AFTER) return false;
    return executors.some((e) => e !== executor && (this.executorFailures.get(e.id) ?? 0) < EXCLUDE_AFTER);
  }

  /** Another usable executor on which `partition` has not failed yet. */
  private hasOther(executor: Executor, executors: readonly Executor[], partition: number): boolean {
    const failed = this.failedOn.get(partition);
    return executors.some((e) => e !== executor && !failed?.has(e.id) && !this.excluded(e, executors));
  }
}

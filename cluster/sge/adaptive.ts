/**
 * Adaptive scaling of batch workers, as a pure decision taken at every check: grow the array while tasks
 * wait, shrink it when workers idle. Jobs still queued in the batch system count as requested workers
 * (they will start), so a slow scheduler does not make us submit again and again; cancelling a queued job
 * is preferred to retiring a running worker; a running worker is retired only after it has been idle for
 * `idleChecks` consecutive checks, and never below `minWorkers`.
 *
 * @example
 *   scale({ minWorkers: 1, maxWorkers: 8, coresPerWorker: 2, waitingTasks: 10, runningTasks: 2,
 *           queued: [], workers: [{ id: '5.1', idleChecks: 0 }], idleChecks: 3 });
 *   // { submit: 5, cancel: [], retire: [] }: 12 tasks on 2 cores each want 6 workers
 */

export interface ScaleInput {
  readonly minWorkers: number;
  readonly maxWorkers: number;
  readonly coresPerWorker: number;
  /** Tasks ready to run that have no slot. */
  readonly waitingTasks: number;
  /** Tasks running now. */
  readonly runningTasks: number;
  /** Queued (not started) jobs, each with how many workers it holds, newest last. */
  readonly queued: readonly { readonly ref: string; readonly workers: number }[];
  /** Started workers (not draining), with how many checks in a row each has been idle. */
  readonly workers: readonly { readonly id: string; readonly idleChecks: number }[];
  /** Idle checks in a row before a worker is retired. */
  readonly idleChecks: number;
}

export interface ScaleDecision {
  /** Workers to submit. */
  readonly submit: number;
  /** Queued jobs to cancel (refs). */
  readonly cancel: readonly string[];
  /** Running workers to retire (drain and leave). */
  readonly retire: readonly string[];
}

/** What to do now; see the module comment for the rules. */
export function scale(s: ScaleInput): ScaleDecision {
  const busy = s.waitingTasks + s.runningTasks;
  const wanted = Math.min(s.maxWorkers, Math.max(s.minWorkers, Math.ceil(busy / Math.max(1, s.coresPerWorker))));
  const queued = s.queued.reduce((n, q) => n + q.workers, 0);
  const requested = s.workers.length + queued;
  if (wanted > requested) return { submit: wanted - requested, cancel: [], retire: [] };
  if (wanted === requested) return { submit: 0, cancel: [], retire: [] };
  // Too many: drop queued jobs first, newest first and only whole ones that fit in the surplus.
  let surplus = requested - wanted;
  const cancel: string[] = [];
  for (let i = s.queued.length - 1; i >= 0 && surplus > 0; i--) {
    const q = s.queued[i]!;
    if (q.workers <= surplus) {
      cancel.push(q.ref);
      surplus -= q.workers;
    }
  }
  // Then workers idle long enough, the longest idle first, keeping at least minWorkers started or queued.
  const retire: string[] = [];
  const idle = [...s.workers].filter((w) => w.idleChecks >= s.idleChecks).sort((a, b) => b.idleChecks - a.idleChecks);
  let left = requested - cancel.reduce((n, ref) => n + (s.queued.find((q) => q.ref === ref)?.workers ?? 0), 0);
  for (const w of idle) {
    if (surplus === 0 || left <= s.minWorkers) break;
    retire.push(w.id);
    surplus--;
    left--;
  }
  return { submit: 0, cancel, retire };
}

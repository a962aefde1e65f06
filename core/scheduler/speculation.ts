/**
 * Which running tasks of a task set get a speculative copy: Spark's rule (TaskSetManager.
 * checkSpeculatableTasks). Once `quantile` of the set's tasks finished, a task running longer than
 * `multiplier` x the median duration of the finished ones (and at least `minMs`) is a straggler. Pure:
 * the task scheduler owns the state and the clock.
 */

/** The speculation settings of SchedulerOptions. */
export interface SpeculationRule {
  readonly speculationMultiplier: number;
  readonly speculationQuantile: number;
  readonly speculationMinMs: number;
}

/** A task set's progress as the rule sees it. */
export interface SpeculationView {
  readonly total: number;
  readonly done: number;
  /** Durations of the successful tasks, in ms. */
  readonly durations: readonly number[];
  /** Partitions that already got a copy. */
  readonly copied: ReadonlySet<number>;
}

/** A running attempt as the rule sees it. */
export interface RunningAttempt {
  readonly partition: number;
  readonly started: number;
  readonly speculative: boolean;
}

/** The partitions to copy now, in the order of `running` (each once). */
export function stragglers(view: SpeculationView, running: Iterable<RunningAttempt>, now: number, rule: SpeculationRule): number[] {
  if (view.durations.length === 0 || view.done < Math.floor(rule.speculationQuantile * view.total)) return [];
  const sorted = view.durations.slice().sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  const threshold = Math.max(rule.speculationMultiplier * median, rule.speculationMinMs);
  const out = new Set<number>();
  for (const r of running) {
    if (r.speculative || view.copied.has(r.partition) || now - r.started <= threshold) continue;
    out.add(r.partition);
  }
  return [...out];
}

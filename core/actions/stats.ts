/** `stats` and `sum` (and through stats: mean, variance, stdev and their sample forms). */
import { StatCounter, type StatCounterData } from '../stat-counter.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface StatsOp {
  readonly op: 'stats';
}

/** What the 'stats' op returns per partition: a StatCounter's data plus the exact running sum. */
export type PartitionStats = StatCounterData & { readonly sum: number };

/** The partition's count, mean, variance, min, max and exact sum. */
export function statsPartition(_op: StatsOp, rdd: RDD<unknown>, split: number, tc: TaskContext): PartitionStats {
  // The plain running sum rides along: count × mean is not exact, and sums of integers should be.
  const s = new StatCounter();
  let sum = 0;
  rdd.iterate(split, tc, (x) => {
    s.merge(x as number);
    sum += x as number;
  });
  return { ...s.toJSON(), sum } satisfies PartitionStats;
}

export async function stats(rdd: RDD<number>): Promise<StatCounter> {
  const parts = await rdd.context.runJob<PartitionStats>(rdd as RDD<unknown>, { op: 'stats' });
  const total = new StatCounter();
  for (const p of parts) total.mergeStats(StatCounter.fromJSON(p));
  return total;
}

/** The sum of the elements, added up exactly as a loop would (StatCounter's count × mean is not). */
export async function sum(rdd: RDD<number>): Promise<number> {
  const parts = await rdd.context.runJob<PartitionStats>(rdd as RDD<unknown>, { op: 'stats' });
  return parts.reduce((acc, p) => acc + p.sum, 0);
}

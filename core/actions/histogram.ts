/** `histogram`: bucket counts, PySpark's way. */
import { ConfigError } from '../errors.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';
import { stats } from './stats.js';

export interface HistogramOp {
  readonly op: 'histogram';
  readonly buckets: readonly number[];
}

/** The partition's count per bucket (the last bucket is closed on the right). */
export function histogramPartition(op: HistogramOp, rdd: RDD<unknown>, split: number, tc: TaskContext): number[] {
  const buckets = op.buckets;
  const counts = new Array<number>(buckets.length - 1).fill(0);
  const lo = buckets[0] as number;
  const hi = buckets[buckets.length - 1] as number;
  rdd.iterate(split, tc, (x) => {
    const v = x as number;
    if (!(v >= lo && v <= hi)) return;
    // first bucket whose upper edge is > v; the last bucket is closed on the right
    let a = 0;
    let b = buckets.length - 1;
    while (a < b) {
      const m = (a + b) >>> 1;
      if ((buckets[m + 1] as number) > v) b = m;
      else a = m + 1;
    }
    const i = Math.min(a, counts.length - 1);
    counts[i] = (counts[i] as number) + 1;
  });
  return counts;
}

/** PySpark's histogram: a bucket count (evenly spaced over [min, max]) or sorted bucket edges. */
export async function histogram(rdd: RDD<number>, buckets: number | readonly number[]): Promise<[number[], number[]]> {
  let edges: number[];
  if (typeof buckets === 'number') {
    if (!Number.isInteger(buckets) || buckets < 1) throw new ConfigError('buckets', `histogram: bucket count must be >= 1, got ${buckets}`);
    const s = await stats(rdd);
    if (s.count === 0) throw new Error('histogram: the RDD is empty, so bucket edges cannot be derived');
    if (!Number.isFinite(s.min) || !Number.isFinite(s.max)) throw new Error('histogram: values must be finite to derive bucket edges');
    edges = s.min === s.max ? [s.min, s.max] : Array.from({ length: buckets + 1 }, (_, i) => (i === buckets ? s.max : s.min + ((s.max - s.min) * i) / buckets));
  } else {
    edges = buckets.slice();
    if (edges.length < 2) throw new ConfigError('buckets', 'histogram: need at least two bucket edges');
    for (let i = 1; i < edges.length; i++) {
      if (!((edges[i] as number) > (edges[i - 1] as number))) throw new ConfigError('buckets', 'histogram: bucket edges must be sorted and distinct');
    }
  }
  const parts = await rdd.context.runJob<number[]>(rdd as RDD<unknown>, { op: 'histogram', buckets: edges });
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const p of parts) for (let i = 0; i < counts.length; i++) counts[i] = (counts[i] as number) + (p[i] as number);
  return [edges, counts];
}

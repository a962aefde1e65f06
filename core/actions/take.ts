/** `take`, `first` and `isEmpty`: the first elements, scanning as few partitions as they can. */
import { ConfigError } from '../errors.js';
import { StopIteration } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface TakeOp {
  readonly op: 'take';
  readonly n: number;
}

/** The partition's first `n` elements (the partition stops computing once it has them). */
export function takePartition(op: TakeOp, rdd: RDD<unknown>, split: number, tc: TaskContext): unknown[] {
  const out: unknown[] = [];
  if (op.n <= 0) return out;
  try {
    rdd.iterate(split, tc, (x) => {
      out.push(x);
      if (out.length >= op.n) throw StopIteration.instance;
    });
  } catch (err) {
    if (err !== StopIteration.instance) throw err;
  }
  return out;
}

/** Spark's take: scan one partition, then grow the number scanned by up to 4x until n records. */
export async function take<T>(rdd: RDD<T>, n: number): Promise<T[]> {
  if (!Number.isInteger(n) || n < 0) throw new ConfigError('n', `take: n must be a non-negative integer, got ${n}`);
  const out: T[] = [];
  const total = rdd.getNumPartitions();
  let scanned = 0;
  while (out.length < n && scanned < total) {
    let next = 1;
    if (scanned > 0) next = out.length === 0 ? scanned * 4 : Math.max(1, Math.min(scanned * 4, Math.ceil((1.5 * n * scanned) / out.length) - scanned));
    const partitions = range(scanned, Math.min(total, scanned + next));
    const parts = await rdd.context.runJob<T[]>(rdd as RDD<unknown>, { op: 'take', n: n - out.length }, { partitions });
    for (const p of parts) for (const x of p) if (out.length < n) out.push(x);
    scanned += partitions.length;
  }
  return out;
}

export async function first<T>(rdd: RDD<T>): Promise<T> {
  const xs = await take(rdd, 1);
  if (xs.length === 0) throw new Error('first: the RDD is empty');
  return xs[0] as T;
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}

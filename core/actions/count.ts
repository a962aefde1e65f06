/** `count`: the number of elements. */
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface CountOp {
  readonly op: 'count';
}

/** The partition's element count. */
export function countPartition(_op: CountOp, rdd: RDD<unknown>, split: number, tc: TaskContext): number {
  let n = 0;
  rdd.iterate(split, tc, () => void n++);
  return n;
}

export async function count(rdd: RDD<unknown>): Promise<number> {
  const parts = await rdd.context.runJob<number>(rdd, { op: 'count' });
  return parts.reduce((a, b) => a + b, 0);
}

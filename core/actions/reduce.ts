/** `reduce`: all elements combined with an associative, commutative function. */
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';
import type { UserFn } from '../user-fn.js';

type AnyFn = (...args: unknown[]) => unknown;

export interface ReduceOp {
  readonly op: 'reduce';
  readonly f: UserFn;
}

/** The partition reduced: `[value]`, or `[]` when it is empty. */
export function reducePartition(op: ReduceOp, rdd: RDD<unknown>, split: number, tc: TaskContext): unknown[] {
  const f = op.f.fn as AnyFn;
  const env = op.f.env;
  let has = false;
  let acc: unknown;
  rdd.iterate(split, tc, (x) => {
    if (has) acc = f(acc, x, env, tc);
    else {
      acc = x;
      has = true;
    }
  });
  return has ? [acc] : [];
}

export async function reduce<T>(rdd: RDD<T>, f: UserFn): Promise<T> {
  const parts = await rdd.context.runJob<T[]>(rdd as RDD<unknown>, { op: 'reduce', f });
  const fn = f.fn as AnyFn;
  let has = false;
  let acc: unknown;
  for (const p of parts) {
    if (p.length === 0) continue;
    acc = has ? fn(acc, p[0], f.env, null) : p[0];
    has = true;
  }
  if (!has) throw new Error('reduce: the RDD is empty (use fold with a zero value for empty RDDs)');
  return acc as T;
}

/** `fold`: as reduce, each partition (and the merge) starting from a copy of a zero value. */
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';
import type { UserFn } from '../user-fn.js';

type AnyFn = (...args: unknown[]) => unknown;

export interface FoldOp {
  readonly op: 'fold';
  readonly zero: unknown;
  readonly f: UserFn;
}

/** The partition folded into a copy of `zero`. */
export function foldPartition(op: FoldOp, rdd: RDD<unknown>, split: number, tc: TaskContext): unknown {
  const f = op.f.fn as AnyFn;
  const env = op.f.env;
  let acc = structuredClone(op.zero);
  rdd.iterate(split, tc, (x) => void (acc = f(acc, x, env, tc)));
  return acc;
}

export async function fold<T>(rdd: RDD<T>, zero: T, f: UserFn): Promise<T> {
  const parts = await rdd.context.runJob<T>(rdd as RDD<unknown>, { op: 'fold', zero, f });
  const fn = f.fn as AnyFn;
  return parts.reduce((acc, p) => fn(acc, p, f.env, null) as T, structuredClone(zero));
}

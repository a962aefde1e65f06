/** `takeOrdered`, `top`, `max` and `min`: the first elements in an order. */
import { compareKeys } from '../keys.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';
import type { UserFn } from '../user-fn.js';

type AnyFn = (...args: unknown[]) => unknown;

export interface TakeOrderedOp {
  readonly op: 'takeOrdered';
  readonly n: number;
  readonly compare: UserFn | null;
  readonly reverse: boolean;
}

/** Orders records by a user comparator, or by the structural key order. */
export function orderingOf(compare: UserFn | null, reverse: boolean, tc: TaskContext | null): (a: unknown, b: unknown) => number {
  const sign = reverse ? -1 : 1;
  if (compare === null) return (a, b) => sign * compareKeys(a, b);
  const f = compare.fn as AnyFn;
  const env = compare.env;
  return (a, b) => sign * (f(a, b, env, tc) as number);
}

/** The partition's first `n` elements in the order. */
export function takeOrderedPartition(op: TakeOrderedOp, rdd: RDD<unknown>, split: number, tc: TaskContext): unknown[] {
  const cmp = orderingOf(op.compare, op.reverse, tc);
  // Keep a sorted buffer of at most 2n, trimming to n: O(N log n) without a heap class.
  let buf: unknown[] = [];
  if (op.n <= 0) return buf;
  rdd.iterate(split, tc, (x) => {
    buf.push(x);
    if (buf.length >= 2 * op.n + 16) buf = buf.sort(cmp).slice(0, op.n);
  });
  return buf.sort(cmp).slice(0, op.n);
}

export async function takeOrdered<T>(rdd: RDD<T>, n: number, compare: UserFn | null, reverse: boolean): Promise<T[]> {
  const parts = await rdd.context.runJob<T[]>(rdd as RDD<unknown>, { op: 'takeOrdered', n, compare, reverse });
  return (parts.flat() as T[]).sort(orderingOf(compare, reverse, null)).slice(0, n);
}

export async function extreme<T>(rdd: RDD<T>, compare: UserFn | null, sign: 1 | -1): Promise<T> {
  const xs = await takeOrdered(rdd, 1, compare, sign === 1);
  if (xs.length === 0) throw new Error(`${sign === 1 ? 'max' : 'min'}: the RDD is empty`);
  return xs[0] as T;
}

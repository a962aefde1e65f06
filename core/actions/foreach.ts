/** `foreach` and `foreachPartition`: a function run on the executors for its side effects. */
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';
import type { UserFn } from '../user-fn.js';

type AnyFn = (...args: unknown[]) => unknown;

export interface ForeachOp {
  readonly op: 'foreach';
  readonly f: UserFn;
}

export interface ForeachPartitionOp {
  readonly op: 'foreachPartition';
  readonly f: UserFn;
}

/** Runs `f` on each element of the partition. */
export function foreachRun(op: ForeachOp, rdd: RDD<unknown>, split: number, tc: TaskContext): null {
  const f = op.f.fn as AnyFn;
  const env = op.f.env;
  rdd.iterate(split, tc, (x) => void f(x, env, tc));
  return null;
}

/** Runs `f` once on the partition's iterator. */
export function foreachPartitionRun(op: ForeachPartitionOp, rdd: RDD<unknown>, split: number, tc: TaskContext): null {
  const items: unknown[] = [];
  rdd.iterate(split, tc, (x) => void items.push(x));
  (op.f.fn as AnyFn)(items[Symbol.iterator](), op.f.env, tc);
  return null;
}

export async function foreach(rdd: RDD<unknown>, f: UserFn): Promise<void> {
  await rdd.context.runJob(rdd, { op: 'foreach', f });
}

export async function foreachPartition(rdd: RDD<unknown>, f: UserFn): Promise<void> {
  await rdd.context.runJob(rdd, { op: 'foreachPartition', f });
}

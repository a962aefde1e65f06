/** `aggregate` and `treeAggregate`: each partition folded with `seqOp`, the partials merged with `combOp`. */
import { ConfigError } from '../errors.js';
import type { RDD } from '../rdd.js';
import type { UserFn } from '../user-fn.js';

type AnyFn = (...args: unknown[]) => unknown;

export async function aggregate<T, U>(rdd: RDD<T>, zero: U, seqOp: UserFn, combOp: UserFn): Promise<U> {
  // Each partition is a fold into a copy of `zero` with seqOp (fold.ts's partition half); combOp merges them here.
  const parts = await rdd.context.runJob<U>(rdd as RDD<unknown>, { op: 'fold', zero, f: seqOp });
  const fn = combOp.fn as AnyFn;
  return parts.reduce((acc, p) => fn(acc, p, combOp.env, null) as U, structuredClone(zero));
}

/**
 * treeAggregate: partial aggregates are combined in `depth - 1` rounds on the executors before the
 * driver merges the last few, so the driver never receives thousands of large aggregates at once.
 */
export async function treeAggregate<T, U>(rdd: RDD<T>, zero: U, seqOp: UserFn, combOp: UserFn, depth: number): Promise<U> {
  if (!Number.isInteger(depth) || depth < 1) throw new ConfigError('depth', `treeAggregate: depth must be >= 1, got ${depth}`);
  let n = rdd.getNumPartitions();
  if (n === 0) return structuredClone(zero);
  type Env = { zero: unknown; seq: AnyFn; env: unknown };
  let partial: RDD<unknown> = (rdd as RDD<unknown>).mapPartitions<unknown, Env>(
    (it, e, tc) => {
      let acc = structuredClone(e.zero);
      for (const x of it) acc = e.seq(acc, x, e.env, tc);
      return [acc];
    },
    { zero, seq: seqOp.fn as AnyFn, env: seqOp.env },
  );
  const scale = Math.max(Math.ceil(n ** (1 / depth)), 2);
  while (n > scale + Math.ceil(n / scale)) {
    n = Math.ceil(n / scale);
    partial = partial
      .mapPartitionsWithIndex((i, it, e) => Array.from(it, (x) => [i % e.n, x] as [number, unknown]), { n })
      .foldByKey<number, unknown, { comb: AnyFn; env: unknown }>(zero, (a, b, e, tc) => e.comb(a, b, e.env, tc), {
        numPartitions: n,
        env: { comb: combOp.fn as AnyFn, env: combOp.env },
      })
      .values();
  }
  const identity: UserFn = { fn: ((acc: unknown, x: unknown, e: { comb: AnyFn; env: unknown }, tc: unknown) => e.comb(acc, x, e.env, tc)) as UserFn['fn'], env: { comb: combOp.fn, env: combOp.env } };
  return aggregate(partial, zero, identity, combOp) as Promise<U>;
}

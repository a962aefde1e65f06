/** `lookup`: the values of one key. */
import { keysEqual } from '../keys.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';
import { lineage } from '../scheduler/stage-planner.js';

export interface LookupOp {
  readonly op: 'lookup';
  readonly key: unknown;
}

/** The partition's values of `key`. */
export function lookupPartition(op: LookupOp, rdd: RDD<unknown>, split: number, tc: TaskContext): unknown[] {
  const out: unknown[] = [];
  rdd.iterate(split, tc, (kv) => {
    const pair = kv as [unknown, unknown];
    if (keysEqual(pair[0], op.key)) out.push(pair[1]);
  });
  return out;
}

/**
 * Values for `key`; with a known partitioner only the one partition that can hold it is read. The
 * lineage is prepared first, so a sortByKey's range bounds are sampled before they are consulted.
 */
export async function lookup<K, V>(rdd: RDD<[K, V]>, key: K): Promise<V[]> {
  for (const r of lineage(rdd as RDD<unknown>)) await r.node.prepare?.();
  const part = rdd.partitioner;
  const options = part === null ? {} : { partitions: [part.getPartition(key)] };
  const parts = await rdd.context.runJob<V[]>(rdd as RDD<unknown>, { op: 'lookup', key }, options);
  return parts.flat() as V[];
}

/** `collect` and `collectAsMap`: every element on the driver, in partition order. */
import { KeyMap } from '../key-map.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface CollectOp {
  readonly op: 'collect';
}

/** The partition's elements. */
export function collectPartition(_op: CollectOp, rdd: RDD<unknown>, split: number, tc: TaskContext): unknown[] {
  const out: unknown[] = [];
  rdd.iterate(split, tc, (x) => void out.push(x));
  return out;
}

export async function collect<T>(rdd: RDD<T>): Promise<T[]> {
  const parts = await rdd.context.runJob<T[]>(rdd as RDD<unknown>, { op: 'collect' });
  return parts.flat() as T[];
}

export async function collectAsMap<K, V>(rdd: RDD<[K, V]>): Promise<Map<K, V>> {
  const pairs = await collect(rdd);
  const m = new KeyMap<K, V>();
  for (const [k, v] of pairs) m.set(k, v);
  return toMap(m);
}

/** A KeyMap (structural keys) as the Map the API returns. */
export function toMap<K, V>(m: KeyMap<K, V>): Map<K, V> {
  const out = new Map<K, V>();
  m.forEach((v, k) => out.set(k, v));
  return out;
}

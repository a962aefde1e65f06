/** `countByValue`: how many times each distinct element occurs (countByKey counts keys with it). */
import { KeyMap } from '../key-map.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';
import { toMap } from './collect.js';

export interface CountByValueOp {
  readonly op: 'countByValue';
}

/** The partition's counts, flattened `[value, count, value, count, ...]`. */
export function countByValuePartition(_op: CountByValueOp, rdd: RDD<unknown>, split: number, tc: TaskContext): unknown[] {
  const counts = new KeyMap<unknown, number>();
  rdd.iterate(split, tc, (x) => void counts.set(x, (counts.get(x) ?? 0) + 1));
  const flat: unknown[] = [];
  counts.forEach((c, k) => void flat.push(k, c));
  return flat;
}

export async function countByValue<T>(rdd: RDD<T>): Promise<Map<T, number>> {
  const parts = await rdd.context.runJob<unknown[]>(rdd as RDD<unknown>, { op: 'countByValue' });
  const merged = new KeyMap<T, number>();
  for (const flat of parts) {
    for (let i = 0; i < flat.length; i += 2) merged.set(flat[i] as T, (merged.get(flat[i] as T) ?? 0) + (flat[i + 1] as number));
  }
  return toMap(merged);
}

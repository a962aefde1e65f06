/** The keys a range partitioner samples to choose its bounds (sortByKey): a reservoir per partition. */
import { makeRng } from '../sampling.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface SampleKeysOp {
  readonly op: 'sampleKeys';
  readonly size: number;
  readonly seed: number;
}

/** Up to `size` keys of the partition, uniformly sampled. */
export function sampleKeysPartition(op: SampleKeysOp, rdd: RDD<unknown>, split: number, tc: TaskContext): unknown[] {
  const { size, seed } = op;
  const rng = makeRng(seed * 31 + split);
  const sample: unknown[] = [];
  let seen = 0;
  rdd.iterate(split, tc, (kv) => {
    const key = (kv as [unknown, unknown])[0];
    if (sample.length < size) sample.push(key);
    else {
      const j = Math.floor(rng() * (seen + 1));
      if (j < size) sample[j] = key;
    }
    seen++;
  });
  return sample;
}

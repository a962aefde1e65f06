/**
 * The map side of a shuffle: routes each record of a partition to its reduce bucket, combining
 * values per key first when the shuffle has an aggregator and map-side combine is on. Buckets are
 * encoded as flat `[k0, v0, k1, v1, ...]` arrays, concatenated into one SharedArrayBuffer.
 */
import { encode } from '../codec.js';
import { KeyMap } from '../key-map.js';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';
import type { ShuffleWrite } from './executor.js';

type AnyFn = (...args: unknown[]) => unknown;

export interface ShuffleOutput {
  readonly bytes: Uint8Array;
  readonly offsets: number[];
  readonly records: number;
}

export function writeShuffle(rdd: RDD<unknown>, split: number, tc: TaskContext, spec: ShuffleWrite): ShuffleOutput {
  const n = spec.partitioner.numPartitions;
  const part = spec.partitioner;
  const flats: unknown[][] = Array.from({ length: n }, () => []);
  let records = 0;
  const agg = spec.aggregator;
  if (agg !== null && spec.mapSideCombine) {
    const maps = Array.from({ length: n }, () => new KeyMap<unknown, unknown>());
    const create = (agg.createCombiner?.fn ?? null) as AnyFn | null;
    const createEnv = agg.createCombiner?.env;
    const merge = agg.mergeValue.fn as AnyFn;
    const mergeEnv = agg.mergeValue.env;
    rdd.iterate(split, tc, (kv) => {
      const pair = kv as [unknown, unknown];
      const k = pair[0];
      const m = maps[n === 1 ? 0 : part.getPartition(k)] as KeyMap<unknown, unknown>;
      const c = m.get(k);
      if (c === undefined && !m.has(k)) m.set(k, create === null ? pair[1] : create(pair[1], createEnv, tc));
      else m.set(k, merge(c, pair[1], mergeEnv, tc));
      records++;
    });
    for (let b = 0; b < n; b++) {
      const flat = flats[b] as unknown[];
      (maps[b] as KeyMap<unknown, unknown>).forEach((c, k) => void flat.push(k, c));
    }
  } else {
    rdd.iterate(split, tc, (kv) => {
      const pair = kv as [unknown, unknown];
      (flats[n === 1 ? 0 : part.getPartition(pair[0])] as unknown[]).push(pair[0], pair[1]);
      records++;
    });
  }
  const encoded = flats.map((f) => encode(f));
  const offsets = [0];
  let total = 0;
  for (const e of encoded) offsets.push((total += e.length));
  const bytes = new Uint8Array(new SharedArrayBuffer(total));
  for (let b = 0; b < n; b++) bytes.set(encoded[b] as Uint8Array, offsets[b] as number);
  return { bytes, offsets, records };
}

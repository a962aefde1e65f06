/**
 * The per-partition half of each action: a named, serializable operation that runs inside the task
 * and returns a small result to the driver (actions.ts merges them).
 */
import { writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeCheckpointPartition } from './nodes/checkpoint.js';
import { compareKeys, keysEqual } from './keys.js';
import { KeyMap } from './key-map.js';
import { StopIteration } from './rdd-node.js';
import type { RDD } from './rdd.js';
import { makeRng } from './sampling.js';
import { StatCounter, type StatCounterData } from './stat-counter.js';
import type { TaskContext } from './task-context.js';
import type { UserFn } from './user-fn.js';

export type ResultOp =
  | { readonly op: 'collect' }
  | { readonly op: 'count' }
  | { readonly op: 'take'; readonly n: number }
  | { readonly op: 'fold'; readonly zero: unknown; readonly f: UserFn }
  | { readonly op: 'reduce'; readonly f: UserFn }
  | { readonly op: 'aggregate'; readonly zero: unknown; readonly seqOp: UserFn }
  | { readonly op: 'foreach'; readonly f: UserFn }
  | { readonly op: 'foreachPartition'; readonly f: UserFn }
  | { readonly op: 'takeOrdered'; readonly n: number; readonly compare: UserFn | null; readonly reverse: boolean }
  | { readonly op: 'stats' }
  | { readonly op: 'countByValue' }
  | { readonly op: 'lookup'; readonly key: unknown }
  | { readonly op: 'histogram'; readonly buckets: readonly number[] }
  | { readonly op: 'sampleKeys'; readonly size: number; readonly seed: number }
  | { readonly op: 'saveText'; readonly dir: string }
  | { readonly op: 'writeCheckpoint'; readonly dir: string };

type AnyFn = (...args: unknown[]) => unknown;

/** What the 'stats' op returns per partition: a StatCounter's data plus the exact running sum. */
export type PartitionStats = StatCounterData & { readonly sum: number };

/** Runs `op` over partition `split` of `rdd`. */
export function runResultOp(op: ResultOp, rdd: RDD<unknown>, split: number, tc: TaskContext): unknown {
  switch (op.op) {
    case 'collect': {
      const out: unknown[] = [];
      rdd.iterate(split, tc, (x) => void out.push(x));
      return out;
    }
    case 'count': {
      let n = 0;
      rdd.iterate(split, tc, () => void n++);
      return n;
    }
    case 'take': {
      const out: unknown[] = [];
      if (op.n <= 0) return out;
      try {
        rdd.iterate(split, tc, (x) => {
          out.push(x);
          if (out.length >= op.n) throw StopIteration.instance;
        });
      } catch (err) {
        if (err !== StopIteration.instance) throw err;
      }
      return out;
    }
    case 'fold': {
      const f = op.f.fn as AnyFn;
      const env = op.f.env;
      let acc = structuredClone(op.zero);
      rdd.iterate(split, tc, (x) => void (acc = f(acc, x, env, tc)));
      return acc;
    }
    case 'reduce': {
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
    case 'aggregate': {
      const f = op.seqOp.fn as AnyFn;
      const env = op.seqOp.env;
      let acc = structuredClone(op.zero);
      rdd.iterate(split, tc, (x) => void (acc = f(acc, x, env, tc)));
      return acc;
    }
    case 'foreach': {
      const f = op.f.fn as AnyFn;
      const env = op.f.env;
      rdd.iterate(split, tc, (x) => void f(x, env, tc));
      return null;
    }
    case 'foreachPartition': {
      const items: unknown[] = [];
      rdd.iterate(split, tc, (x) => void items.push(x));
      (op.f.fn as AnyFn)(items[Symbol.iterator](), op.f.env, tc);
      return null;
    }
    case 'takeOrdered':
      return takeOrderedPartition(op, rdd, split, tc);
    case 'stats': {
      // The plain running sum rides along: count × mean is not exact, and sums of integers should be.
      const s = new StatCounter();
      let sum = 0;
      rdd.iterate(split, tc, (x) => {
        s.merge(x as number);
        sum += x as number;
      });
      return { ...s.toJSON(), sum } satisfies PartitionStats;
    }
    case 'countByValue': {
      const counts = new KeyMap<unknown, number>();
      rdd.iterate(split, tc, (x) => void counts.set(x, (counts.get(x) ?? 0) + 1));
      const flat: unknown[] = [];
      counts.forEach((c, k) => void flat.push(k, c));
      return flat;
    }
    case 'lookup': {
      const out: unknown[] = [];
      rdd.iterate(split, tc, (kv) => {
        const pair = kv as [unknown, unknown];
        if (keysEqual(pair[0], op.key)) out.push(pair[1]);
      });
      return out;
    }
    case 'histogram':
      return histogramPartition(op.buckets, rdd, split, tc);
    case 'sampleKeys':
      return reservoirKeys(rdd, split, tc, op.size, op.seed);
    case 'saveText':
      return saveTextPartition(op.dir, rdd, split, tc);
    case 'writeCheckpoint': {
      const records: unknown[] = [];
      rdd.iterate(split, tc, (x) => void records.push(x));
      writeCheckpointPartition(op.dir, split, records);
      return records.length;
    }
  }
}

/** Orders records by a user comparator, or by the structural key order. */
export function orderingOf(compare: UserFn | null, reverse: boolean, tc: TaskContext | null): (a: unknown, b: unknown) => number {
  const sign = reverse ? -1 : 1;
  if (compare === null) return (a, b) => sign * compareKeys(a, b);
  const f = compare.fn as AnyFn;
  const env = compare.env;
  return (a, b) => sign * (f(a, b, env, tc) as number);
}

function takeOrderedPartition(op: Extract<ResultOp, { op: 'takeOrdered' }>, rdd: RDD<unknown>, split: number, tc: TaskContext): unknown[] {
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

function histogramPartition(buckets: readonly number[], rdd: RDD<unknown>, split: number, tc: TaskContext): number[] {
  const counts = new Array<number>(buckets.length - 1).fill(0);
  const lo = buckets[0] as number;
  const hi = buckets[buckets.length - 1] as number;
  rdd.iterate(split, tc, (x) => {
    const v = x as number;
    if (!(v >= lo && v <= hi)) return;
    // first bucket whose upper edge is > v; the last bucket is closed on the right
    let a = 0;
    let b = buckets.length - 1;
    while (a < b) {
      const m = (a + b) >>> 1;
      if ((buckets[m + 1] as number) > v) b = m;
      else a = m + 1;
    }
    const i = Math.min(a, counts.length - 1);
    counts[i] = (counts[i] as number) + 1;
  });
  return counts;
}

function reservoirKeys(rdd: RDD<unknown>, split: number, tc: TaskContext, size: number, seed: number): unknown[] {
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

function saveTextPartition(dir: string, rdd: RDD<unknown>, split: number, tc: TaskContext): number {
  const lines: string[] = [];
  rdd.iterate(split, tc, (x) => void lines.push(typeof x === 'string' ? x : JSON.stringify(x)));
  mkdirSync(dir, { recursive: true });
  const name = `part-${String(split).padStart(5, '0')}`;
  const tmp = join(dir, `.${name}.attempt-${tc.taskAttemptId}`);
  writeFileSync(tmp, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  renameSync(tmp, join(dir, name));
  return lines.length;
}

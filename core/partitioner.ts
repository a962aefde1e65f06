/**
 * Partitioners decide which reduce partition a key goes to. They are data (a spec) so that the
 * worker that writes a shuffle uses exactly the driver's decision.
 */
import { ConfigError } from './errors.js';
import { compareKeys, hashKey, keysEqual } from './keys.js';

/** Serializable description of a partitioner. */
export type PartitionerSpec =
  | {
      /** A HashPartitioner. */
      readonly kind: 'hash';
      /** Partitions keys are spread over. */
      readonly numPartitions: number;
    }
  | {
      /** A RangePartitioner. */
      readonly kind: 'range';
      /** Partitions keys are spread over. */
      readonly numPartitions: number;
      /** Inclusive upper bounds of every partition but the last, sorted. */
      readonly bounds: readonly unknown[];
      /** False: partition 0 holds the largest keys. */
      readonly ascending: boolean;
    };

/** Maps keys to partitions. */
export interface Partitioner {
  /** Partitions keys are spread over. */
  readonly numPartitions: number;
  /** Its serializable description, what workers rebuild it from. */
  readonly spec: PartitionerSpec;
  /** The partition of `key`, in [0, numPartitions). */
  getPartition(key: unknown): number;
}

/** Spark's HashPartitioner: structural hash modulo the partition count. */
export class HashPartitioner implements Partitioner {
  /** `{ kind: 'hash', numPartitions }`. */
  readonly spec: PartitionerSpec;
  constructor(
    /** Partitions keys are spread over (a positive integer). */
    readonly numPartitions: number,
  ) {
    if (!Number.isInteger(numPartitions) || numPartitions < 1) {
      throw new ConfigError('numPartitions', `numPartitions must be a positive integer, got ${numPartitions}`);
    }
    this.spec = { kind: 'hash', numPartitions };
  }
  /** The key's structural hash modulo numPartitions. */
  getPartition(key: unknown): number {
    return this.numPartitions === 1 ? 0 : hashKey(key) % this.numPartitions;
  }
}

/**
 * Spark's RangePartitioner: `bounds` are the upper bounds (inclusive) of all partitions but the last,
 * chosen from a sample so partitions hold about the same number of keys.
 */
export class RangePartitioner implements Partitioner {
  /** `{ kind: 'range', numPartitions, bounds, ascending }`. */
  readonly spec: PartitionerSpec;
  constructor(
    /** Partitions keys are spread over. */
    readonly numPartitions: number,
    /** Inclusive upper bounds of every partition but the last, sorted (at most numPartitions - 1). */
    readonly bounds: readonly unknown[],
    /** False: partition 0 holds the largest keys. */
    readonly ascending: boolean,
  ) {
    if (bounds.length > numPartitions - 1) throw new ConfigError('bounds', `a range partitioner over ${numPartitions} partitions takes at most ${numPartitions - 1} bounds`);
    this.spec = { kind: 'range', numPartitions, bounds, ascending };
  }
  /** The first partition whose bound is >= key (binary search), counted from the end when descending. */
  getPartition(key: unknown): number {
    const bounds = this.bounds;
    let lo = 0;
    let hi = bounds.length;
    // first bound >= key
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(bounds[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return this.ascending ? lo : bounds.length - lo;
  }

  /** Picks `partitions - 1` bounds from sampled keys (each sample weighted equally). */
  static boundsFromSample(sample: unknown[], partitions: number): unknown[] {
    if (partitions <= 1 || sample.length === 0) return [];
    const sorted = sample.slice().sort(compareKeys);
    const bounds: unknown[] = [];
    const step = sorted.length / partitions;
    for (let i = 1; i < partitions; i++) {
      const candidate = sorted[Math.min(sorted.length - 1, Math.floor(i * step))];
      const last = bounds[bounds.length - 1];
      if (bounds.length === 0 || compareKeys(candidate, last) > 0) bounds.push(candidate);
    }
    return bounds;
  }
}

/** Rebuilds a partitioner from its spec. */
export function partitionerFromSpec(spec: PartitionerSpec): Partitioner {
  return spec.kind === 'hash' ? new HashPartitioner(spec.numPartitions) : new RangePartitioner(spec.numPartitions, spec.bounds, spec.ascending);
}

/** Two partitioners place every key identically. */
export function samePartitioner(a: Partitioner | null, b: Partitioner | null): boolean {
  if (a === null || b === null) return false;
  if (a.spec.kind === 'hash' && b.spec.kind === 'hash') return a.numPartitions === b.numPartitions;
  if (a.spec.kind === 'range' && b.spec.kind === 'range') {
    return a.numPartitions === b.numPartitions && a.spec.ascending === b.spec.ascending && keysEqual(a.spec.bounds, b.spec.bounds);
  }
  return false;
}

/**
 * Parsing of the shuffle options shared by RDD's wide transformations and the pair operations
 * (pair-rdd-functions.ts): a partition count, or `{ numPartitions, partitioner, env }`.
 */
import { ConfigError } from './errors.js';
import type { ShuffleOptions } from './rdd.js';

/** Validates a partition count option. */
export function checkPartitions(n: number, option: string): number {
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(option, `${option} must be a positive integer, got ${String(n)}`);
  return n;
}

/** Shuffle options without the env (which belongs to the functions that were given it). */
export function shuffleOpts<E>(opts: number | ShuffleOptions<E> | undefined): ShuffleOptions<undefined> {
  if (typeof opts === 'number') return { numPartitions: opts };
  if (opts === undefined) return {};
  const { env: _env, ...rest } = opts;
  return rest;
}

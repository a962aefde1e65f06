/**
 * What a RunTask call carries besides the stage's work, and how block names are written. Encoded
 * with core's msgpack codec; block refs inside `inputs` are plain data (remote refs name the worker).
 */
import type { TaskDescription } from '../core/executor/spi.js';

/**
 * The per-task part of a RunTask request: the task's description without its stage work (sent once per
 * worker), plus the shuffle a map task writes (its output is kept as `shuffle_<id>_<partition>`), else
 * null. In `inputs`, a broadcast this worker was already sent comes with empty bytes (each broadcast
 * crosses the network once per worker); one missing from the list was destroyed.
 */
export type WireTask = Omit<TaskDescription, 'work'> & { readonly shuffleId: number | null };

/** A parsed block name: Spark's `shuffle_S_M_R` (bucket R of map M) or `rdd_R_P`. */
export type BlockName =
  | { readonly kind: 'shuffle'; readonly shuffleId: number; readonly mapIndex: number; readonly reduceId: number }
  | { readonly kind: 'rdd'; readonly rddId: number; readonly split: number };

/** Parses a block name; null for anything else (a malformed request). */
export function parseBlockName(blockId: string): BlockName | null {
  let m = /^shuffle_(\d{1,9})_(\d{1,9})_(\d{1,9})$/.exec(blockId);
  if (m !== null) return { kind: 'shuffle', shuffleId: Number(m[1]), mapIndex: Number(m[2]), reduceId: Number(m[3]) };
  m = /^rdd_(\d{1,9})_(\d{1,9})$/.exec(blockId);
  if (m !== null) return { kind: 'rdd', rddId: Number(m[1]), split: Number(m[2]) };
  return null;
}

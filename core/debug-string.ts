/**
 * Spark's `toDebugString` layout, rule for rule (RDD.scala): the root line starts with its partition
 * count; an RDD behind a shuffle dependency opens a new stage with `+-(n)` and its children are
 * indented by three more columns; an RDD behind a narrow dependency continues its stage on a `|  `
 * line without a partition count. Lines read `op[id] detail`, plus the name and storage when set.
 *
 *   (3) shuffled[17] shuffle 5 (hash 3, combine)
 *    +-(3) mapPartitions[16] map
 *       |  parallelize[0] parallelize (9 items)
 */
import type { RDD } from './rdd.js';

export function debugString(root: RDD<unknown>): string {
  return firstLines(root).join('\n');
}

/** `op[id] "name" detail [storage]`: one RDD without its lineage. */
function describe(rdd: RDD<unknown>): string {
  const detail = rdd.node.describe?.() ?? '';
  const name = rdd.name ? ` "${rdd.name}"` : '';
  const storage = rdd.storageLevel !== 'NONE' ? ` [${rdd.storageLevel}]` : '';
  const ckpt = rdd.checkpointState === 'marked' ? ' [checkpoint pending]' : '';
  return `${rdd.node.op}[${rdd.id}]${name}${detail ? ` ${detail}` : ''}${storage}${ckpt}`;
}

/** The prefix under a `(n)` head: a bar below the middle of the count, e.g. ` |  ` for `(3)`. */
function barUnder(partitions: string): string {
  const left = (partitions.length - 1) >> 1;
  return `${' '.repeat(left)}|${' '.repeat(partitions.length - left)}`;
}

function firstLines(rdd: RDD<unknown>): string[] {
  const partitions = `(${rdd.getNumPartitions()})`;
  return [`${partitions} ${describe(rdd)}`, ...childLines(rdd, barUnder(partitions))];
}

/** The last dependency is drawn as the last child: no bar continues below it. */
function childLines(rdd: RDD<unknown>, prefix: string): string[] {
  const deps = rdd.dependencies;
  return deps.flatMap((dep, i) => lines(dep.rdd, prefix, dep.kind === 'shuffle', i === deps.length - 1));
}

function lines(rdd: RDD<unknown>, prefix: string, isShuffle: boolean, isLastChild: boolean): string[] {
  if (!isShuffle) return [`${prefix}${describe(rdd)}`, ...childLines(rdd, prefix)];
  const partitions = `(${rdd.getNumPartitions()})`;
  // Spark strips the parent's trailing bar (`prefix.replaceAll("\\|\\s+$", "")`) to draw `+-` there.
  const own = prefix.replace(/\|\s+$/, '');
  const next = `${own}${isLastChild ? '  ' : '| '}${barUnder(partitions)}`;
  return [`${own}+-${partitions} ${describe(rdd)}`, ...childLines(rdd, next)];
}

/**
 * toDebugString follows Spark's layout exactly: `(n)` on the root, `+-(n)` where a shuffle starts a
 * new stage (indented by three more columns), `|  ` for RDDs that continue a stage. Each test uses a
 * fresh context so RDD and shuffle ids start at 0.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';

import { Context } from '../../core/index.js';

let ctx: Context;
beforeEach(async () => {
  ctx = await Context.create({ master: 'local' });
});
afterEach(async () => {
  await ctx.stop();
});

const nine = [1, 2, 3, 4, 5, 6, 7, 8, 9];

it('a narrow chain is one stage: a (n) head, then |  lines without counts', () => {
  const rdd = ctx
    .parallelize(nine, 3)
    .map((x) => x + 1)
    .filter((x) => x > 2);
  expect(rdd.toDebugString()).toBe(['(3) mapPartitions[2] filter', ' |  mapPartitions[1] map', ' |  parallelize[0] parallelize (9 items)'].join('\n'));
});

it('a shuffle opens a stage with +-(n) and indents its lineage by three columns', () => {
  const rdd = ctx
    .parallelize(nine, 3)
    .map((x) => [x % 2, x] as [number, number])
    .reduceByKey((a, b) => a + b);
  expect(rdd.toDebugString()).toBe(
    [
      '(3) shuffled[2] shuffle 0 (hash 3, combine)',
      ' +-(3) mapPartitions[1] map',
      '    |  parallelize[0] parallelize (9 items)',
    ].join('\n'),
  );
});

it('each further shuffle indents three more columns', () => {
  const rdd = ctx
    .parallelize(nine, 3)
    .map((x) => [x % 2, x] as [number, number])
    .reduceByKey((a, b) => a + b)
    .mapValues((v) => v * 2)
    .sortByKey(true, 2);
  expect(rdd.explain()).toBe(
    [
      '(2) shuffled[4] shuffle 1 (range 2, sort asc)',
      ' +-(3) mapPartitions[3] mapValues',
      '    |  shuffled[2] shuffle 0 (hash 3, combine)',
      '    +-(3) mapPartitions[1] map',
      '       |  parallelize[0] parallelize (9 items)',
    ].join('\n'),
  );
});

it('the bar sits under the middle of a wider partition count', () => {
  const rdd = ctx
    .parallelize(nine, 12)
    .map((x) => [x, x] as [number, number])
    .groupByKey();
  expect(rdd.toDebugString()).toBe(
    [
      '(12) shuffled[2] shuffle 0 (hash 12, combine)',
      ' +-(12) mapPartitions[1] map',
      '    |   parallelize[0] parallelize (9 items)',
    ].join('\n'),
  );
});

it('every parent of a union is listed on the union’s stage, each shuffle under its own +-', () => {
  const a = ctx.parallelize([[1, 1]] as [number, number][], 2).reduceByKey((x, y) => x + y);
  const b = ctx.parallelize([[2, 2]] as [number, number][], 2).reduceByKey((x, y) => x + y);
  expect(a.union(b).toDebugString()).toBe(
    [
      '(4) union[4]',
      ' |  shuffled[1] shuffle 0 (hash 2, combine)',
      ' +-(2) parallelize[0] parallelize (1 items)',
      ' |  shuffled[3] shuffle 1 (hash 2, combine)',
      ' +-(2) parallelize[2] parallelize (1 items)',
    ].join('\n'),
  );
});

it('names and storage levels appear on the RDD’s own line', () => {
  const rdd = ctx
    .parallelize(nine, 2)
    .map((x) => x)
    .setName('points')
    .persist('MEMORY_AND_DISK');
  expect(rdd.toDebugString()).toBe(['(2) mapPartitions[1] "points" map [MEMORY_AND_DISK]', ' |  parallelize[0] parallelize (9 items)'].join('\n'));
});

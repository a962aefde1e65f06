/**
 * Repartitioning (coalesce, repartition) and persistence (cache, persist, unpersist, checkpoint,
 * localCheckpoint) against plain-array models on 1..8 partitions and on `local` and `local[2]`.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

import { Context, type StorageLevel } from '../../core/index.js';
import { check, expectSameMultiset, forMasters, ints, parts } from '../helpers/model.js';

const checkpointRoot = mkdtempSync(join(tmpdir(), 'voxelflow-ckpt-'));
afterAll(() => rmSync(checkpointRoot, { recursive: true, force: true }));

forMasters(
  (ctx) => {
    // ---- repartitioning --------------------------------------------------------------------

    it('repartition keeps the elements and sets the partition count', () =>
      check(
        fc.asyncProperty(ints, parts, parts, async (xs, n, m) => {
          const r = ctx().parallelize(xs, n).repartition(m);
          expect(r.getNumPartitions()).toBe(m);
          expectSameMultiset(await r.collect(), xs);
        }),
      ));

    it('coalesce without shuffle merges neighbouring partitions, keeping order', () =>
      check(
        fc.asyncProperty(ints, parts, parts, async (xs, n, m) => {
          const r = ctx().parallelize(xs, n).coalesce(m);
          expect(r.getNumPartitions()).toBe(Math.min(n, m));
          expect(await r.collect()).toEqual(xs);
        }),
      ));

    it('coalesce with shuffle reaches any partition count', () =>
      check(
        fc.asyncProperty(ints, parts, parts, async (xs, n, m) => {
          const r = ctx().parallelize(xs, n).coalesce(m, true);
          expect(r.getNumPartitions()).toBe(m);
          expectSameMultiset(await r.collect(), xs);
        }),
      ));

    // ---- persistence -----------------------------------------------------------------------

    it('cache computes each partition once across actions', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const acc = ctx().accumulator(0);
          const rdd = ctx()
            .parallelize(xs, n)
            .map(
              (x, env) => {
                env.acc.add(1);
                return x * 2;
              },
              { acc },
            )
            .cache();
          expect(await rdd.collect()).toEqual(xs.map((x) => x * 2));
          expect(await rdd.map((x) => x + 1).collect()).toEqual(xs.map((x) => x * 2 + 1));
          expect(acc.value).toBe(xs.length);
          rdd.unpersist();
        }),
      ));

    it.each<StorageLevel>(['MEMORY_ONLY', 'MEMORY_AND_DISK', 'DISK_ONLY'])('persist(%s) serves later actions from storage', (level) =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const acc = ctx().accumulator(0);
          const rdd = ctx()
            .parallelize(xs, n)
            .filter(
              (x, env) => {
                env.acc.add(1);
                return x !== 0;
              },
              { acc },
            )
            .persist(level);
          expect(rdd.storageLevel).toBe(level);
          expect(await rdd.count()).toBe(xs.filter((x) => x !== 0).length);
          expect(await rdd.collect()).toEqual(xs.filter((x) => x !== 0));
          expect(acc.value).toBe(xs.length);
          rdd.unpersist();
        }),
        10,
      ));

    it('unpersist makes later actions recompute', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const acc = ctx().accumulator(0);
          const rdd = ctx()
            .parallelize(xs, n)
            .map(
              (x, env) => {
                env.acc.add(1);
                return x;
              },
              { acc },
            )
            .cache();
          await rdd.count();
          rdd.unpersist();
          expect(rdd.storageLevel).toBe('NONE');
          expect(await rdd.collect()).toEqual(xs);
          expect(acc.value).toBe(2 * xs.length);
        }),
        10,
      ));

    it('checkpoint truncates lineage and keeps the data', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const acc = ctx().accumulator(0);
          const rdd = ctx()
            .parallelize(xs, n)
            .map(
              (x, env) => {
                env.acc.add(1);
                return [Math.abs(x) % 4, x] as [number, number];
              },
              { acc },
            )
            .reduceByKey((a, b) => a + b)
            .mapValues((v) => v * 10);
          rdd.checkpoint();
          expect(rdd.isCheckpointed).toBe(false);
          const first = await rdd.collect();
          expect(rdd.isCheckpointed).toBe(true);
          expect(rdd.dependencies).toEqual([]);
          const seen = acc.value;
          expect(await rdd.collect()).toEqual(first);
          expect(acc.value).toBe(seen);
          const sums = new Map<number, number>();
          for (const x of xs) sums.set(Math.abs(x) % 4, (sums.get(Math.abs(x) % 4) ?? 0) + x);
          expectSameMultiset(first, [...sums].map(([k, v]) => [k, v * 10]));
        }),
        10,
      ));

    it('a checkpointed RDD feeds later shuffles', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const rdd = ctx().parallelize(xs, n).checkpoint();
          await rdd.count();
          expect(rdd.isCheckpointed).toBe(true);
          const got = await rdd
            .map((x) => [Math.abs(x) % 2, 1] as [number, number])
            .reduceByKey((a, b) => a + b)
            .collect();
          const counts = new Map<number, number>();
          for (const x of xs) counts.set(Math.abs(x) % 2, (counts.get(Math.abs(x) % 2) ?? 0) + 1);
          expectSameMultiset(got, [...counts]);
        }),
        10,
      ));

    it('localCheckpoint truncates lineage without recomputing', () =>
      check(
        fc.asyncProperty(ints, parts, async (xs, n) => {
          const acc = ctx().accumulator(0);
          const rdd = ctx()
            .parallelize(xs, n)
            .map(
              (x, env) => {
                env.acc.add(1);
                return x - 1;
              },
              { acc },
            )
            .localCheckpoint();
          expect(await rdd.collect()).toEqual(xs.map((x) => x - 1));
          expect(rdd.isCheckpointed).toBe(true);
          expect(rdd.dependencies).toEqual([]);
          expect(await rdd.collect()).toEqual(xs.map((x) => x - 1));
          expect(acc.value).toBe(xs.length);
        }),
        10,
      ));

    it('checkpoint without a checkpoint directory throws', async () => {
      const bare = await Context.create({ master: 'local' });
      try {
        expect(() => bare.parallelize([1]).checkpoint()).toThrow(/checkpoint directory/);
      } finally {
        await bare.stop();
      }
    });
  },
  () => ({ checkpointDir: checkpointRoot }),
);

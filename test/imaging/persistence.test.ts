/**
 * Persistence of images: a cached and a checkpointed image give what the recomputed one gives (halos
 * included, which then come from stored neighbour blocks), and stored work is reused — observed
 * through the voxel counters of the tasks that run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, expect, it } from 'vitest';

import type { Context, ImageRDD, Vec3 } from '../../index.js';
import { forMasters } from '../helpers/model.js';
import { expectRowsClose, expectVolumeEqual } from './helpers.js';

const checkpointDir = mkdtempSync(join(tmpdir(), 'voxelflow-checkpoints-'));
afterAll(() => rmSync(checkpointDir, { recursive: true, force: true }));

/** Voxels each region operator computed while `action` ran, by operator. */
async function voxelWork(ctx: Context, action: () => Promise<unknown>): Promise<Record<string, number>> {
  const work: Record<string, number> = {};
  const off = ctx.on('taskEnd', (e) => {
    for (const [name, n] of Object.entries(e.metrics ?? {})) if (name.startsWith('voxels:')) work[name.slice(7)] = (work[name.slice(7)] ?? 0) + n;
  });
  try {
    await action();
    return work;
  } finally {
    off();
  }
}

forMasters(
  (ctx) => {
    const SHAPE: Vec3 = [12, 14, 16];
    const VOXELS = 12 * 14 * 16;
    const phantom = (): ImageRDD => ctx().images.synthetic({ kind: 'blobs', shape: SHAPE, seed: 1, blockShape: [5, 6, 7] });

    /** What the tests compare: a box filter over the image, and labels with statistics of a mask. */
    async function results(img: ImageRDD) {
      const labels = img.boxFilter(1).threshold({ above: 250 }).labelComponents({ connectivity: 18, intensity: img });
      return { smooth: await img.boxFilter(2, { mode: 'reflect' }).toArray(), labels: await labels.toArray(), stats: await labels.shapeStats() };
    }

    it('a cached image and a checkpointed image give the same results as the recomputed one', async () => {
      const plain = await results(phantom());
      expect(plain.stats.length).toBeGreaterThan(1);
      const cached = phantom().cache();
      const checkpointed = phantom().checkpoint();
      await checkpointed.toArray(); // the first job writes the checkpoint and cuts the lineage
      expect(checkpointed.blocks.isCheckpointed).toBe(true);
      for (const [name, img] of [
        ['cached', cached],
        ['checkpointed', checkpointed],
      ] as const) {
        const got = await results(img);
        expectVolumeEqual(got.smooth, plain.smooth.data, SHAPE, `${name}: box filter`);
        expectVolumeEqual(got.labels, plain.labels.data, SHAPE, `${name}: labels`);
        expectRowsClose(got.stats, plain.stats);
      }
      cached.unpersist();
    });

    it('operators over a cached or checkpointed image read its stored blocks, never recompute them', async () => {
      const cached = phantom().cache();
      expect(await voxelWork(ctx(), () => cached.toArray())).toEqual({ 'image.synthetic': VOXELS });
      expect(await voxelWork(ctx(), () => cached.boxFilter(1).toArray())).toEqual({ 'image.boxFilter': VOXELS });
      cached.unpersist();
      const checkpointed = phantom().boxFilter(1).checkpoint();
      await checkpointed.toArray();
      expect(await voxelWork(ctx(), () => checkpointed.threshold({ above: 200 }).toArray())).toEqual({ 'image.threshold': VOXELS });
    });

    it('labeling a cached mask twice computes the mask once', async () => {
      const mask = phantom().threshold({ above: 135 }).cache(); // bright noise: many small components
      // The mask's own values as intensity: by default statistics read the (uncached) thresholded image.
      const first = await voxelWork(ctx(), () => mask.labelComponents({ connectivity: 6, intensity: mask }).toArray());
      expect(first).toEqual({ 'image.synthetic': VOXELS, 'image.threshold': VOXELS });
      const again = mask.labelComponents({ connectivity: 26, intensity: mask });
      expect(await voxelWork(ctx(), () => again.toArray())).toEqual({});
      expect(await again.componentCount()).toBeGreaterThan(20);
      mask.unpersist();
    });

    it('labeling resolves once: after the first job, labels, count and statistics of a cached mask need no voxel work', async () => {
      const mask = phantom().threshold({ above: 250 }).cache();
      // The mask as intensity: by default statistics read the uncached thresholded image again.
      const labels = mask.labelComponents({ intensity: mask });
      expect(await voxelWork(ctx(), () => labels.toArray())).toEqual({ 'image.synthetic': VOXELS, 'image.threshold': VOXELS });
      expect(await voxelWork(ctx(), async () => [await labels.toArray(), await labels.componentCount(), await labels.shapeStats()])).toEqual({});
    });
  },
  () => ({ checkpointDir }),
);

/**
 * Region rules seen from outside: an ROI written last still limits the work below it to the crop
 * (plus halo), observed through the tasks that run and the voxel counters in their taskEnd metrics;
 * and file images, whose tasks read only their own box, give what readImage gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readImage, writeImage, type Context, type ImageRDD, type Vec3, type Volume } from '../../index.js';
import { forMasters } from '../helpers/model.js';
import { expectVolumeEqual, randomVolume } from './helpers.js';

/** Runs `action` and returns its result with the tasks it ran and their summed voxel counters. */
async function measure<R>(ctx: Context, action: () => Promise<R>): Promise<{ result: R; tasks: number; voxels: Record<string, number> }> {
  let tasks = 0;
  const voxels: Record<string, number> = {};
  const off = ctx.on('taskEnd', (e) => {
    if (e.status !== 'success') return;
    tasks++;
    for (const [name, n] of Object.entries(e.metrics ?? {})) if (name.startsWith('voxels:')) voxels[name.slice(7)] = (voxels[name.slice(7)] ?? 0) + n;
  });
  try {
    return { result: await action(), tasks, voxels };
  } finally {
    off();
  }
}

/** `[z, y, x]` box of `volume` starting at `min` ([x, y, z]) as a plain array. */
function cropOf(volume: Volume, min: [number, number, number], max: [number, number, number]): number[] {
  const [, Y, X] = volume.shape;
  const out: number[] = [];
  for (let z = min[2]; z < max[2]; z++) for (let y = min[1]; y < max[1]; y++) for (let x = min[0]; x < max[0]; x++) out.push(volume.data[(z * Y + y) * X + x]!);
  return out;
}

let folder = '';
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'voxelflow-pushdown-'));
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

forMasters((ctx, master) => {
  const SHAPE: Vec3 = [24, 24, 24];
  const phantom = (): ImageRDD => ctx().images.synthetic({ kind: 'blobs', shape: SHAPE, seed: 2, blockShape: [8, 8, 8] });

  describe('ROI pushdown', () => {
    it('the whole filtered image runs one task per block and reads each block with its halo', async () => {
      const m = await measure(ctx(), () => phantom().boxFilter(1).toArray());
      expect(m.tasks).toBe(27);
      expect(m.voxels['image.boxFilter']).toBe(24 ** 3);
      // halos clipped to the image: per axis 9 + 10 + 9 voxels over the three blocks
      expect(m.voxels['image.synthetic']).toBe(28 ** 3);
    });

    it('boxFilter(1).roi(...) inside one block runs one task over the crop and its halo only', async () => {
      const whole = await phantom().boxFilter(1).toArray();
      const m = await measure(ctx(), () => phantom().boxFilter(1).roi([2, 3, 4], [6, 7, 8]).toArray());
      expect(m.tasks).toBe(1);
      expect(m.voxels).toEqual({ 'image.boxFilter': 4 * 4 * 4, 'image.synthetic': 6 * 6 * 6 });
      expectVolumeEqual(m.result, cropOf(whole, [2, 3, 4], [6, 7, 8]), [4, 4, 4], 'crop');
    });

    it('a crop across blocks runs only the crop blocks and computes each voxel of the crop once', async () => {
      const whole = await phantom().boxFilter(1).toArray();
      // crop [6, 18) x [6, 10) x [6, 12) (x, y, z) = shape [6, 4, 12], cut in blocks of [6, 4, 8]: two
      const crop = phantom().boxFilter(1).roi([6, 6, 6], [18, 10, 12]);
      expect(crop.numBlocks).toBe(2);
      const m = await measure(ctx(), () => crop.toArray());
      expect(m.tasks).toBe(2);
      expect(m.voxels['image.boxFilter']).toBe(6 * 4 * 12);
      // halos: x [5, 15) and [13, 19), y [5, 11), z [5, 13)
      expect(m.voxels['image.synthetic']).toBe(10 * 6 * 8 + 6 * 6 * 8);
      expectVolumeEqual(m.result, cropOf(whole, [6, 6, 6], [18, 10, 12]), [6, 4, 12], 'crop');
    });

    it('pushes through a chain: threshold(boxFilter(2)).roi computes the crop, its halo and nothing else', async () => {
      const m = await measure(ctx(), () => phantom().boxFilter(2).threshold({ above: 300 }).roi([10, 10, 10], [13, 12, 11]).toArray());
      expect(m.tasks).toBe(1);
      expect(m.voxels).toEqual({ 'image.threshold': 3 * 2 * 1, 'image.boxFilter': 3 * 2 * 1, 'image.synthetic': 7 * 6 * 5 });
    });

    it('an roi of a cached image reads the cached blocks it overlaps instead of recomputing', async () => {
      const cached = phantom().boxFilter(1).cache();
      await cached.toArray();
      const m = await measure(ctx(), () => cached.roi([6, 6, 6], [10, 10, 10]).toArray());
      expect(m.tasks).toBe(1);
      expect(m.voxels).toEqual({});
      cached.unpersist();
    });
  });

  describe('file images', () => {
    const volume = { data: randomVolume('u16', [7, 13, 17], 9), shape: [7, 13, 17] as Vec3, dtype: 'u16' as const };

    for (const [name, options] of [
      ['npy', {}],
      ['tif', {}],
      ['tif', { compression: 'lzw' as const }],
    ] as const) {
      it(`a .${name}${'compression' in options ? ` (${options.compression})` : ''} read block by block equals readImage`, async () => {
        const path = join(folder, `${master}-${name}-${Object.keys(options).length}.${name}`);
        writeImage(path, volume, options);
        const img = ctx().images.read(path, { blockShape: [3, 5, 4] });
        expect([img.shape, img.dtype]).toEqual([volume.shape, 'u16']);
        const expected = readImage(path);
        const m = await measure(ctx(), () => img.toArray());
        expect(m.tasks).toBe(img.numBlocks);
        expect(m.voxels['image.file']).toBe(7 * 13 * 17);
        expectVolumeEqual(m.result, expected.data, volume.shape, `.${name}`);
        expectVolumeEqual(m.result, volume.data, volume.shape, `.${name} vs written`);
        const crop = await measure(ctx(), () => img.roi([2, 3, 1], [9, 5, 4]).toArray());
        expect(crop.voxels['image.file']).toBe(7 * 2 * 3);
        expectVolumeEqual(crop.result, cropOf(expected, [2, 3, 1], [9, 5, 4]), [3, 2, 7], `.${name} crop`);
      });
    }

    it('write() stores what toArray() holds, and the file reads back as the same image', async () => {
      const img = ctx().images.fromArray(volume.data, volume.shape, { blockShape: [3, 5, 4] }).boxFilter(1);
      for (const ext of ['npy', 'tif']) {
        const path = join(folder, `${master}-written.${ext}`);
        await img.write(path);
        const back = ctx().images.read(path, { blockShape: [4, 4, 4] });
        expect(back.dtype).toBe('f32');
        expectVolumeEqual(await back.toArray(), (await img.toArray()).data, volume.shape, `written .${ext}`);
      }
    });

    it('a file rewritten in place is read anew, not from a stale open handle', async () => {
      const path = join(folder, `${master}-rewritten.npy`);
      writeImage(path, volume);
      expectVolumeEqual(await ctx().images.read(path, { blockShape: [3, 5, 4] }).toArray(), volume.data, volume.shape, 'first version');
      const second = { data: randomVolume('u16', [5, 6, 8], 10), shape: [5, 6, 8] as Vec3, dtype: 'u16' as const };
      writeImage(path, second, { overwrite: true });
      expectVolumeEqual(await ctx().images.read(path, { blockShape: [3, 5, 4] }).toArray(), second.data, second.shape, 'second version');
    });

    it('a file that changed shape between read() and the job fails with a message that says so', async () => {
      const path = join(folder, `${master}-changed.npy`);
      writeImage(path, volume);
      const img = ctx().images.read(path, { blockShape: [3, 5, 4] });
      writeImage(path, { data: new Uint16Array(8), shape: [2, 2, 2], dtype: 'u16' }, { overwrite: true });
      await expect(img.toArray()).rejects.toThrow(/changed since it was opened: it now holds 2x2x2 u16, the image was opened as 7x13x17 u16; open it again/);
    });
  });
});

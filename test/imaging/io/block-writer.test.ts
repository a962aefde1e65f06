/**
 * Task-side writes of .npy and .raw: each task writes its own blocks at their offsets into a
 * temporary file that is renamed into place only when every task succeeded.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, ImageFormatError, ImageRDD, readImage } from '../../../index.js';

let ctx: Context;
let dir: string;
beforeAll(async () => {
  ctx = await Context.create({ master: 'local[2]' });
  dir = mkdtempSync(join(tmpdir(), 'voxelflow-block-writer-'));
});
afterAll(async () => {
  await ctx.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('ImageRDD.write to .npy and .raw, by the tasks', () => {
  // Block shapes that cover whole planes, whole rows only, and neither (odd edges).
  for (const blockShape of [[5, 20, 18], [3, 7, 18], [4, 6, 5]] as const) {
    it(`writes every block at its offsets (blocks ${blockShape.join('x')})`, async () => {
      const img = ctx.images.synthetic({ kind: 'blobs', shape: [13, 20, 18], seed: 3, blockShape: [...blockShape] });
      const expected = await img.toArray();
      const npy = join(dir, `b-${blockShape.join('x')}.npy`);
      await img.write(npy);
      const back = readImage(npy);
      expect(back.shape).toEqual([13, 20, 18]);
      expect(back.dtype).toBe(expected.dtype);
      expect(Array.from(back.data)).toEqual(Array.from(expected.data));
      // An uncompressed TIFF is written by the tasks too: its pages read back as the image.
      const tif = join(dir, `b-${blockShape.join('x')}.tif`);
      await img.write(tif);
      expect(Array.from(readImage(tif).data)).toEqual(Array.from(expected.data));
      const raw = join(dir, `b-${blockShape.join('x')}.raw`);
      await img.threshold({ above: 500 }).write(raw);
      const mask = await img.threshold({ above: 500 }).toArray();
      expect(Array.from(readImage(raw, { shape: [18, 20, 13], dtype: 'u8' }).data)).toEqual(Array.from(mask.data));
    });
  }

  it('leaves neither the output nor a temporary file when a task fails, and keeps an older file', async () => {
    const out = join(dir, 'failed.npy');
    writeFileSync(out, 'previous');
    // A voxel outside the image fails its block's task.
    const bad = ImageRDD.fromVoxels(ctx.parallelize([[[1, 1, 1], 5], [[99, 0, 0], 1]] as [[number, number, number], number][], 2), [4, 4, 4], 'u8', { blockShape: [2, 4, 4] });
    await expect(bad.write(out, { overwrite: true })).rejects.toThrow(/outside the image/);
    expect(readdirSync(dir).filter((f) => f.includes('failed'))).toEqual(['failed.npy']);
    expect(readFileSync(out, 'utf8')).toBe('previous');
  });

  it('names the missing folder before any task runs', async () => {
    const img = ctx.images.synthetic({ kind: 'blobs', shape: [4, 4, 4], seed: 1 });
    const err = await img.write(join(dir, 'no-such-folder', 'x.npy')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ImageFormatError);
    expect((err as Error).message).toMatch(/no-such-folder\/x\.npy: cannot write: ENOENT; create the folder .*no-such-folder first/);
  });

  it('refuses toArray past what one typed array holds, naming the size and the way out', async () => {
    const huge = ctx.images.synthetic({ kind: 'blobs', shape: [2048, 2048, 1025], seed: 1 });
    await expect(huge.toArray()).rejects.toThrow(/4,299,161,600 voxels .* more than one typed array holds .*img\.write\('out\.npy'\)/);
  });
});

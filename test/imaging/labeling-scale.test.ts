/**
 * Block labeling at the shapes that stress its data path (issue 14 item 5): volumes with many
 * components (every foreground voxel its own component, so every block holds thousands of labels and
 * the boundary exchange carries none), one component that spans every block (a lattice of rods, the
 * trabecular case: every block face carries equivalences and the driver joins them all), and the
 * stage count of a labeling job, which stays the same whatever the number of blocks.
 */
import { describe, expect, it } from 'vitest';

import type { Context, Vec3 } from '../../index.js';
import { forMasters } from '../helpers/model.js';
import { expectRowsClose, expectVolumeEqual, floodFill, plainShapeStats, voxelsOf } from './helpers.js';

/** Foreground where `keep(x, y, z)`. */
function maskWhere(shape: Vec3, keep: (x: number, y: number, z: number) => boolean): Uint8Array {
  const [Z, Y, X] = shape;
  const mask = new Uint8Array(voxelsOf(shape));
  for (let z = 0; z < Z; z++) for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) if (keep(x, y, z)) mask[(z * Y + y) * X + x] = 1;
  return mask;
}

/** Rods along x, y and z through every point of a lattice of spacing `s`: one component. */
const rods = (s: number) => (x: number, y: number, z: number) =>
  (y % s === 0 && z % s === 0) || (x % s === 0 && z % s === 0) || (x % s === 0 && y % s === 0);

/** The stages the labeling job submits for the labels and their count. */
async function stagesOfLabeling(ctx: Context, mask: Uint8Array, shape: Vec3, blockShape: Vec3): Promise<number> {
  let stages = 0;
  const count = () => void stages++;
  const img = ctx.images.fromArray(mask, shape, { blockShape }).cache();
  await img.blocks.count();
  ctx.on('stageSubmitted', count);
  try {
    const labels = img.labelComponents({ connectivity: 26 });
    await labels.componentCount();
    await labels.blocks.count();
  } finally {
    ctx.off('stageSubmitted', count);
  }
  return stages;
}

forMasters((ctx) => {
  describe('block labeling at scale', () => {
    it('labels a 3D checkerboard under 6-connectivity: one component per foreground voxel, statistics included', async () => {
      // 113,460 components: past 100,000 labels, the merged statistics come from two partitions
      const shape: Vec3 = [60, 61, 62];
      const mask = maskWhere(shape, (x, y, z) => (x + y + z) % 2 === 0);
      const expected = floodFill(mask, shape, 6);
      expect(expected.count).toBe(113_460);
      const labels = ctx().images.fromArray(mask, shape, { blockShape: [16, 25, 17] }).labelComponents({ connectivity: 6 });
      expect(await labels.componentCount()).toBe(expected.count);
      expectVolumeEqual(await labels.toArray(), expected.labels, shape, 'checkerboard labels');
      expectRowsClose(await labels.shapeStats(), plainShapeStats(expected.labels, expected.count, shape, mask));
    });

    it('labels a lattice of isolated voxels under 26-connectivity, numbering and statistics included', async () => {
      const shape: Vec3 = [23, 24, 25];
      const mask = maskWhere(shape, (x, y, z) => x % 2 === 0 && y % 2 === 0 && z % 2 === 0);
      const expected = floodFill(mask, shape, 26);
      expect(expected.count).toBe(12 * 12 * 13);
      const labels = ctx().images.fromArray(mask, shape, { blockShape: [4, 9, 5] }).labelComponents({ connectivity: 26 });
      expect(await labels.componentCount()).toBe(expected.count);
      expectVolumeEqual(await labels.toArray(), expected.labels, shape, 'lattice labels');
      const rows = await labels.shapeStats();
      expect(rows.map((r) => r.label)).toEqual(Array.from({ length: expected.count }, (_, i) => i + 1));
      expectRowsClose(rows, plainShapeStats(expected.labels, expected.count, shape, mask));
    });

    for (const connectivity of [6, 18, 26] as const) {
      it(`joins a lattice of rods that spans every block into one component (connectivity ${connectivity})`, async () => {
        const shape: Vec3 = [17, 19, 23];
        const mask = maskWhere(shape, rods(4));
        const blockShape: Vec3 = [3, 5, 4];
        const labels = ctx().images.fromArray(mask, shape, { blockShape }).labelComponents({ connectivity });
        expect(await labels.componentCount()).toBe(1);
        expectVolumeEqual(await labels.toArray(), floodFill(mask, shape, connectivity).labels, shape, 'rods');
        const [row, ...rest] = await labels.shapeStats();
        expect(rest).toEqual([]);
        expect(row).toMatchObject({ label: 1, voxels: mask.reduce((a, b) => a + b, 0), bboxMin: [0, 0, 0], bboxMax: [22, 18, 16] });
      });
    }

    it('a rod lattice with the rods cut between blocks splits into the pieces a flood fill finds, numbered alike', async () => {
      const shape: Vec3 = [16, 16, 16];
      // rods of spacing 5, broken wherever a coordinate is 7 or 8: pieces on both sides of block faces at 8
      const mask = maskWhere(shape, (x, y, z) => rods(5)(x, y, z) && x !== 7 && y !== 8 && z !== 7);
      const expected = floodFill(mask, shape, 26);
      const labels = ctx().images.fromArray(mask, shape, { blockShape: [8, 8, 8] }).labelComponents({ connectivity: 26 });
      expect(await labels.componentCount()).toBe(expected.count);
      expectVolumeEqual(await labels.toArray(), expected.labels, shape, 'cut rods');
    });

    it('runs the labels and their count in the same few stages whatever the number of blocks', async () => {
      const shape: Vec3 = [24, 24, 24];
      const mask = maskWhere(shape, rods(3));
      const few = await stagesOfLabeling(ctx(), mask, shape, [12, 12, 12]);
      const many = await stagesOfLabeling(ctx(), mask, shape, [4, 4, 4]);
      // block pass (collecting first voxels), boundary exchange (map + reduce), relabel
      expect(few).toBe(4);
      expect(many).toBe(4);
    });
  });
});

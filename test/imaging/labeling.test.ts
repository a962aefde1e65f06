/**
 * Connected-component labeling: the block method against a plain-array flood fill and against the
 * key-value 'propagate' method, voxel for voxel and numbering included, for every connectivity and
 * block shapes that do not divide the image; shape statistics against a direct computation; and the
 * distributed resolution of equivalences (forced with driverThreshold: 0) against the driver's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { ImageRDD, Vec3 } from '../../index.js';
import { check, forMasters } from '../helpers/model.js';
import {
  anyShape,
  expectRowsClose,
  expectVolumeEqual,
  floodFill,
  plainShapeStats,
  randomMask,
  randomVolume,
  seed,
  shape2d,
  shape3d,
  voxelsOf,
  withBlocks,
} from './helpers.js';

type Conn = 4 | 6 | 8 | 18 | 26;

/** A shape with blocks, and a connectivity that fits its dimensionality. */
const labelCase = fc.oneof(
  fc.tuple(withBlocks(shape3d), fc.constantFrom<Conn>(6, 18, 26)),
  fc.tuple(withBlocks(anyShape.filter((s) => s[0] > 1)), fc.constantFrom<Conn>(6, 18, 26)),
  fc.tuple(withBlocks(shape2d), fc.constantFrom<Conn>(4, 8)),
);
const density = fc.double({ min: 0.15, max: 0.75, noNaN: true });

/** A mask image from voxel positions `[x, y, z]`. */
function maskOf(positions: readonly (readonly [number, number, number])[], shape: Vec3): Uint8Array {
  const mask = new Uint8Array(voxelsOf(shape));
  for (const [x, y, z] of positions) mask[(z * shape[1] + y) * shape[2] + x] = 1;
  return mask;
}

/**
 * A one-voxel-wide snake through `shape`: full rows along x on every other y, joined at alternating
 * ends, plane after plane (joined through z at the last row). One component that crosses every
 * block of a small grid many times.
 */
function snake(shape: Vec3): Uint8Array {
  const [Z, Y, X] = shape;
  const mask = new Uint8Array(voxelsOf(shape));
  for (let z = 0; z < Z; z += 2) {
    for (let y = 0; y < Y; y += 2) {
      for (let x = 0; x < X; x++) mask[(z * Y + y) * X + x] = 1;
      const turn = (y / 2) % 2 === 0 ? X - 1 : 0;
      if (y + 1 < Y && y + 2 < Y) mask[(z * Y + y + 1) * X + turn] = 1;
    }
    if (z + 1 < Z && z + 2 < Z) mask[((z + 1) * Y + (Y % 2 === 1 ? Y - 1 : Y - 2)) * X + 0] = 1;
  }
  return mask;
}

forMasters((ctx) => {
  describe('block labeling', () => {
    it('equals a raster-order flood fill, numbering included, for every connectivity and block shape', () =>
      check(
        fc.asyncProperty(labelCase, density, seed, fc.constantFrom(undefined, 0), async ([{ shape, blockShape }, connectivity], p, s, driverThreshold) => {
          const mask = randomMask(shape, s, p);
          const expected = floodFill(mask, shape, connectivity);
          const labels = ctx()
            .images.fromArray(mask, shape, { blockShape })
            .labelComponents({ connectivity, ...(driverThreshold === undefined ? {} : { driverThreshold }) });
          expect(await labels.componentCount()).toBe(expected.count);
          const actual = await labels.toArray();
          expect(actual.dtype).toBe('u32');
          expectVolumeEqual(actual, expected.labels, shape, `labels (connectivity ${connectivity})`);
        }),
        15,
      ));

    it("equals the key-value 'propagate' method voxel for voxel, and their statistics agree", () =>
      check(
        fc.asyncProperty(labelCase, density, seed, async ([{ shape, blockShape }, connectivity], p, s) => {
          const img = ctx().images.fromArray(randomMask(shape, s, p), shape, { blockShape });
          const blocks = img.labelComponents({ connectivity });
          const spread = img.labelComponents({ connectivity, method: 'propagate' });
          expect(await spread.componentCount()).toBe(await blocks.componentCount());
          const expected = await blocks.toArray();
          expectVolumeEqual(await spread.toArray(), expected.data, shape, `propagate vs blocks (connectivity ${connectivity})`);
          expectRowsClose(await spread.shapeStats(), await blocks.shapeStats());
        }),
        10,
      ));

    it('shapeStats equals a direct computation: voxels, centroid, bounding box, mean intensity, extents', () =>
      check(
        fc.asyncProperty(labelCase, density, seed, fc.boolean(), async ([{ shape, blockShape }, connectivity], p, s, sameBlocks) => {
          const mask = randomMask(shape, s, p);
          const values = randomVolume('u16', shape, s + 1);
          const { labels, count } = floodFill(mask, shape, connectivity);
          const intensity = ctx().images.fromArray(values, shape, { blockShape: sameBlocks ? blockShape : [2, 2, 3] });
          const labeled = ctx().images.fromArray(mask, shape, { blockShape }).labelComponents({ connectivity, intensity });
          expectRowsClose(await labeled.shapeStats(), plainShapeStats(labels, count, shape, values));
        }),
        12,
      ));

    it('shapeStats(intensity) takes the mean from an image blocked differently from the labels', () =>
      check(
        fc.asyncProperty(withBlocks(shape3d), fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 })), seed, async ({ shape, blockShape }, other, s) => {
          const mask = randomMask(shape, s, 0.4);
          const values = randomVolume('f32', shape, s + 1);
          const { labels, count } = floodFill(mask, shape, 26);
          const labeled = ctx().images.fromArray(mask, shape, { blockShape }).labelComponents();
          const intensity = ctx().images.fromArray(values, shape, { blockShape: other as Vec3 });
          expectRowsClose(await labeled.shapeStats(intensity), plainShapeStats(labels, count, shape, values));
        }),
        8,
      ));

    it('without an intensity image, the mean intensity is that of the labeled image itself', async () => {
      const shape: Vec3 = [2, 3, 4];
      const values = Uint16Array.from({ length: 24 }, (_, i) => (i % 5 === 0 ? 0 : i));
      const labeled = ctx().images.fromArray(values, shape, { blockShape: [1, 2, 3] }).labelComponents({ connectivity: 6 });
      const { labels, count } = floodFill(values, shape, 6);
      expectRowsClose(await labeled.shapeStats(), plainShapeStats(labels, count, shape, values));
    });

    it('labels an empty mask with no components and a full mask with one', async () => {
      const shape: Vec3 = [3, 4, 5];
      for (const method of ['blocks', 'propagate'] as const) {
        const empty = ctx().images.fromArray(new Uint8Array(60), shape, { blockShape: [2, 3, 2] }).labelComponents({ method });
        expect(await empty.componentCount()).toBe(0);
        expect(await empty.shapeStats()).toEqual([]);
        expectVolumeEqual(await empty.toArray(), new Uint32Array(60), shape, `${method}: empty`);
        const full = ctx().images.fromArray(new Uint8Array(60).fill(1), shape, { blockShape: [2, 3, 2] }).labelComponents({ connectivity: 6, method });
        expect(await full.componentCount()).toBe(1);
        expectVolumeEqual(await full.toArray(), new Uint32Array(60).fill(1), shape, `${method}: full`);
        const [row] = await full.shapeStats();
        expect(row).toMatchObject({ label: 1, voxels: 60, centroid: [2, 1.5, 1], bboxMin: [0, 0, 0], bboxMax: [4, 3, 2], meanIntensity: 1 });
      }
    });

    it('labels feed other operators: a crop of the labels is the labels of the crop region, relabeling keeps the count', async () => {
      const shape: Vec3 = [6, 7, 8];
      const mask = randomMask(shape, 77, 0.3);
      const { labels: expected, count } = floodFill(mask, shape, 6);
      for (const method of ['blocks', 'propagate'] as const) {
        const labels = ctx().images.fromArray(mask, shape, { blockShape: [4, 3, 3] }).labelComponents({ connectivity: 6, method });
        const crop = await labels.roi([1, 2, 3], [7, 6, 5]).toArray();
        const want = Array.from({ length: 2 * 4 * 6 }, (_, i) => expected[((3 + Math.floor(i / 24)) * 7 + 2 + (Math.floor(i / 6) % 4)) * 8 + 1 + (i % 6)]!);
        expectVolumeEqual(crop, want, [2, 4, 6], `${method}: crop of labels`);
        const again = labels.threshold({ above: 0 }).labelComponents({ connectivity: 6 });
        expect(await again.componentCount(), `${method}: labels of labels`).toBe(count);
      }
    });

    it('rejects a bad connectivity, method or intensity shape with a ConfigError', () => {
      const img = ctx().images.fromArray(new Uint8Array(8), [2, 2, 2]);
      expect(() => img.labelComponents({ connectivity: 5 as 6 })).toThrow(/connectivity must be/);
      expect(() => img.labelComponents({ method: 'magic' as 'blocks' })).toThrow(/method must be/);
      const other = ctx().images.fromArray(new Uint8Array(4), [1, 2, 2]);
      expect(() => img.labelComponents({ intensity: other })).toThrow(/intensity image 1x2x2/);
    });
  });

  describe('distributed resolution of equivalences', () => {
    const solve = async (img: ImageRDD, connectivity: Conn, driverThreshold?: number) => {
      const rounds: number[] = [];
      const labels = img.labelComponents({
        connectivity,
        ...(driverThreshold === undefined ? {} : { driverThreshold, checkpointEvery: 2 }),
        onRound: (round) => void rounds.push(round),
      });
      return { volume: await labels.toArray(), count: await labels.componentCount(), stats: await labels.shapeStats(), rounds };
    };

    it('resolves a long snake through many small blocks in several rounds, as the driver union-find does', async () => {
      const shape: Vec3 = [5, 11, 12];
      const mask = snake(shape);
      const img = ctx().images.fromArray(mask, shape, { blockShape: [2, 3, 2] }).cache();
      for (const connectivity of [6, 26] as const) {
        const driver = await solve(img, connectivity);
        const spread = await solve(img, connectivity, 0);
        expect(driver.rounds).toEqual([]);
        // several rounds, but not one per edge of the path: hooking and pointer jumping carry the
        // smallest id across a whole tree at once (plain propagation needed ~30 rounds here)
        expect(spread.rounds.length).toBeGreaterThan(2);
        expect(spread.rounds.length).toBeLessThanOrEqual(10);
        expect(driver.count).toBe(1);
        expect(spread.count).toBe(1);
        expectVolumeEqual(spread.volume, driver.volume.data, shape, 'distributed vs driver resolution');
        expectVolumeEqual(spread.volume, floodFill(mask, shape, connectivity).labels, shape, 'distributed vs flood fill');
        expectRowsClose(spread.stats, driver.stats);
      }
    });

    it('joins diagonal chains across block corners (26) and edges (18, 8) and nothing more', async () => {
      // blocks of 2x2x2. corner: (1,1,1)-(2,2,2) meet only at a block corner. edge: (1,1,0)-(2,2,0)
      // meet along a block edge parallel to z, (0,1,1)-(0,2,2) along one parallel to x, and
      // (1,1,0)-(0,1,1) share an edge inside block 0; (3,3,3) stands alone
      const shape: Vec3 = [4, 4, 4];
      const corner = ctx().images.fromArray(maskOf([[0, 0, 0], [1, 1, 1], [2, 2, 2], [3, 3, 3]], shape), shape, { blockShape: [2, 2, 2] });
      const edge = ctx().images.fromArray(maskOf([[1, 1, 0], [2, 2, 0], [0, 1, 1], [0, 2, 2], [3, 3, 3]], shape), shape, { blockShape: [2, 2, 2] });
      const cases: [ImageRDD, Conn, number][] = [
        [corner, 26, 1],
        [corner, 18, 4],
        [corner, 6, 4],
        [edge, 26, 2],
        [edge, 18, 2],
        [edge, 6, 5],
      ];
      for (const [img, connectivity, components] of cases) {
        const mask = (await img.toArray()).data;
        const expected = floodFill(mask, shape, connectivity);
        expect(expected.count, `flood fill, connectivity ${connectivity}`).toBe(components);
        for (const driverThreshold of [undefined, 0]) {
          const got = await solve(img, connectivity, driverThreshold);
          expect(got.count, `connectivity ${connectivity}, driverThreshold ${driverThreshold}`).toBe(components);
          expectVolumeEqual(got.volume, expected.labels, shape, `connectivity ${connectivity}, driverThreshold ${driverThreshold}`);
        }
      }
      const plane: Vec3 = [1, 4, 4];
      const diagonal = ctx().images.fromArray(maskOf([[0, 0, 0], [1, 1, 0], [2, 2, 0], [3, 3, 0]], plane), plane, { blockShape: [1, 2, 2] });
      expect((await solve(diagonal, 8, 0)).count).toBe(1);
      expect((await solve(diagonal, 4, 0)).count).toBe(4);
    });

    it('matches the flood fill on random masks with many blocks, resolved on the executors', () =>
      check(
        fc.asyncProperty(fc.constantFrom<Conn>(6, 18, 26), seed, async (connectivity, s) => {
          const shape: Vec3 = [6, 8, 9];
          const mask = randomMask(shape, s, 0.35);
          const got = await solve(ctx().images.fromArray(mask, shape, { blockShape: [2, 3, 2] }), connectivity, 0);
          expectVolumeEqual(got.volume, floodFill(mask, shape, connectivity).labels, shape, `connectivity ${connectivity}`);
        }),
        6,
      ));
  });
});

// Past the memory budget the block pass does not keep its local labels and the relabel pass
// recomputes them from the mask (label-components.ts keepsLabels): the same labels and statistics.
forMasters(
  (ctx) => {
    describe('block labeling when the labels do not fit the budget (recomputed, not kept)', () => {
      it('equals a raster-order flood fill, and the statistics of a thresholded image equal a direct computation', () =>
        check(
          fc.asyncProperty(labelCase, seed, async ([{ shape, blockShape }, connectivity], s) => {
            const values = randomVolume('u16', shape, s);
            // randomVolume's values are 0..199: about 40% of the voxels above the cut.
            const cut = 120;
            const mask = Uint8Array.from(values, (v) => (v > cut ? 1 : 0));
            const expected = floodFill(mask, shape, connectivity);
            // The mask is a threshold of the intensity image: the block pass computes the image once.
            const labels = ctx().images.fromArray(values, shape, { blockShape }).threshold({ above: cut }).labelComponents({ connectivity });
            expect(await labels.componentCount()).toBe(expected.count);
            expectVolumeEqual(await labels.toArray(), expected.labels, shape, `labels (connectivity ${connectivity})`);
            expectRowsClose(await labels.shapeStats(), plainShapeStats(expected.labels, expected.count, shape, values));
          }),
          10,
        ));
    });
  },
  () => ({ memory: '1k' }),
);

forMasters((ctx) => {
  describe('block labeling of a thresholded image, labels kept', () => {
    it('labels and measures the components of a threshold of the intensity image in one pass', () =>
      check(
        fc.asyncProperty(labelCase, seed, async ([{ shape, blockShape }, connectivity], s) => {
          const values = randomVolume('u16', shape, s);
          // randomVolume's values are 0..199: about 40% of the voxels above 120.
          const mask = Uint8Array.from(values, (v) => (v > 120 ? 1 : 0));
          const expected = floodFill(mask, shape, connectivity);
          const labels = ctx().images.fromArray(values, shape, { blockShape }).threshold({ above: 120 }).labelComponents({ connectivity });
          expectVolumeEqual(await labels.toArray(), expected.labels, shape, `labels (connectivity ${connectivity})`);
          expectRowsClose(await labels.shapeStats(), plainShapeStats(expected.labels, expected.count, shape, values));
        }),
        10,
      ));

    it("labels and measures a threshold of a box-filtered image, the filter's output as the intensity (per-thread scratch)", () =>
      check(
        fc.asyncProperty(withBlocks(shape3d), fc.constantFrom<Conn>(6, 26), seed, async ({ shape, blockShape }, connectivity, s) => {
          const img = ctx().images.fromArray(randomVolume('u16', shape, s), shape, { blockShape });
          const filtered = img.boxFilter(1);
          const values = (await filtered.toArray()).data;
          // Halfway between the smallest and largest filtered value: never an empty mask.
          const lo = Math.min(...values), hi = Math.max(...values);
          const cut = (lo + hi) / 2;
          const expected = floodFill(Uint8Array.from(values, (v) => (v > cut ? 1 : 0)), shape, connectivity);
          if (hi > lo) expect(expected.count).toBeGreaterThan(0);
          const labels = filtered.threshold({ above: cut }).labelComponents({ connectivity, intensity: filtered });
          expectVolumeEqual(await labels.toArray(), expected.labels, shape, `labels (connectivity ${connectivity})`);
          expectRowsClose(await labels.shapeStats(), plainShapeStats(expected.labels, expected.count, shape, values));
        }),
        10,
      ));
  });
});

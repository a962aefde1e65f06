/**
 * The key-value view and the image sources: `voxels()` / `ImageRDD.fromVoxels` round trips (sparse
 * voxel sets, voxels outside the image), `fromArray` checks, seeded phantoms that do not depend on
 * the block shape, and 2D images (z = 1) through the box filter and labeling.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';

import { ImageRDD, type DType, type Vec3, type Voxel } from '../../index.js';
import { check, forMasters } from '../helpers/model.js';
import { anyShape, expectVolumeClose, expectVolumeEqual, randomVolume, seed, voxelsOf, withBlocks } from './helpers.js';
import { kvBoxFilter } from './kv-reference.js';

const dtypes = fc.constantFrom<DType>('u8', 'u16', 'i16', 'u32', 'i32', 'f32', 'f64');

forMasters((ctx) => {
  it('voxels() yields every voxel once as [[x, y, z], value]', () =>
    check(
      fc.asyncProperty(withBlocks(anyShape), dtypes, seed, async ({ shape, blockShape }, dtype, s) => {
        const data = randomVolume(dtype, shape, s);
        const voxels = await ctx().images.fromArray(data, shape, { blockShape }).voxels().collect();
        expect(voxels.length).toBe(data.length);
        const seen = new Uint8Array(data.length);
        for (const [[x, y, z], v] of voxels) {
          const i = (z * shape[1] + y) * shape[2] + x;
          expect(seen[i], `voxel [${x}, ${y}, ${z}] seen twice`).toBe(0);
          seen[i] = 1;
          expect(v).toBe(data[i]);
        }
      }),
      10,
    ));

  it('fromVoxels(img.voxels()) gives the image back, whatever the block shapes on either side', () =>
    check(
      fc.asyncProperty(withBlocks(anyShape), dtypes, seed, fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })), async ({ shape, blockShape }, dtype, s, other) => {
        const data = randomVolume(dtype, shape, s);
        const img = ctx().images.fromArray(data, shape, { blockShape });
        const back = ImageRDD.fromVoxels(img.voxels(), shape, dtype, { blockShape: other as Vec3 });
        const volume = await back.toArray();
        expect(volume.dtype).toBe(dtype);
        expectVolumeEqual(volume, data, shape, 'round trip');
      }),
      10,
    ));

  it('fromVoxels fills positions never mentioned with 0, including blocks without any voxel', async () => {
    const shape: Vec3 = [6, 7, 8];
    const given: Voxel[] = [
      [[0, 0, 0], 5],
      [[7, 6, 5], 9],
      [[3, 4, 2], 7],
    ];
    const img = ImageRDD.fromVoxels(ctx().parallelize(given, 2), shape, 'u16', { blockShape: [2, 3, 4] });
    expect(img.numBlocks).toBe(3 * 3 * 2);
    const expected = new Uint16Array(voxelsOf(shape));
    for (const [[x, y, z], v] of given) expected[(z * shape[1] + y) * shape[2] + x] = v;
    expectVolumeEqual(await img.toArray(), expected, shape, 'sparse voxels');
    // the blocks feed region operators like any other image
    expectVolumeClose(await img.boxFilter(1).toArray(), (await kvBoxFilter(img, 1, 'constant').toArray()).data, shape, 1e-6, 1e-6, 'box filter of sparse image');
    const empty = ImageRDD.fromVoxels(ctx().emptyRDD<Voxel>(), [2, 2, 2], 'f32', { blockShape: [1, 2, 1] });
    expectVolumeEqual(await empty.toArray(), new Float32Array(8), [2, 2, 2], 'no voxels at all');
  });

  it('fromVoxels rejects a voxel outside the image with an error that names it', async () => {
    const shape: Vec3 = [2, 3, 4];
    for (const bad of [
      [4, 0, 0],
      [0, 3, 1],
      [0, 0, 2],
      [-1, 0, 0],
    ] as [number, number, number][]) {
      const voxels = ctx().parallelize<Voxel>([[[1, 1, 1], 1], [bad, 2]], 1);
      const err = await ImageRDD.fromVoxels(voxels, shape, 'u8', { blockShape: [1, 2, 2] })
        .toArray()
        .then(
          () => null,
          (e: unknown) => e as Error,
        );
      expect(err, `voxel ${bad}`).toBeInstanceOf(Error);
      expect(err!.message).toContain(`voxel [${bad.join(', ')}] lies outside the image`);
    }
    const fractional = ImageRDD.fromVoxels(ctx().parallelize<Voxel>([[[0.5, 0, 0], 1]], 1), shape, 'u8');
    await expect(fractional.toArray()).rejects.toThrow(/voxel \[0.5, 0, 0\] has non-integer coordinates/);
  });

  it('fromVoxels checks its shape, dtype and block shape at once', () => {
    const none = ctx().emptyRDD<Voxel>();
    expect(() => ImageRDD.fromVoxels(none, [2, 2] as unknown as Vec3, 'u8')).toThrow(/fromVoxels: shape must be \[z, y, x\]/);
    expect(() => ImageRDD.fromVoxels(none, [2, 0, 2], 'u8')).toThrow(/fromVoxels: shape/);
    expect(() => ImageRDD.fromVoxels(none, [2, 2, 2], 'u64' as 'u8')).toThrow(/fromVoxels: dtype must be one of u8, .*got 'u64'/);
    expect(() => ImageRDD.fromVoxels(none, [2, 2, 2], 'u8', { blockShape: [1, 1.5, 1] })).toThrow(/fromVoxels: blockShape/);
  });

  it('fromArray checks the data against the shape and the dtype', () => {
    expect(() => ctx().images.fromArray(new Uint8Array(23), [2, 3, 4])).toThrow(/shape 2x3x4 has 24 voxels but the array has 23/);
    expect(() => ctx().images.fromArray([1, 2] as unknown as Uint8Array, [1, 1, 2])).toThrow(/typed array/);
    expect(() => ctx().images.fromArray(new Uint8Array(4), [2, 2] as unknown as Vec3)).toThrow(/shape must be \[z, y, x\]/);
    expect(() => ctx().images.fromArray(new Uint8Array(0), [0, 1, 1])).toThrow(/positive integers/);
    expect(() => ctx().images.fromArray(new Uint8Array(8), [2, 2, 2], { blockShape: [0, 1, 1] })).toThrow(/blockShape/);
  });

  it('synthetic phantoms depend on the seed, never on the block shape', async () => {
    const shape: Vec3 = [9, 20, 22];
    for (const kind of ['blobs', 'bone'] as const) {
      const a = await ctx().images.synthetic({ kind, shape, seed: 11 }).toArray();
      const b = await ctx().images.synthetic({ kind, shape, seed: 11, blockShape: [4, 7, 5] }).toArray();
      const c = await ctx().images.synthetic({ kind, shape, seed: 12, blockShape: [4, 7, 5] }).toArray();
      expect(a.dtype).toBe('u16');
      expectVolumeEqual(b, a.data, shape, `${kind}, blocks 4x7x5 vs default`);
      expect(c.data.some((v, i) => v !== a.data[i]), `${kind}: another seed gives another image`).toBe(true);
      // a crop of the phantom is the phantom's crop: blocks are generated where they are needed
      const crop = await ctx().images.synthetic({ kind, shape, seed: 11, blockShape: [2, 3, 3] }).roi([5, 6, 1], [17, 19, 8]).toArray();
      const expected = Array.from({ length: 7 * 13 * 12 }, (_, i) => a.data[((1 + Math.floor(i / 156)) * 20 + 6 + (Math.floor(i / 12) % 13)) * 22 + 5 + (i % 12)]!);
      expectVolumeEqual(crop, expected, [7, 13, 12], `${kind} crop`);
    }
    expect(() => ctx().images.synthetic({ kind: 'noise' as 'blobs', shape })).toThrow(/kind must be one of 'blobs', 'bone', 'known', got 'noise'/);
  });

  it('a 2D image (z = 1) gets a square box window, not a cube', async () => {
    const shape: Vec3 = [1, 3, 3];
    const img = ctx().images.fromArray(new Float32Array(9).fill(9), shape, { blockShape: [1, 2, 2] });
    expect(img.ndim).toBe(2);
    // window sums of ones: corners see 4 voxels, edges 6, the centre 9; the window holds 9
    expectVolumeEqual(await img.boxFilter(1).toArray(), [4, 6, 4, 6, 9, 6, 4, 6, 4], shape, '2D box filter');
    expectVolumeEqual(await img.boxFilter(1, { mode: 'nearest' }).toArray(), new Float32Array(9).fill(9), shape, '2D nearest');
    const wide = ctx().images.fromArray(randomVolume('u8', [1, 11, 12], 4), [1, 11, 12], { blockShape: [1, 4, 5] });
    for (const mode of ['constant', 'nearest', 'reflect'] as const) {
      expectVolumeClose(await wide.boxFilter(2, { mode }).toArray(), (await kvBoxFilter(wide, 2, mode).toArray()).data, [1, 11, 12], 1e-6, 1e-5, `2D ${mode}`);
    }
  });

  it('a 2D image is labeled with 4 or 8 connectivity; 6 means 4 and 18 or 26 mean 8', async () => {
    const shape: Vec3 = [1, 3, 3];
    const x = ctx().images.fromArray(Uint8Array.of(1, 0, 1, 0, 1, 0, 1, 0, 1), shape, { blockShape: [1, 2, 2] });
    const four = [1, 0, 2, 0, 3, 0, 4, 0, 5];
    const eight = [1, 0, 1, 0, 1, 0, 1, 0, 1];
    for (const [connectivity, expected] of [
      [4, four],
      [6, four],
      [8, eight],
      [18, eight],
      [26, eight],
    ] as const) {
      expectVolumeEqual(await x.labelComponents({ connectivity }).toArray(), expected, shape, `2D, connectivity ${connectivity}`);
      expectVolumeEqual(await x.labelComponents({ connectivity, method: 'propagate' }).toArray(), expected, shape, `2D propagate, connectivity ${connectivity}`);
    }
    expectVolumeEqual(await x.labelComponents().toArray(), eight, shape, '2D default connectivity is 8');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../core/index.js';
import { type Connectivity, labelBlock, labelScratchLength, normalizeConnectivity } from '../../../imaging/kernels/index.js';
import { type Shape3, voxelCount } from '../../../imaging/volume.js';
import { expectSame, randomMask, shape3 } from './fixtures.js';
import { refLabel } from './reference.js';

const CONNECTIVITIES: readonly Connectivity[] = [4, 8, 6, 18, 26];

/** Labels `mask` and returns [n, labels]. */
function label(mask: Uint8Array, shape: Shape3, connectivity: Connectivity): [number, number[]] {
  const out = new Uint32Array(voxelCount(shape));
  const n = labelBlock(mask, shape, connectivity, out);
  return [n, [...out]];
}

/** A mask with foreground at the given [z, y, x] positions. */
function maskOf(shape: Shape3, ...voxels: [number, number, number][]): Uint8Array {
  const mask = new Uint8Array(voxelCount(shape));
  for (const [z, y, x] of voxels) mask[(z * shape[1] + y) * shape[2] + x] = 1;
  return mask;
}

describe('labelBlock', () => {
  it('equals a raster-order flood fill for every connectivity', () => {
    const input = fc.tuple(shape3, fc.integer(), fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.constantFrom(...CONNECTIVITIES));
    fc.assert(
      fc.property(input, ([shape, seed, density, connectivity]) => {
        const mask = randomMask(shape, seed, density);
        const out = new Uint32Array(mask.length).fill(0xdeadbeef); // out needs no clearing
        const n = labelBlock(mask, shape, connectivity, out);
        const expected = refLabel(mask, shape, normalizeConnectivity(shape, connectivity));
        expect(n).toBe(expected.n);
        expectSame(out, expected.labels);
      }),
      { numRuns: 600 },
    );
  });

  it('reuses a dirty caller scratch table', () => {
    const shape: Shape3 = [5, 6, 7];
    const mask = randomMask(shape, 3, 0.5);
    const scratch = new Uint32Array(labelScratchLength(shape)).fill(12345);
    const out = new Uint32Array(mask.length);
    expect(labelBlock(mask, shape, 18, out, scratch)).toBe(refLabel(mask, shape, 18).n);
    expectSame(out, refLabel(mask, shape, 18).labels);
  });

  it('joins voxels across a corner only with 26, across an edge with 18 and 26', () => {
    const corner = maskOf([2, 2, 2], [0, 0, 0], [1, 1, 1]);
    expect(label(corner, [2, 2, 2], 26)).toEqual([1, [1, 0, 0, 0, 0, 0, 0, 1]]);
    expect(label(corner, [2, 2, 2], 18)[0]).toBe(2);
    expect(label(corner, [2, 2, 2], 6)[0]).toBe(2);
    const edge = maskOf([2, 2, 2], [0, 0, 1], [1, 1, 1]);
    expect(label(edge, [2, 2, 2], 26)[0]).toBe(1);
    expect(label(edge, [2, 2, 2], 18)[0]).toBe(1);
    expect(label(edge, [2, 2, 2], 6)).toEqual([2, [0, 1, 0, 0, 0, 0, 0, 2]]);
  });

  it('joins 2D diagonal neighbours with 8 but not 4', () => {
    const diagonal = maskOf([1, 2, 2], [0, 0, 1], [0, 1, 0]);
    expect(label(diagonal, [1, 2, 2], 8)).toEqual([1, [0, 1, 1, 0]]);
    expect(label(diagonal, [1, 2, 2], 4)).toEqual([2, [0, 1, 2, 0]]);
  });

  it('numbers components by their first voxel when arms meet later (a U and a W)', () => {
    // 1 . 2 . 3      1 . 1 . 1
    // 1 . 2 . 3  ->  1 . 1 . 1
    // 1 1 1 1 1      1 1 1 1 1   with a lone voxel after it numbered 2
    const rows = ['x.x.x', 'x.x.x', 'xxxxx', '.....', '..x..'];
    const mask = new Uint8Array(rows.join('').split('').map((c) => (c === 'x' ? 1 : 0)));
    const [n, labels] = label(mask, [1, 5, 5], 4);
    expect(n).toBe(2);
    expect(labels.slice(0, 15).every((l, i) => l === (mask[i] ? 1 : 0))).toBe(true);
    expect(labels[22]).toBe(2);
  });

  it('joins arms that meet in a later slice, numbering an earlier lone voxel after them', () => {
    // z = 0: 1 . 2 . 1    z = 1: 1 . . . 1    z = 2: 1 1 1 1 1   (shape [3, 1, 5], 6-connected)
    const shape: Shape3 = [3, 1, 5];
    const mask = maskOf(shape, [0, 0, 0], [0, 0, 2], [0, 0, 4], [1, 0, 0], [1, 0, 4], [2, 0, 0], [2, 0, 1], [2, 0, 2], [2, 0, 3], [2, 0, 4]);
    expect(label(mask, shape, 6)).toEqual([2, [1, 0, 2, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1]]);
  });

  it('climbs a staircase in z with 6 only when its steps share faces', () => {
    const shape: Shape3 = [3, 1, 3];
    expect(label(maskOf(shape, [0, 0, 0], [1, 0, 0], [1, 0, 1], [2, 0, 1], [2, 0, 2]), shape, 6)[0]).toBe(1);
    const diagonal = maskOf(shape, [0, 0, 0], [1, 0, 1], [2, 0, 2]);
    expect(label(diagonal, shape, 6)[0]).toBe(3);
    expect(label(diagonal, shape, 18)[0]).toBe(1);
  });

  it('labels a 3D checkerboard as one component with 18 and 26 and one per voxel with 6', () => {
    const shape: Shape3 = [4, 5, 6];
    const mask = new Uint8Array(voxelCount(shape));
    for (let i = 0, z = 0; z < 4; z++) for (let y = 0; y < 5; y++) for (let x = 0; x < 6; x++, i++) mask[i] = (x + y + z) % 2;
    expect(label(mask, shape, 6)[0]).toBe(60);
    expect(label(mask, shape, 18)[0]).toBe(1);
    expect(label(mask, shape, 26)[0]).toBe(1);
  });

  it('gives 0 components on an empty mask and 1 on a full one', () => {
    expect(label(new Uint8Array(24), [2, 3, 4], 26)).toEqual([0, new Array(24).fill(0)]);
    expect(label(new Uint8Array(24).fill(255), [2, 3, 4], 6)).toEqual([1, new Array(24).fill(1)]);
  });

  it('rejects short buffers and a bad connectivity', () => {
    expect(() => labelBlock(new Uint8Array(3), [1, 2, 2], 4, new Uint32Array(4))).toThrow(ConfigError);
    expect(() => labelBlock(new Uint8Array(4), [1, 2, 2], 5 as Connectivity, new Uint32Array(4))).toThrow(/connectivity must be 4 or 8/);
  });
});

describe('normalizeConnectivity', () => {
  it('maps like generate_binary_structure(rank, c) with c clipped to the rank', () => {
    const flat: Shape3 = [1, 5, 5];
    const solid: Shape3 = [2, 5, 5];
    expect(CONNECTIVITIES.map((c) => normalizeConnectivity(flat, c))).toEqual([4, 8, 4, 8, 8]);
    expect(CONNECTIVITIES.map((c) => normalizeConnectivity(solid, c))).toEqual([6, 18, 6, 18, 26]);
  });
});

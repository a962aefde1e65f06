/**
 * Parity of the native kernels with their TypeScript twins: identical outputs and return values on the
 * same random inputs, for every dtype, connectivity and odd block shape. Without the addon every test
 * here is skipped under a name that says so, never passed.
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';

import { ConfigError } from '../../core/index.js';
import { allocate, DTYPES } from '../../imaging/dtype.js';
import { type Connectivity, labelScratchLength } from '../../imaging/kernels/index.js';
import { type Shape3, voxelCount } from '../../imaging/volume.js';
import { backends, kernels, typescriptKernels as ts } from '../../imaging/kernels/dispatch.js';
import { randomMask, randomVolume } from '../imaging/kernels/fixtures.js';
import { itNative, oddShape, sharedCopy, volumeWithNaN } from './native-fixtures.js';

const CONNECTIVITIES: readonly Connectivity[] = [4, 8, 6, 18, 26];

describe('native kernels', () => {
  itNative('are the backend of threshold and labelBlock', () => {
    expect(backends()).toMatchObject({ threshold: 'native', labelBlock: 'native' });
  });
});

describe('native threshold', () => {
  const bound = fc.oneof(
    fc.constant(null),
    fc.double({ min: -5e9, max: 5e9, noNaN: true }),
    fc.integer({ min: -40000, max: 70000 }),
    fc.constantFrom(-Infinity, Infinity, NaN, 0, 0.5),
  );

  itNative('matches TypeScript for every dtype, bound and odd shape, NaN voxels included', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DTYPES), oddShape, fc.integer(), fc.constantFrom(0, 3, 50), bound, bound, (dtype, shape, seed, levels, above, below) => {
        fc.pre(above !== null || below !== null);
        const src = volumeWithNaN(dtype, shape, seed, levels);
        const want = new Uint8Array(src.length).fill(7);
        const got = new Uint8Array(src.length).fill(9);
        expect(kernels.threshold(src, above, below, got)).toBe(ts.threshold(src, above, below, want));
        expect(got).toEqual(want);
      }),
      { numRuns: 700 },
    );
  });

  itNative('decides voxels next to a bound the way TypeScript does, at the type limits and between floats', () => {
    const f32Step = (v: number, up: boolean) => {
      const b = new Float32Array([v]);
      const i = new Int32Array(b.buffer);
      i[0] = i[0]! + ((v >= 0) === up ? 1 : -1);
      return b[0]!;
    };
    const near = [0.1, -0.1, 1 / 3, 300.5, 1e-40, -1e-45, 3.4028234663852886e38, 3.5e38, -3.5e38, 1e300, 2 ** 24 + 1];
    const bounds = [...near, 0, -0, 0.5, -0.5, 255, 255.5, 256, -1, -1.5, 65535.5, 32767.5, -32768.5, 2 ** 31 - 0.5, -(2 ** 31) - 0.5, 2 ** 32 - 0.5, 2 ** 32, Infinity, -Infinity, NaN];
    const values = [...near.flatMap((v) => [Math.fround(v), f32Step(Math.fround(v), true), f32Step(Math.fround(v), false), v]), 0, -0, 1, -1, 255, 256, 65535, -32768, 32767, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1, Infinity, -Infinity, NaN];
    for (const dtype of DTYPES) {
      const src = allocate(dtype, values.length);
      for (let i = 0; i < values.length; i++) src[i] = values[i]!;
      for (const above of [null, ...bounds]) {
        for (const below of [null, ...bounds]) {
          if (above === null && below === null) continue;
          const want = new Uint8Array(src.length);
          const got = new Uint8Array(src.length);
          expect(kernels.threshold(src, above, below, got), `${dtype} (${above}, ${below})`).toBe(ts.threshold(src, above, below, want));
          expect(Array.from(got), `${dtype} (${above}, ${below})`).toEqual(Array.from(want));
        }
      }
    }
  });

  itNative('reads SharedArrayBuffer-backed views at an offset in place', () => {
    for (const dtype of DTYPES) {
      const src = randomVolume(dtype, [3, 5, 7], 11, 20);
      const want = new Uint8Array(src.length);
      const n = ts.threshold(src, 100, null, want);
      const out = sharedCopy(new Uint8Array(src.length), 5);
      expect(kernels.threshold(sharedCopy(src), 100, null, out), dtype).toBe(n);
      expect(Array.from(out), dtype).toEqual(Array.from(want));
    }
  });

  itNative('rejects a short out with the TypeScript error', () => {
    expect(() => kernels.threshold(new Uint16Array(4), 1, null, new Uint8Array(3))).toThrow(ConfigError);
    expect(() => kernels.threshold(new Uint16Array(4), null, null, new Uint8Array(4))).toThrow(/needs `above`, `below` or both/);
  });

  itNative('matches TypeScript on masks past the streaming-store size (8 Mi voxels), written at an unaligned offset', () => {
    for (const dtype of ['u16', 'f32'] as const) {
      const src = volumeWithNaN(dtype, [1, 1, (8 << 20) + 37], 5, 0);
      const want = new Uint8Array(src.length);
      const got = sharedCopy(new Uint8Array(src.length).fill(3), 5);
      expect(kernels.threshold(src, 100, 60000, got), dtype).toBe(ts.threshold(src, 100, 60000, want));
      const diff = got.findIndex((v, i) => v !== want[i]);
      expect(diff, `${dtype}: first differing voxel`).toBe(-1);
    }
  });

  itNative('matches TypeScript on a 64^3 f32 block', () => {
    const src = volumeWithNaN('f32', [64, 64, 64], 3, 0);
    const want = new Uint8Array(src.length);
    const got = new Uint8Array(src.length);
    expect(kernels.threshold(src, -200, 300, got)).toBe(ts.threshold(src, -200, 300, want));
    expect(got).toEqual(want);
  });
});

describe('native labelBlock', () => {
  itNative('matches TypeScript for every connectivity, density and odd shape', () => {
    fc.assert(
      fc.property(oddShape, fc.constantFrom(...CONNECTIVITIES), fc.integer(), fc.constantFrom(0, 0.2, 0.5, 0.8, 1), fc.boolean(), (shape, connectivity, seed, density, withScratch) => {
        const mask = randomMask(shape, seed, density);
        const count = voxelCount(shape);
        const want = new Uint32Array(count).fill(77);
        const got = new Uint32Array(count).fill(99);
        const scratch = withScratch ? new Uint32Array(labelScratchLength(shape) + 2).fill(123) : undefined;
        expect(kernels.labelBlock(mask, shape, connectivity, got, scratch)).toBe(ts.labelBlock(mask, shape, connectivity, want));
        expect(got).toEqual(want);
      }),
      { numRuns: 1500 },
    );
  });

  itNative('matches TypeScript on larger blocks of every density, where rows switch between the sparse and dense scans', () => {
    const shape3 = fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 40 }));
    fc.assert(
      fc.property(shape3, fc.constantFrom(...CONNECTIVITIES), fc.integer(), fc.constantFrom(0.02, 0.1, 0.2, 0.35, 0.6, 0.95), (shape, connectivity, seed, density) => {
        const mask = randomMask(shape, seed, density);
        const want = new Uint32Array(mask.length);
        const got = new Uint32Array(mask.length);
        expect(kernels.labelBlock(mask, shape, connectivity, got)).toBe(ts.labelBlock(mask, shape, connectivity, want));
        expect(got).toEqual(want);
      }),
      { numRuns: 400 },
    );
  });

  itNative('matches TypeScript for every pattern of the visited neighbours of a voxel (each decision of the scan)', () => {
    // The centre of a 3^3 (3 x 3) block comes after 13 (4) voxels in raster order: its visited half.
    const cases = [{ shape: [3, 3, 3] as Shape3, centre: 13 }, { shape: [1, 3, 3] as Shape3, centre: 4 }];
    for (const { shape, centre } of cases) {
      for (const c of CONNECTIVITIES) {
        for (let pattern = 0; pattern < 1 << centre; pattern++) {
          const mask = new Uint8Array(voxelCount(shape));
          mask[centre] = 1;
          for (let k = 0; k < centre; k++) mask[k] = (pattern >> k) & 1;
          const want = new Uint32Array(mask.length);
          const got = new Uint32Array(mask.length);
          const n = ts.labelBlock(mask, shape, c, want);
          if (kernels.labelBlock(mask, shape, c, got) !== n || got.some((v, i) => v !== want[i])) {
            expect.fail(`shape [${shape.join(', ')}], connectivity ${c}, pattern ${pattern.toString(2)}: got [${got.join(', ')}], expected [${want.join(', ')}]`);
          }
        }
      }
    }
  });

  itNative('treats any non-zero mask byte as foreground', () => {
    const mask = Uint8Array.from(randomMask([4, 6, 5], 9, 0.5), (v, i) => v * (1 + (i % 255)));
    for (const c of CONNECTIVITIES) {
      const want = new Uint32Array(mask.length);
      const got = new Uint32Array(mask.length);
      expect(kernels.labelBlock(mask, [4, 6, 5], c, got)).toBe(ts.labelBlock(mask, [4, 6, 5], c, want));
      expect(got).toEqual(want);
    }
  });

  itNative('labels SharedArrayBuffer-backed views at an offset in place', () => {
    const shape: Shape3 = [5, 7, 9];
    const mask = randomMask(shape, 4, 0.45);
    const want = new Uint32Array(mask.length);
    const n = ts.labelBlock(mask, shape, 26, want);
    const out = sharedCopy(new Uint32Array(mask.length), 2);
    const scratch = sharedCopy(new Uint32Array(labelScratchLength(shape)), 1);
    expect(kernels.labelBlock(sharedCopy(mask), shape, 26, out, scratch)).toBe(n);
    expect(Array.from(out)).toEqual(Array.from(want));
  });

  itNative('matches TypeScript on 64^3 random blocks (deep union-find chains)', () => {
    const shape: Shape3 = [64, 64, 64];
    for (const [c, density] of [[26, 0.3], [18, 0.4], [6, 0.5], [26, 0.5], [26, 0.08], [18, 0.15], [6, 0.7]] as const) {
      const mask = randomMask(shape, c, density);
      const want = new Uint32Array(mask.length);
      const got = new Uint32Array(mask.length);
      expect(kernels.labelBlock(mask, shape, c, got)).toBe(ts.labelBlock(mask, shape, c, want));
      expect(got).toEqual(want);
    }
  });

  itNative('rejects bad arguments with the TypeScript errors', () => {
    const mask = new Uint8Array(8);
    expect(() => kernels.labelBlock(mask, [2, 2, 2], 26, new Uint32Array(7))).toThrow(ConfigError);
    expect(() => kernels.labelBlock(mask, [2, 2, 2], 7 as Connectivity, new Uint32Array(8))).toThrow(/connectivity must be/);
    expect(() => kernels.labelBlock(mask, [2, 0, 2], 6, new Uint32Array(8))).toThrow(/shape must be three positive integers/);
    expect(() => kernels.labelBlock(mask, [2, 2, 2], 6, new Uint32Array(8), new Uint32Array(1))).toThrow(/scratch holds 1 entries/);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kernels, typescriptKernels } from '../../../imaging/kernels/dispatch.js';
import type { LabelArray } from '../../../imaging/kernels/index.js';

type Make = (n: number) => LabelArray;
const TYPES: [string, Make, number][] = [
  ['u8', (n) => new Uint8Array(n), 255],
  ['u16', (n) => new Uint16Array(n), 65535],
  ['u32', (n) => new Uint32Array(n), 2 ** 32 - 1],
];

/** The reference: every voxel, one at a time. */
function reference(src: LabelArray, table: Uint32Array | null, out: LabelArray): number[] {
  const r = Array.from(out);
  for (let i = 0; i < src.length; i++) if (src[i] !== 0) r[i] = table === null ? (src[i] as number) : (table[src[i] as number] as number);
  return r;
}

describe('mapLabels (native and TypeScript against a per-voxel reference)', () => {
  for (const [name, make, max] of TYPES) {
    it(`maps ${name} labels through a table into u32, and copies them into ${name} without one, for sparse and dense blocks`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 1, max: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), (n, labels, density, seed) => {
          let s = seed >>> 0 || 1;
          const next = () => ((s = (s * 1103515245 + 12345) >>> 0), s / 2 ** 32);
          const src = make(n + 3).subarray(3); // an offset view: not 4-byte aligned for u8
          for (let i = 0; i < src.length; i++) src[i] = next() < density ? 1 + Math.floor(next() * Math.min(labels, max)) : 0;
          // Runs of background long enough to skip whole chunks.
          for (let i = 0; i < src.length; i += 97) src.fill(0, i, Math.min(src.length, i + 40));
          const table = Uint32Array.from({ length: Math.min(labels, max) + 1 }, (_, l) => (l === 0 ? 0 : 1000 + 3 * l));
          for (const k of [kernels, typescriptKernels]) {
            const out = new Uint32Array(src.length);
            expect(Array.from(k.mapLabels(src, table, out))).toEqual(reference(src, table, new Uint32Array(src.length)));
            const copy = make(src.length);
            expect(Array.from(k.mapLabels(src, null, copy))).toEqual(Array.from(src));
          }
        }),
        { numRuns: 60 },
      );
    });
  }

  it('writes foreground only: what the output held at background voxels stays (so it must be zeroed first)', () => {
    const src = new Uint16Array(200);
    src[5] = 2;
    src[150] = 1;
    for (const k of [kernels, typescriptKernels]) {
      const out = new Uint32Array(200).fill(9);
      k.mapLabels(src, Uint32Array.of(0, 4, 6), out);
      expect(out[5]).toBe(6);
      expect(out[150]).toBe(4);
      expect(out[0]).toBe(9);
      expect(out[199]).toBe(9);
    }
  });

  it('refuses a label past the table and an output shorter than the input, on both backends', () => {
    for (const k of [kernels, typescriptKernels]) {
      expect(() => k.mapLabels(Uint8Array.of(0, 3), Uint32Array.of(0, 1, 2), new Uint32Array(2))).toThrow(/label 3 is past the table's 3 entries/);
      expect(() => k.mapLabels(new Uint8Array(10), null, new Uint32Array(4))).toThrow(/out has 4 elements, src 10/);
    }
  });
});

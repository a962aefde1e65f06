/**
 * The known-answer phantom: labeling it gives exactly the components its pattern says, for every
 * connectivity and for block shapes that cut objects anywhere (and along block edges), and its
 * counts agree with a brute-force scan of the generated voxels.
 */
import { describe, expect, it } from 'vitest';
import { type Context, KNOWN_FOREGROUND, knownComponents, type ShapeRow } from '../../index.js';
import { contextPerFile } from '../helpers/context.js';

let ctx: Context;
contextPerFile({ master: 'local[2]' }, (c) => (ctx = c));

function close(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => Math.abs(v - (b[i] as number)) < 1e-9 * Math.max(1, Math.abs(v)));
}

describe('known-answer phantom', () => {
  it('has as many foreground voxels as its components say (brute force over the generated image)', async () => {
    const shape: [number, number, number] = [40, 70, 67];
    const vol = await ctx.images.synthetic({ kind: 'known', shape, blockShape: [16, 32, 32] }).toArray();
    let fg = 0;
    for (const v of vol.data) if (v === KNOWN_FOREGROUND) fg++;
    expect(fg).toBe(knownComponents(shape).reduce((n, c) => n + c.voxels, 0));
  });

  for (const [shape, blockShape, connectivity] of [
    [[40, 70, 67], [16, 32, 32], 26],
    [[40, 70, 67], [13, 17, 29], 6],
    [[33, 65, 96], [32, 32, 32], 18],
    [[70, 33, 40], [70, 33, 40], 26],
  ] as const) {
    it(`labels ${shape.join('x')} in blocks ${blockShape.join('x')} (${connectivity}-connected) exactly as the pattern says`, async () => {
      const img = ctx.images.synthetic({ kind: 'known', shape: [...shape], blockShape: [...blockShape] });
      const labels = img.threshold({ above: 500 }).labelComponents({ connectivity, intensity: img });
      const expected = knownComponents([...shape]);
      expect(await labels.componentCount()).toBe(expected.length);
      const rows: ShapeRow[] = await labels.shapeStats();
      expect(rows.map((r) => r.voxels)).toEqual(expected.map((c) => c.voxels));
      for (const [i, r] of rows.entries()) {
        const c = expected[i]!;
        expect(close(r.centroid, c.centroid), `centroid of ${r.label}: ${r.centroid} vs ${c.centroid}`).toBe(true);
        expect([r.bboxMin, r.bboxMax]).toEqual([c.bboxMin, c.bboxMax]);
        expect(r.meanIntensity).toBe(KNOWN_FOREGROUND);
      }
    });
  }

  it('has a network spanning every block and objects that cross block faces and edges', () => {
    const comps = knownComponents([256, 256, 256]);
    const network = comps.reduce((a, b) => (b.voxels > a.voxels ? b : a));
    expect(network.bboxMin).toEqual([0, 0, 0]);
    expect(network.bboxMax).toEqual([255, 255, 255]);
    // x-rods straddle y = z = 128 (a block edge for 128^3 blocks) and run the whole x extent.
    expect(comps.some((c) => c.bboxMin[0] === 0 && c.bboxMax[0] === 255 && c.bboxMin[1] === 127 && c.bboxMax[1] === 129 && c.bboxMin[2] === 127)).toBe(true);
    expect(comps.length).toBeGreaterThan(500);
  });
});

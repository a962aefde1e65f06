/** What shapeStats measures when no intensity image is given. */
import { describe, expect, it } from 'vitest';
import type { Context } from '../../index.js';
import { contextPerFile } from '../helpers/context.js';

let ctx: Context;
contextPerFile({ master: 'local[2]' }, (c) => (ctx = c));

describe('shapeStats without an intensity image', () => {
  for (const method of ['blocks', 'propagate'] as const) {
    it(`of a thresholded image measures the image that was thresholded (${method})`, async () => {
      const img = ctx.images.synthetic({ kind: 'blobs', shape: [40, 48, 48], seed: 4, blockShape: [20, 24, 24] });
      const byDefault = await img.threshold({ above: 400 }).labelComponents({ method }).shapeStats();
      const explicit = await img.threshold({ above: 400 }).labelComponents({ method, intensity: img }).shapeStats();
      expect(byDefault.length).toBeGreaterThan(0);
      expect(byDefault).toEqual(explicit);
      expect(byDefault.every((r) => r.meanIntensity > 400)).toBe(true);
    });
  }

  it('of a mask that was not thresholded here measures the mask (mean 1)', async () => {
    const mask = ctx.images.fromArray(new Uint8Array(27).fill(1), [3, 3, 3]);
    const [row] = await mask.labelComponents().shapeStats();
    expect(row?.meanIntensity).toBe(1);
  });
});

/** A fused task computes a region of an image once even when two consumers read it (the mask and the intensity of labeling). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '../../index.js';

let ctx: Context;
beforeAll(async () => {
  ctx = await Context.create({ master: 'local[2]' });
});
afterAll(async () => ctx.stop());

describe('region memo', () => {
  it('filters each block once in the labeling block pass although mask and intensity both read the filter', async () => {
    const shape: [number, number, number] = [24, 32, 40];
    const img = ctx.images.synthetic({ kind: 'blobs', shape, seed: 2, blockShape: [12, 16, 20] });
    const filtered = img.boxFilter(1);
    const labels = filtered.threshold({ above: 400 }).labelComponents({ connectivity: 26, intensity: filtered });
    let filteredVoxels = 0;
    const off = ctx.on('taskEnd', (e) => void (filteredVoxels += e.metrics?.['voxels:image.boxFilter'] ?? 0));
    const count = await labels.componentCount();
    off();
    expect(count).toBeGreaterThan(0);
    expect(filteredVoxels).toBe(shape[0] * shape[1] * shape[2]);
    // And the answer is the one computed from a cached filter, where nothing is recomputed.
    const cached = img.boxFilter(1).cache();
    const reference = cached.threshold({ above: 400 }).labelComponents({ connectivity: 26, intensity: cached });
    expect(await labels.shapeStats()).toEqual(await reference.shapeStats());
  });
});

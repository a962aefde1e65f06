import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, DTYPES, type Axis, type DType, type Vec3 } from '../../../index.js';
import { randomVolume, seed, shape3d, withBlocks } from '../helpers.js';

/** The plane of a plain C-order array: a slice (index) or the NaN-skipping maximum (null) along `axis`. */
function modelPlane(data: ArrayLike<number>, shape: Vec3, axis: Axis, index: number | null): { rows: number; cols: number; values: number[] } {
  const a = { z: 0, y: 1, x: 2 }[axis];
  const [ra, ca] = a === 0 ? [1, 2] : a === 1 ? [0, 2] : [0, 1];
  const rows = shape[ra]!, cols = shape[ca]!;
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let best = NaN;
      for (let k = index ?? 0; k <= (index ?? shape[a]! - 1); k++) {
        const p: number[] = [0, 0, 0];
        p[a] = k; p[ra] = r; p[ca] = c;
        const v = data[(p[0]! * shape[1] + p[1]!) * shape[2] + p[2]!] as number;
        if (Number.isNaN(best) || v > best) best = v;
      }
      values.push(best);
    }
  }
  return { rows, cols, values };
}

let ctx: Context;
let threads: Context;
beforeAll(async () => {
  ctx = await Context.create({ master: 'local' });
  threads = await Context.create({ master: 'local[2]' });
});
afterAll(async () => {
  await ctx.stop();
  await threads.stop();
});

describe('slice and mip', () => {
  it('equal the plain-array model for every dtype, axis and odd block shape', async () => {
    await fc.assert(
      fc.asyncProperty(withBlocks(shape3d), fc.constantFrom(...DTYPES), fc.constantFrom<Axis>('z', 'y', 'x'), seed, fc.double({ min: 0, max: 1, noNaN: true }), async ({ shape, blockShape }, dtype, axis, s, where) => {
        const data = randomVolume(dtype as DType, shape, s);
        if (dtype === 'f32' || dtype === 'f64') data[s % data.length] = NaN;
        const img = ctx.images.fromArray(data, shape, { blockShape });
        const a = { z: 0, y: 1, x: 2 }[axis];
        const index = Math.min(shape[a]! - 1, Math.floor(where * shape[a]!));
        for (const [p, m] of [[await img.slice(index, { axis }), modelPlane(data, shape, axis, index)], [await img.mip(axis), modelPlane(data, shape, axis, null)]] as const) {
          expect([p.height, p.width]).toEqual([m.rows, m.cols]);
          expect(Array.from(p.data)).toEqual(m.values);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a slice runs only the blocks that cut the plane', async () => {
    const shape: Vec3 = [16, 8, 8];
    const img = threads.images.fromArray(randomVolume('u16', shape, 3), shape, { blockShape: [4, 8, 8] });
    const tasks: number[] = [];
    const off = threads.on('taskEnd', (e) => tasks.push(e.partition));
    await img.slice(9);
    off();
    expect(tasks).toEqual([2]);
  });

  it('refuses an index outside the image and an unknown axis, naming them', async () => {
    const img = ctx.images.fromArray(new Uint8Array(24), [2, 3, 4]);
    await expect(img.slice(2)).rejects.toThrow(/slice index 2 is outside the image: z runs from 0 to 1/);
    await expect(img.slice(0, { axis: 'w' as Axis })).rejects.toThrow(/axis must be 'z', 'y' or 'x'/);
  });
});

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

describe('histogram', () => {
  it('counts like the plain model: half-open bins, last one closed, NaN and outside apart', async () => {
    const data = new Float32Array([0, 1, 2, 3, 4, NaN, 10, -1, 4, 2.5]);
    const img = threads.images.fromArray(data, [1, 2, 5], { blockShape: [1, 1, 3] });
    const h = await img.histogram({ bins: 4, range: [0, 4] });
    expect(Array.from(h.edges)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(h.counts)).toEqual([1, 1, 2, 3]);
    expect(h.nan).toBe(1);
    expect(h.outside).toBe(2);
    const auto = await img.histogram({ bins: 2 });
    expect([auto.edges[0], auto.edges[2]]).toEqual([-1, 10]);
    expect(Array.from(auto.counts)).toEqual([8, 1]);
  });

  it('puts a constant image in the middle bin, as numpy does', async () => {
    const img = ctx.images.fromArray(new Uint16Array(27).fill(7), [3, 3, 3]);
    const h = await img.histogram({ bins: 3 });
    expect(Array.from(h.edges)).toEqual([6.5, 6.5 + 1 / 3, 6.5 + 2 / 3, 7.5]);
    expect(Array.from(h.counts)).toEqual([0, 27, 0]);
  });

  it('refuses bad bins and ranges', async () => {
    const img = ctx.images.fromArray(new Uint8Array(8), [2, 2, 2]);
    await expect(img.histogram({ bins: 0 })).rejects.toThrow(/bins must be a whole number >= 1/);
    await expect(img.histogram({ range: [3, 1] })).rejects.toThrow(/range must be \[low, high\]/);
  });

  it.skipIf(!hasNumpy)('equals numpy.histogram bin for bin (needs python3 with numpy)', async () => {
    const shape: Vec3 = [9, 11, 13];
    for (const [dtype, bins] of [['f32', 37], ['u16', 256], ['i16', 10], ['f64', 7]] as const) {
      const data = randomVolume(dtype, shape, 11);
      const img = threads.images.fromArray(data, shape, { blockShape: [4, 5, 6] });
      const h = await img.histogram({ bins });
      const r = spawnSync('python3', ['-c', `import sys, json, numpy as np; a = np.array(json.load(sys.stdin), dtype=np.${{ f32: 'float32', u16: 'uint16', i16: 'int16', f64: 'float64' }[dtype]}); c, e = np.histogram(a, bins=${bins}); print(json.dumps([c.tolist(), e.tolist()]))`], {
        input: JSON.stringify(Array.from(data)),
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      const [counts, edges] = JSON.parse(r.stdout) as [number[], number[]];
      expect(Array.from(h.counts)).toEqual(counts);
      // numpy keeps float32 edges for float32 data; ours are float64.
      h.edges.forEach((e, i) => expect(Math.abs(e - edges[i]!)).toBeLessThanOrEqual(dtype === 'f32' ? 1e-5 * Math.max(1, Math.abs(e)) : 0));
    }
  });
});

/**
 * The imaging operators against scipy.ndimage on the seeded phantoms (blobs and porous bone, odd
 * block shapes): `label` with generate_binary_structure(3, 1 | 2 | 3) voxel for voxel, `uniform_filter`
 * in every mode, `center_of_mass` and `mean` per label. The phantoms go to python3 as `.npy` files
 * written by `writeImage`; scipy's volumes come back as `.npy` (read with `readImage`), per-label
 * numbers as JSON (Python's float repr round-trips exactly). Where python3, numpy or scipy is
 * missing, every test here is reported as skipped with what is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Context, readImage, writeImage, type ImageRDD, type Vec3 } from '../../index.js';
import { forMasters } from '../helpers/model.js';
import { expectVolumeClose, expectVolumeEqual } from './helpers.js';

/** What is missing for the comparisons ("python3", "numpy" or "scipy"), or null. */
function scipyMissing(): string | null {
  for (const [what, code] of [['python3', 'pass'], ['numpy', 'import numpy'], ['scipy', 'import scipy.ndimage']] as const) {
    const r = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
    if (r.error !== undefined || r.status !== 0) return what;
  }
  return null;
}

const SHAPE: Vec3 = [40, 48, 56];
/** Each phantom, its threshold, and a block shape that divides no axis. */
const PHANTOMS = [
  { kind: 'blobs', seed: 3, mask: { above: 400 }, blockShape: [9, 13, 17] as Vec3, radii: [1, 2] },
  { kind: 'bone', seed: 5, mask: { below: 500 }, blockShape: [16, 11, 10] as Vec3, radii: [1] },
] as const;
const MODES = ['constant', 'nearest', 'reflect'] as const;
const CONNECTIVITY = { 1: 6, 2: 18, 3: 26 } as const;

const SCRIPT = `
import json, sys
import numpy as np
from scipy import ndimage as ndi
folder, names = sys.argv[1], sys.argv[2:]
out = {}
for name in names:
    spec = json.load(open(f'{folder}/{name}.json'))
    x = np.load(f'{folder}/{name}.npy')
    mask = x > spec['above'] if 'above' in spec else x < spec['below']
    for c in (1, 2, 3):
        labels, n = ndi.label(mask, structure=ndi.generate_binary_structure(3, c))
        np.save(f'{folder}/{name}-label{c}.npy', labels.astype(np.uint32))
        out[f'{name}-label{c}'] = int(n)
        if c == 3:
            index = np.arange(1, n + 1)
            out[f'{name}-com'] = [list(map(float, p)) for p in ndi.center_of_mass(np.ones(x.shape), labels, index)]
            out[f'{name}-mean'] = list(map(float, ndi.mean(x.astype(np.float64), labels, index)))
    for r in spec['radii']:
        for mode in ('constant', 'nearest', 'reflect'):
            f = ndi.uniform_filter(x.astype(np.float32), 2 * r + 1, mode=mode, cval=0.0)
            np.save(f'{folder}/{name}-box{r}-{mode}.npy', f)
json.dump(out, open(f'{folder}/out.json', 'w'))
`;

const missing = scipyMissing();
let folder = '';
let numbers: Record<string, number | number[] | number[][]> = {};

beforeAll(async () => {
  if (missing !== null) {
    console.warn(`scipy comparisons skipped: ${missing} is missing (python3 -c 'import numpy, scipy' must work)`);
    return;
  }
  folder = mkdtempSync(join(tmpdir(), 'voxelflow-scipy-'));
  const ctx = await Context.create({ master: 'local' });
  try {
    for (const p of PHANTOMS) {
      const volume = await ctx.images.synthetic({ kind: p.kind, shape: SHAPE, seed: p.seed }).toArray();
      writeImage(join(folder, `${p.kind}.npy`), volume);
      writeFileSync(join(folder, `${p.kind}.json`), JSON.stringify({ ...p.mask, radii: p.radii }));
    }
  } finally {
    await ctx.stop();
  }
  const r = spawnSync('python3', ['-c', SCRIPT, folder, ...PHANTOMS.map((p) => p.kind)], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`python3 failed (${r.status ?? r.signal}): ${r.stderr}`);
  numbers = JSON.parse(readFileSync(join(folder, 'out.json'), 'utf8')) as typeof numbers;
}, 120_000);

afterAll(() => {
  if (folder !== '') rmSync(folder, { recursive: true, force: true });
});

/** Skips the calling test, saying what is missing. */
function needScipy(skip: (note?: string) => never): void {
  if (missing !== null) skip(`scipy comparison skipped: ${missing} is missing`);
}

forMasters((ctx) => {
  const image = (p: (typeof PHANTOMS)[number]): ImageRDD => ctx().images.synthetic({ kind: p.kind, shape: SHAPE, seed: p.seed, blockShape: p.blockShape });

  for (const p of PHANTOMS) {
    describe(`${p.kind} phantom ${SHAPE.join('x')}, blocks ${p.blockShape.join('x')}`, () => {
      for (const c of [1, 2, 3] as const) {
        it(`labelComponents(${CONNECTIVITY[c]}) equals ndimage.label with generate_binary_structure(3, ${c})`, async ({ skip }) => {
          needScipy(skip);
          const labels = image(p).threshold(p.mask).labelComponents({ connectivity: CONNECTIVITY[c] });
          const expected = readImage(join(folder, `${p.kind}-label${c}.npy`));
          expect(await labels.componentCount()).toBe(numbers[`${p.kind}-label${c}`]);
          expect(numbers[`${p.kind}-label${c}`] as number).toBeGreaterThan(3);
          expectVolumeEqual(await labels.toArray(), expected.data, SHAPE, `${p.kind} labels, connectivity ${CONNECTIVITY[c]}`);
        });
      }

      for (const r of p.radii) {
        it(`boxFilter(${r}) equals uniform_filter(size ${2 * r + 1}) in every mode`, async ({ skip }) => {
          needScipy(skip);
          for (const mode of MODES) {
            const expected = readImage(join(folder, `${p.kind}-box${r}-${mode}.npy`));
            expectVolumeClose(await image(p).boxFilter(r, { mode }).toArray(), expected.data, SHAPE, 1e-5, 1e-6, `${p.kind} box ${r} ${mode}`);
          }
        });
      }

      it('shapeStats centroids and mean intensities equal center_of_mass and mean, per label', async ({ skip }) => {
        needScipy(skip);
        const img = image(p);
        const rows = await img.threshold(p.mask).labelComponents({ connectivity: 26, intensity: img }).shapeStats();
        const com = numbers[`${p.kind}-com`] as number[][];
        const mean = numbers[`${p.kind}-mean`] as number[];
        expect(rows.length).toBe(com.length);
        const rel = (a: number, e: number) => Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e));
        rows.forEach((row, k) => {
          const [z, y, x] = com[k] as [number, number, number]; // scipy is (z, y, x)
          const ok = rel(row.centroid[0], x) && rel(row.centroid[1], y) && rel(row.centroid[2], z) && rel(row.meanIntensity, mean[k]!);
          if (!ok) expect.fail(`label ${row.label}: centroid ${row.centroid} mean ${row.meanIntensity}; scipy (x,y,z) ${[x, y, z]} mean ${mean[k]}`);
        });
      });
    });
  }
});

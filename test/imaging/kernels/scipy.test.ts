/**
 * The kernels against scipy.ndimage itself (uniform_filter, label, center_of_mass, mean), when python3
 * with numpy and scipy is on the machine; otherwise every test here is reported as skipped with what is
 * missing.
 */
import { beforeAll, describe, expect, it } from 'vitest';

import type { TypedArray } from '../../../imaging/dtype.js';
import { BOX_FILTER_MODES, boxFilter, haloBox, labelBlock, labelStats, shapeFromPartials } from '../../../imaging/kernels/index.js';
import { type Shape3, voxelCount } from '../../../imaging/volume.js';
import { cropBox, expectClose, expectSame, randomMask, randomVolume, rng } from './fixtures.js';
import { runScipy, type ScipyJob, scipyMissing } from './scipy.js';

const ORIGIN = [0, 0, 0] as const;

/** Uniform values in [-1, 1) as float32, so that np.allclose's atol of 1e-6 is meaningful. */
function unitVolume(shape: Shape3, seed: number): Float32Array {
  const next = rng(seed);
  return Float32Array.from({ length: voxelCount(shape) }, () => 2 * next() - 1);
}

interface FilterCase {
  name: string;
  img: TypedArray;
  shape: Shape3;
  radii: number[];
}

const FILTER_CASES: FilterCase[] = [
  { name: 'u16 3D', img: randomVolume('u16', [9, 11, 13], 1), shape: [9, 11, 13], radii: [1, 2] },
  { name: 'f32 3D', img: unitVolume([7, 8, 9], 2), shape: [7, 8, 9], radii: [1, 2] },
  { name: 'u8 2D', img: randomVolume('u8', [1, 23, 19], 3), shape: [1, 23, 19], radii: [1, 2] },
  { name: 'i16 tiny (radius beyond the image)', img: randomVolume('i16', [2, 3, 4], 4), shape: [2, 3, 4], radii: [3, 5] },
  { name: 'f64 2D line', img: randomVolume('f64', [1, 1, 3], 5), shape: [1, 1, 3], radii: [1, 4] },
];

interface LabelCase {
  name: string;
  shape: Shape3;
  density: number;
  connectivity: 1 | 2 | 3;
}

const LABEL_CASES: LabelCase[] = [
  ...[0.3, 0.5].flatMap((density) => ([1, 2, 3] as const).map((connectivity) => ({ name: `3D, density ${density}`, shape: [20, 21, 22] as Shape3, density, connectivity }))),
  ...([1, 2] as const).map((connectivity) => ({ name: '2D, density 0.5', shape: [1, 64, 80] as Shape3, density: 0.5, connectivity })),
];

const missing = scipyMissing();
let results: ReturnType<typeof runScipy> = [];
const filterJobs = FILTER_CASES.flatMap((c) => BOX_FILTER_MODES.flatMap((mode) => c.radii.map((r) => ({ c, mode, r }))));
const labelMasks = LABEL_CASES.map((c, k) => randomMask(c.shape, 100 + k, c.density));
const statShapes: Shape3[] = [[16, 17, 18], [1, 40, 50]];
const statLabels = statShapes.map((shape, k) => {
  const labels = new Uint32Array(voxelCount(shape));
  const n = labelBlock(randomMask(shape, 200 + k, 0.3), shape, 26, labels);
  return { labels, n, intensity: randomVolume('u16', shape, 300 + k) };
});

beforeAll(() => {
  if (missing !== null) {
    console.warn(`scipy comparisons skipped: ${missing} is missing (python3 -c 'import numpy, scipy' must work)`);
    return;
  }
  const jobs: ScipyJob[] = [
    ...filterJobs.map(({ c, mode, r }): ScipyJob => ({ op: 'uniform', input: c.img, shape: c.shape, squeeze: true, size: 2 * r + 1, mode })),
    ...LABEL_CASES.map((c, k): ScipyJob => ({ op: 'label', input: labelMasks[k]!, shape: c.shape, squeeze: true, connectivity: c.connectivity })),
    ...statShapes.map((shape, k): ScipyJob => ({ op: 'centroids', input: statLabels[k]!.labels, shape, squeeze: true, intensity: statLabels[k]!.intensity })),
  ];
  results = runScipy(jobs);
});

/** Writes a C-order block of `shape` into `image` at `origin`. */
function pasteBox(block: Float32Array, shape: Shape3, image: Float32Array, imageShape: Shape3, origin: readonly [number, number, number]): void {
  let i = 0;
  for (let z = 0; z < shape[0]; z++) {
    for (let y = 0; y < shape[1]; y++) {
      const row = ((origin[0] + z) * imageShape[1] + origin[1] + y) * imageShape[2] + origin[2];
      for (let x = 0; x < shape[2]; x++) image[row + x] = block[i++]!;
    }
  }
}

function skipUnlessScipy(skip: (note?: string) => never): void {
  if (missing !== null) skip(`${missing} is missing`);
}

describe('boxFilter against scipy.ndimage.uniform_filter', () => {
  filterJobs.forEach(({ c, mode, r }, k) => {
    it(`${c.name}, ${mode}, radius ${r}`, ({ skip }) => {
      skipUnlessScipy(skip);
      const out = new Float32Array(voxelCount(c.shape));
      boxFilter(c.img, c.shape, ORIGIN, c.shape, ORIGIN, c.shape, r, mode, out);
      expectClose(out, results[k]![0]!.data, 1e-6, 1e-5);
    });
  });

  it('u16 3D, reflect, radius 2, assembled from 2 x 3 x 2 blocks with clipped halos', ({ skip }) => {
    skipUnlessScipy(skip);
    const { img, shape } = FILTER_CASES[0]!;
    const k = filterJobs.findIndex((j) => j.c === FILTER_CASES[0] && j.mode === 'reflect' && j.r === 2);
    const whole = new Float32Array(voxelCount(shape));
    const cuts = [[0, 4, 9], [0, 3, 7, 11], [0, 6, 13]] as const; // block edges on z, y, x of [9, 11, 13]
    for (let bz = 0; bz + 1 < cuts[0].length; bz++) {
      for (let by = 0; by + 1 < cuts[1].length; by++) {
        for (let bx = 0; bx + 1 < cuts[2].length; bx++) {
          const origin = [cuts[0][bz]!, cuts[1][by]!, cuts[2][bx]!] as const;
          const size = [cuts[0][bz + 1]! - origin[0], cuts[1][by + 1]! - origin[1], cuts[2][bx + 1]! - origin[2]] as const;
          const halo = haloBox(origin, size, shape, 2);
          const block = cropBox(img, shape, halo.origin, halo.shape, new Uint16Array(voxelCount(halo.shape)));
          const out = new Float32Array(voxelCount(size));
          boxFilter(block, halo.shape, halo.origin, shape, origin, size, 2, 'reflect', out);
          pasteBox(out, size, whole, shape, origin);
        }
      }
    }
    expectClose(whole, results[k]![0]!.data, 1e-6, 1e-5);
  });
});

describe('labelBlock against scipy.ndimage.label', () => {
  LABEL_CASES.forEach((c, k) => {
    it(`${c.name}, generate_binary_structure(rank, ${c.connectivity}): same labels, same numbering`, ({ skip }) => {
      skipUnlessScipy(skip);
      const [labels, n] = results[filterJobs.length + k]!;
      const out = new Uint32Array(voxelCount(c.shape));
      const connectivity = c.shape[0] === 1 ? ([4, 8, 8] as const)[c.connectivity - 1]! : ([6, 18, 26] as const)[c.connectivity - 1]!;
      expect(labelBlock(labelMasks[k]!, c.shape, connectivity, out)).toBe(n!.data[0]);
      expectSame(out, labels!.data);
    });
  });
});

describe('labelStats and shapeFromPartials against scipy.ndimage.center_of_mass and mean', () => {
  statShapes.forEach((shape, k) => {
    it(`${shape[0] === 1 ? '2D' : '3D'} components: centroids and mean intensities`, ({ skip }) => {
      skipUnlessScipy(skip);
      const { labels, n, intensity } = statLabels[k]!;
      const [com, mean] = results[filterJobs.length + LABEL_CASES.length + k]!;
      const p = labelStats(labels, n, shape, ORIGIN, shape, intensity);
      const dims = com!.shape[1]!;
      expect(com!.shape[0]).toBe(n);
      for (let l = 1; l <= n; l++) {
        const row = shapeFromPartials(p, l);
        const expected = Array.from(com!.data.subarray((l - 1) * dims, l * dims)).reverse(); // (z,) y, x -> x, y (, z)
        expectClose(row.centroid.slice(0, dims), expected, 1e-9, 1e-12, `label ${l} centroid axis`);
        expectClose([row.meanIntensity!], [mean!.data[l - 1]!], 1e-9, 1e-12, `label ${l} mean`);
      }
    });
  });
});

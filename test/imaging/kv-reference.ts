/**
 * The Spark Imaging Layer's key-value formulations, written with generic RDD operations on
 * `img.voxels()` (`[[x, y, z], value]` pairs) and turned back into images with `fromVoxels`: the
 * brute-force references the fast block operators are checked against. Every function shipped to
 * the executors is self-contained and takes what it needs through `env`.
 *
 * @example
 *   const expected = await kvBoxFilter(img, 1, 'constant').toArray();
 *   const actual = await img.boxFilter(1).toArray();
 */
import { ImageRDD, type Vec3 } from '../../index.js';

type P = [number, number, number];

/** Threshold by `filter`: the foreground voxels, each set to 1. */
export function kvThreshold(img: ImageRDD, above: number | null, below: number | null): ImageRDD {
  const fg = img
    .voxels()
    .filter(([, v], e) => (e.above === null || v > e.above) && (e.below === null || v < e.below), { above, below })
    .map(([p]) => [p, 1] as [P, number]);
  return ImageRDD.fromVoxels(fg, img.shape, 'u8', { blockShape: [2, 3, 4] });
}

/** ROI by `filter` on coordinates, then a shift of every kept voxel to the crop's origin. */
export function kvRoi(img: ImageRDD, min: P, max: P): ImageRDD {
  const kept = img
    .voxels()
    .filter(([p], e) => p[0] >= e.min[0] && p[1] >= e.min[1] && p[2] >= e.min[2] && p[0] < e.max[0] && p[1] < e.max[1] && p[2] < e.max[2], { min, max })
    .map(([p, v], e) => [[p[0] - e.min[0], p[1] - e.min[1], p[2] - e.min[2]], v] as [P, number], { min });
  const shape: Vec3 = [max[2] - min[2], max[1] - min[1], max[0] - min[0]];
  return ImageRDD.fromVoxels(kept, shape, img.dtype, { blockShape: [3, 3, 3] });
}

/**
 * Box filter by spreading: every voxel sends v / (2r+1)^d to each position of the window around it,
 * and `reduceByKey(+)` sums what each position received. d is the image's dimensionality (2 when
 * z = 1, else 3); positions outside the image are dropped (they hold no output).
 *
 * For 'nearest' and 'reflect' the image is first extended the way scipy.ndimage extends a line: a
 * voxel also stands at every outside position g whose mapped index is its own, and spreads from
 * there too. For 'constant' the outside is 0 and nothing extra is spread.
 */
export function kvBoxFilter(img: ImageRDD, radius: number, mode: 'constant' | 'nearest' | 'reflect'): ImageRDD {
  const [Z, Y, X] = img.shape;
  const d = Z === 1 ? 2 : 3;
  const env = { ext: [X, Y, Z], r: radius, mode, d, w: 1 / (2 * radius + 1) ** d };
  const spread = img
    .voxels()
    .flatMap(([p, v], e) => {
      // the positions g in [-r, n + r) of each axis that the extended line maps to p's index
      const sources: number[][] = [];
      for (let a = 0; a < 3; a++) {
        const n = e.ext[a] as number;
        const r = a === 2 && e.d === 2 ? 0 : e.r;
        const at: number[] = [];
        for (let g = -r; g < n + r; g++) {
          let m = g;
          if (g < 0 || g >= n) {
            if (e.mode === 'constant') continue;
            if (e.mode === 'nearest') m = g < 0 ? 0 : n - 1;
            else while (m < 0 || m >= n) m = m < 0 ? -m - 1 : 2 * n - 1 - m;
          }
          if (m === p[a]) at.push(g);
        }
        sources.push(at);
      }
      const out: [[number, number, number], number][] = [];
      const rz = e.d === 2 ? 0 : e.r;
      for (const gx of sources[0] as number[])
        for (const gy of sources[1] as number[])
          for (const gz of sources[2] as number[])
            for (let dz = -rz; dz <= rz; dz++)
              for (let dy = -e.r; dy <= e.r; dy++)
                for (let dx = -e.r; dx <= e.r; dx++) {
                  const q: [number, number, number] = [gx + dx, gy + dy, gz + dz];
                  if (q[0] < 0 || q[1] < 0 || q[2] < 0 || q[0] >= (e.ext[0] as number) || q[1] >= (e.ext[1] as number) || q[2] >= (e.ext[2] as number)) continue;
                  out.push([q, Math.fround(v) * e.w]);
                }
      return out;
    }, env)
    .reduceByKey((a, b) => a + b);
  return ImageRDD.fromVoxels(spread, img.shape, 'f64', { blockShape: [2, 5, 3] });
}

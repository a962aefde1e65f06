/**
 * Brute-force references for the kernel tests: the definitions written out directly, with no running
 * sums, no union-find and no partial sums, so that they are easy to check by eye.
 *
 * @example
 *   const expected = refBoxFilter(img, [1, 8, 8], 2, 'reflect'); // Float64Array over the whole image
 */
import type { TypedArray } from '../../../imaging/dtype.js';
import type { BoxFilterMode, Connectivity } from '../../../imaging/kernels/index.js';
import type { Shape3 } from '../../../imaging/volume.js';

/** `g` mapped into `[0, n)` by `mode` as scipy.ndimage extends a line, or -1 for a constant-mode zero. */
export function refMapIndex(g: number, n: number, mode: BoxFilterMode): number {
  if (g >= 0 && g < n) return g;
  if (mode === 'constant') return -1;
  if (mode === 'nearest') return g < 0 ? 0 : n - 1;
  // reflect, one mirror at a time: ... -1 -> 0, -2 -> 1, n -> n - 1, n + 1 -> n - 2 ...
  let m = g;
  while (m < 0 || m >= n) m = m < 0 ? -m - 1 : 2 * n - 1 - m;
  return m;
}

/**
 * The box filter of a whole image by direct window sums over the float32-rounded input: the mean over
 * the `(2r+1)^d` window of the axes of extent > 1, each window position mapped by `mode`.
 */
export function refBoxFilter(image: TypedArray, shape: Shape3, radius: number, mode: BoxFilterMode): Float64Array {
  const [Z, Y, X] = shape;
  const rz = Z > 1 ? radius : 0;
  const ry = Y > 1 ? radius : 0;
  const rx = X > 1 ? radius : 0;
  const size = (2 * rz + 1) * (2 * ry + 1) * (2 * rx + 1);
  const out = new Float64Array(Z * Y * X);
  for (let z = 0; z < Z; z++) {
    for (let y = 0; y < Y; y++) {
      for (let x = 0; x < X; x++) {
        let sum = 0;
        for (let dz = -rz; dz <= rz; dz++) {
          for (let dy = -ry; dy <= ry; dy++) {
            for (let dx = -rx; dx <= rx; dx++) {
              const mz = refMapIndex(z + dz, Z, mode);
              const my = refMapIndex(y + dy, Y, mode);
              const mx = refMapIndex(x + dx, X, mode);
              if (mz >= 0 && my >= 0 && mx >= 0) sum += Math.fround(image[(mz * Y + my) * X + mx]!);
            }
          }
        }
        out[(z * Y + y) * X + x] = sum / size;
      }
    }
  }
  return out;
}

/** The neighbour steps of a connectivity on a block of `shape` (2D when z = 1), all of them, both halves. */
export function refSteps(shape: Shape3, connectivity: Connectivity): [number, number, number][] {
  const maxChanged = connectivity === 4 || connectivity === 6 ? 1 : connectivity === 26 ? 3 : 2;
  const steps: [number, number, number][] = [];
  for (let dz = -1; dz <= 1; dz++) {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const changed = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
        if (changed === 0 || changed > maxChanged || (shape[0] === 1 && dz !== 0)) continue;
        steps.push([dz, dy, dx]);
      }
    }
  }
  return steps;
}

/** Labels by flood fill from each unlabeled foreground voxel in raster order (connectivity already normalized). */
export function refLabel(mask: Uint8Array, shape: Shape3, connectivity: Connectivity): { labels: Uint32Array; n: number } {
  const [Z, Y, X] = shape;
  const labels = new Uint32Array(Z * Y * X);
  const steps = refSteps(shape, connectivity);
  let n = 0;
  for (let start = 0; start < labels.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    n++;
    labels[start] = n;
    const queue = [start];
    while (queue.length > 0) {
      const i = queue.shift()!;
      const z = Math.floor(i / (Y * X));
      const y = Math.floor(i / X) % Y;
      const x = i % X;
      for (const [dz, dy, dx] of steps) {
        const nz = z + dz;
        const ny = y + dy;
        const nx = x + dx;
        if (nz < 0 || nz >= Z || ny < 0 || ny >= Y || nx < 0 || nx >= X) continue;
        const j = (nz * Y + ny) * X + nx;
        if (mask[j] !== 0 && labels[j] === 0) {
          labels[j] = n;
          queue.push(j);
        }
      }
    }
  }
  return { labels, n };
}

/** Statistics of one label computed from its voxel list, covariance centred first (two passes). */
export interface RefLabelStats {
  count: number;
  centroid: [number, number, number]; // x, y, z
  bboxMin: [number, number, number];
  bboxMax: [number, number, number];
  firstIndex: number;
  sumI: number;
  extents: [number, number, number];
}

/** Per-label statistics (index = label, 0 unused) of labels at global `origin` in an image of `imageShape`. */
export function refStats(labels: Uint32Array, n: number, shape: Shape3, origin: readonly [number, number, number], imageShape: Shape3, intensity: TypedArray | null): (RefLabelStats | null)[] {
  const voxels: [number, number, number, number][][] = Array.from({ length: n + 1 }, () => []);
  const [Z, Y, X] = shape;
  for (let z = 0; z < Z; z++) {
    for (let y = 0; y < Y; y++) {
      for (let x = 0; x < X; x++) {
        const i = (z * Y + y) * X + x;
        const l = labels[i]!;
        if (l !== 0) voxels[l]!.push([origin[2] + x, origin[1] + y, origin[0] + z, intensity === null ? 0 : intensity[i]!]);
      }
    }
  }
  return voxels.map((vs, l) => {
    if (l === 0 || vs.length === 0) return null;
    const c = vs.length;
    const mean = [0, 1, 2].map((a) => vs.reduce((s, v) => s + v[a]!, 0) / c) as [number, number, number];
    const cov = [0, 1, 2].map((a) => [0, 1, 2].map((b) => vs.reduce((s, v) => s + (v[a]! - mean[a]!) * (v[b]! - mean[b]!), 0) / c));
    const eig = jacobiEigenvalues3(cov).map((e) => Math.sqrt(Math.max(0, e))) as [number, number, number];
    const first = vs[0]!;
    return {
      count: c,
      centroid: mean,
      bboxMin: [0, 1, 2].map((a) => Math.min(...vs.map((v) => v[a]!))) as [number, number, number],
      bboxMax: [0, 1, 2].map((a) => Math.max(...vs.map((v) => v[a]!))) as [number, number, number],
      firstIndex: (first[2] * imageShape[1] + first[1]) * imageShape[2] + first[0],
      sumI: vs.reduce((s, v) => s + v[3], 0),
      extents: eig,
    };
  });
}

/** Eigenvalues of a symmetric 3x3 matrix by cyclic Jacobi rotations, descending. */
export function jacobiEigenvalues3(matrix: number[][]): [number, number, number] {
  const a = matrix.map((row) => [...row]);
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = Math.abs(a[0]![1]!) + Math.abs(a[0]![2]!) + Math.abs(a[1]![2]!); // not squares: they underflow
    if (off === 0) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]] as const) {
      if (a[p]![q] === 0) continue;
      const theta = (a[q]![q]! - a[p]![p]!) / (2 * a[p]![q]!);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const cs = 1 / Math.sqrt(t * t + 1);
      const sn = t * cs;
      for (let k = 0; k < 3; k++) {
        const akp = a[k]![p]!;
        const akq = a[k]![q]!;
        a[k]![p] = cs * akp - sn * akq;
        a[k]![q] = sn * akp + cs * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p]![k]!;
        const aqk = a[q]![k]!;
        a[p]![k] = cs * apk - sn * aqk;
        a[q]![k] = sn * apk + cs * aqk;
      }
    }
  }
  return [a[0]![0]!, a[1]![1]!, a[2]![2]!].sort((u, v) => v - u) as [number, number, number];
}

/**
 * Plain-array models and fixtures for the imaging operator tests: seeded random volumes, fast-check
 * arbitraries for tiny 2D/3D images and block shapes that need not divide them, a raster-order flood
 * fill (scipy.ndimage.label's numbering), per-label statistics computed directly, and comparisons
 * that name the first bad voxel.
 *
 * @example
 *   const mask = randomMask([4, 6, 5], seed, 0.5);
 *   const { labels, count } = floodFill(mask, [4, 6, 5], 26);
 *   expectVolumeEqual(await img.labelComponents().toArray(), labels, [4, 6, 5]);
 */
import fc from 'fast-check';
import { expect } from 'vitest';

// the root entry installs `ctx.images` on every Context (forMasters creates them from core)
import '../../index.js';
import type { DType, TypedArray, Vec3 } from '../../index.js';
import { rng } from '../helpers/volumes.js';

export { expectSameVoxels, expectVolumeClose, expectVolumeEqual, positionOf, rng } from '../helpers/volumes.js';

// ---- random volumes ----------------------------------------------------------------------------

const CTORS = { u8: Uint8Array, u16: Uint16Array, i16: Int16Array, u32: Uint32Array, i32: Int32Array, f32: Float32Array, f64: Float64Array } as const;

/** Voxels of a `[z, y, x]` shape. */
export function voxelsOf(shape: Vec3): number {
  return shape[0] * shape[1] * shape[2];
}

/** Seeded values of `dtype`: integers in [-50, 200] (clamped to the dtype), floats with fractions. */
export function randomVolume(dtype: DType, shape: Vec3, seed: number): TypedArray {
  const next = rng(seed);
  const data = new CTORS[dtype](voxelsOf(shape));
  const lo = dtype.startsWith('u') ? 0 : -50;
  for (let i = 0; i < data.length; i++) {
    const v = lo + next() * (200 - lo);
    data[i] = dtype.startsWith('f') ? v : Math.floor(v);
  }
  return data;
}

/** A u8 mask with foreground probability `density`. */
export function randomMask(shape: Vec3, seed: number, density: number): Uint8Array {
  const next = rng(seed);
  return Uint8Array.from({ length: voxelsOf(shape) }, () => (next() < density ? 1 : 0));
}

// ---- arbitraries -------------------------------------------------------------------------------

/** Tiny 3D shapes `[z, y, x]` (every axis ≥ 2 so the image is truly 3D), at most 12 per axis. */
export const shape3d: fc.Arbitrary<Vec3> = fc.tuple(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 2, max: 9 }), fc.integer({ min: 2, max: 12 }));

/** Tiny 2D shapes `[1, y, x]`. */
export const shape2d: fc.Arbitrary<Vec3> = fc.tuple(fc.constant(1), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }));

/** Any tiny shape, 2D or 3D, axes of extent 1 included. */
export const anyShape: fc.Arbitrary<Vec3> = fc.oneof(
  shape3d,
  shape2d,
  fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 10 })),
);

/**
 * A shape and a block shape for it; block axes are drawn from 1..extent+1 (so they rarely divide the
 * image) and grown until the grid has at most 40 blocks (each block is a task).
 */
export function withBlocks(shapes: fc.Arbitrary<Vec3>): fc.Arbitrary<{ shape: Vec3; blockShape: Vec3 }> {
  return shapes.chain((shape) =>
    fc.tuple(fc.integer({ min: 1, max: shape[0] + 1 }), fc.integer({ min: 1, max: shape[1] + 1 }), fc.integer({ min: 1, max: shape[2] + 1 })).map((b) => {
      const blockShape = [...b] as Vec3;
      const blocks = () => blockShape.reduce((n, s, a) => n * Math.ceil(shape[a]! / s), 1);
      for (let a = 0; blocks() > 40; a = (a + 1) % 3) blockShape[a] = Math.min(shape[a]! + 1, blockShape[a]! + 1);
      return { shape, blockShape };
    }),
  );
}

/** Seeds for the random contents. */
export const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

// ---- comparisons -------------------------------------------------------------------------------

// ---- plain-array models ------------------------------------------------------------------------

/** Neighbour offsets `[dz, dy, dx]` of a connectivity (2D images: the plane only). */
export function neighbourOffsets(connectivity: number, planar: boolean): Vec3[] {
  const k = connectivity === 4 || connectivity === 6 ? 1 : connectivity === 8 || connectivity === 18 ? 2 : 3;
  const out: Vec3[] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const nnz = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
        if (nnz === 0 || nnz > k || (planar && dz !== 0)) continue;
        out.push([dz, dy, dx]);
      }
  return out;
}

/**
 * Connected components by breadth-first flood fill from each unlabeled foreground voxel in raster
 * order, so components are numbered by their first voxel: scipy.ndimage.label's numbering.
 */
export function floodFill(mask: ArrayLike<number>, shape: Vec3, connectivity: number): { labels: Uint32Array; count: number } {
  const [Z, Y, X] = shape;
  const offsets = neighbourOffsets(connectivity, Z === 1);
  const labels = new Uint32Array(voxelsOf(shape));
  let count = 0;
  const queue: number[] = [];
  for (let start = 0; start < labels.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    labels[start] = ++count;
    queue.length = 0;
    queue.push(start);
    for (let head = 0; head < queue.length; head++) {
      const i = queue[head]!;
      const x = i % X, y = Math.floor(i / X) % Y, z = Math.floor(i / (X * Y));
      for (const [dz, dy, dx] of offsets) {
        const qz = z + dz, qy = y + dy, qx = x + dx;
        if (qz < 0 || qy < 0 || qx < 0 || qz >= Z || qy >= Y || qx >= X) continue;
        const q = (qz * Y + qy) * X + qx;
        if (mask[q] === 0 || labels[q] !== 0) continue;
        labels[q] = count;
        queue.push(q);
      }
    }
  }
  return { labels, count };
}

/** A statistics row as the tests compare it. */
export interface PlainRow {
  label: number;
  voxels: number;
  centroid: [number, number, number];
  bboxMin: [number, number, number];
  bboxMax: [number, number, number];
  meanIntensity: number;
  extents: [number, number, number];
}

/**
 * Per-label statistics straight from the definitions: two passes (mean, then centred covariance, so
 * no cancellation), eigenvalues by Jacobi rotations.
 */
export function plainShapeStats(labels: ArrayLike<number>, count: number, shape: Vec3, intensity: ArrayLike<number>): PlainRow[] {
  const [, Y, X] = shape;
  const rows = Array.from({ length: count }, (_, l) => ({
    label: l + 1,
    n: 0,
    sum: [0, 0, 0],
    min: [Infinity, Infinity, Infinity],
    max: [-Infinity, -Infinity, -Infinity],
    sumI: 0,
    cov: [0, 0, 0, 0, 0, 0], // xx yy zz xy xz yz
  }));
  const at = (i: number): [number, number, number] => [i % X, Math.floor(i / X) % Y, Math.floor(i / (X * Y))];
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l === 0) continue;
    const r = rows[l - 1]!;
    const p = at(i);
    r.n++;
    r.sumI += intensity[i]!;
    for (let a = 0; a < 3; a++) {
      r.sum[a]! += p[a]!;
      r.min[a] = Math.min(r.min[a]!, p[a]!);
      r.max[a] = Math.max(r.max[a]!, p[a]!);
    }
  }
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l === 0) continue;
    const r = rows[l - 1]!;
    const p = at(i);
    const d = p.map((c, a) => c - r.sum[a]! / r.n);
    const [dx, dy, dz] = d as [number, number, number];
    const add = [dx * dx, dy * dy, dz * dz, dx * dy, dx * dz, dy * dz];
    for (let k = 0; k < 6; k++) r.cov[k]! += add[k]! / r.n;
  }
  return rows.map((r) => ({
    label: r.label,
    voxels: r.n,
    centroid: r.sum.map((s) => s / r.n) as [number, number, number],
    bboxMin: r.min as [number, number, number],
    bboxMax: r.max as [number, number, number],
    meanIntensity: r.sumI / r.n,
    extents: jacobiEigenvalues(r.cov as [number, number, number, number, number, number])
      .map((e) => Math.sqrt(Math.max(0, e)))
      .sort((a, b) => b - a) as [number, number, number],
  }));
}

/** Eigenvalues of the symmetric matrix [[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]] by cyclic Jacobi. */
export function jacobiEigenvalues([xx, yy, zz, xy, xz, yz]: [number, number, number, number, number, number]): number[] {
  const m = [
    [xx, xy, xz],
    [xy, yy, yz],
    [xz, yz, zz],
  ];
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < 3; p++) for (let q = p + 1; q < 3; q++) off += m[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < 3; p++)
      for (let q = p + 1; q < 3; q++) {
        const apq = m[p]![q]!;
        if (apq === 0) continue;
        const theta = (m[q]![q]! - m[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < 3; k++) {
          const mkp = m[k]![p]!, mkq = m[k]![q]!;
          m[k]![p] = c * mkp - s * mkq;
          m[k]![q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < 3; k++) {
          const mpk = m[p]![k]!, mqk = m[q]![k]!;
          m[p]![k] = c * mpk - s * mqk;
          m[q]![k] = s * mpk + c * mqk;
        }
      }
  }
  return [m[0]![0]!, m[1]![1]!, m[2]![2]!];
}

/** Asserts two statistics tables agree: counts and boxes exactly, the rest to `rel` relative. */
export function expectRowsClose(actual: readonly PlainRow[], expected: readonly PlainRow[], rel = 1e-9): void {
  expect(actual.map((r) => r.label)).toEqual(expected.map((r) => r.label));
  const close = (a: number, e: number, what: string) => {
    if (!(Math.abs(a - e) <= rel * Math.max(1, Math.abs(e)))) expect.fail(`${what}: got ${a}, expected ${e}`);
  };
  actual.forEach((a, k) => {
    const e = expected[k]!;
    const where = `label ${e.label}`;
    expect(a.voxels, `${where} voxels`).toBe(e.voxels);
    expect(a.bboxMin, `${where} bboxMin`).toEqual(e.bboxMin);
    expect(a.bboxMax, `${where} bboxMax`).toEqual(e.bboxMax);
    for (let i = 0; i < 3; i++) close(a.centroid[i]!, e.centroid[i]!, `${where} centroid[${i}]`);
    close(a.meanIntensity, e.meanIntensity, `${where} meanIntensity`);
    // extents are square roots: near-zero eigenvalues amplify rounding, so compare the squares
    for (let i = 0; i < 3; i++) close(a.extents[i]! ** 2, e.extents[i]! ** 2, `${where} extents[${i}]^2`);
  });
}

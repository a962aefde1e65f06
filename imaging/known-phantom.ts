/**
 * The known-answer phantom (`synthetic({ kind: 'known' })`): non-touching objects whose components,
 * voxel counts, centroids, bounding boxes and scipy numbering follow from the shape alone, so a
 * labeling of any size is checked exactly without labeling it another way.
 *
 * Every object is a product of 1D sets of a 32-periodic pattern (P = 32; residues of x, y, z mod P):
 *   - rods along x where y, z ≡ 31, 0, 1 — they straddle every multiple of 32 in y and z, so with
 *     blocks that are multiples of 32 they run along block edges and cross every block face in x;
 *   - rods along y where x ≡ 31, 0, 1 and z ≡ 7..9; rods along z where x, y ≡ 7..9;
 *   - a network (a jungle gym): bars along x where y, z ≡ 16..18, along y where x, z ≡ 16..18 and
 *     along z where x, y ≡ 16..18 — one component that reaches every block;
 *   - cubes where x, y, z ≡ 24..26 (one per cell: many small components).
 * Objects of different kinds are at least 4 voxels apart in some axis, and of one kind at least 29,
 * so they are separate components under any connectivity. Foreground voxels are 1000, background
 * 100 (u16): `threshold({ above: 500 })` gives exactly the objects.
 */
import type { Vec3 } from './box.js';

/** Period of the pattern. */
const P = 32;
/** Residue classes, one bit each: rods on the cell boundary, rods at 7..9, network at 16..18, cubes at 24..26. */
const EDGE = 1;
const ROD = 2;
const NET = 4;
const CUBE = 8;

/** Value of the phantom's object voxels. */
export const KNOWN_FOREGROUND = 1000;
/** Value of the phantom's background voxels. */
export const KNOWN_BACKGROUND = 100;

function classOf(c: number): number {
  const r = c % P;
  return (r === 31 || r <= 1 ? EDGE : 0) | (r >= 7 && r <= 9 ? ROD : 0) | (r >= 16 && r <= 18 ? NET : 0) | (r >= 24 && r <= 26 ? CUBE : 0);
}

/** The classes of coordinates origin..origin+n-1 of one axis. */
function classes(origin: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = classOf(origin + i);
  return out;
}

/**
 * Fills `out` (C order, the box's shape) with the phantom over the box. Per row, the classes of y and
 * z decide which x classes are foreground, so the inner loop is one lookup and one test per voxel.
 */
export function knownRegion(origin: Vec3, shape: Vec3, out: { [i: number]: number; length: number }): void {
  const [sz, sy, sx] = shape;
  const cz = classes(origin[0], sz), cy = classes(origin[1], sy), cx = classes(origin[2], sx);
  let i = 0;
  for (let z = 0; z < sz; z++) {
    const fz = cz[z] as number;
    for (let y = 0; y < sy; y++) {
      const fy = cy[y] as number;
      // x-rods and x-bars fill the whole row; otherwise the x classes that are foreground here.
      const whole = (fy & fz & EDGE) !== 0 || (fy & fz & NET) !== 0;
      const m = (fz & ROD ? EDGE : 0) | (fy & ROD ? ROD : 0) | ((fz | fy) & NET ? NET : 0) | (fy & fz & CUBE ? CUBE : 0);
      if (whole) {
        for (let x = 0; x < sx; x++) out[i++] = KNOWN_FOREGROUND;
      } else if (m === 0) {
        for (let x = 0; x < sx; x++) out[i++] = KNOWN_BACKGROUND;
      } else {
        for (let x = 0; x < sx; x++) out[i++] = ((cx[x] as number) & m) !== 0 ? KNOWN_FOREGROUND : KNOWN_BACKGROUND;
      }
    }
  }
}

/** One component of the phantom as scipy.ndimage.label and shapeStats see it. */
export interface KnownComponent {
  /** Its label in scipy's numbering, from 1. */
  readonly label: number;
  /** Voxels in the component. */
  readonly voxels: number;
  /** [x, y, z], voxel index coordinates. */
  readonly centroid: readonly [number, number, number];
  /** Smallest `[x, y, z]` of its voxels. */
  readonly bboxMin: readonly [number, number, number];
  /** Largest `[x, y, z]` of its voxels (inclusive). */
  readonly bboxMax: readonly [number, number, number];
}

/** A maximal run of one class along an axis: [first, last], both inclusive. */
type Run = readonly [number, number];

function runs(n: number, cls: number): Run[] {
  const out: Run[] = [];
  let start = -1;
  for (let c = 0; c <= n; c++) {
    const inside = c < n && (classOf(c) & cls) !== 0;
    if (inside && start < 0) start = c;
    else if (!inside && start >= 0) {
      out.push([start, c - 1]);
      start = -1;
    }
  }
  return out;
}

/** Count and coordinate sum of the coordinates of one class (or all, cls = -1) along an axis of length n. */
function tally(n: number, cls: number): { count: number; sum: number } {
  let count = 0, sum = 0;
  for (let c = 0; c < n; c++) {
    if (cls === -1 || (classOf(c) & cls) !== 0) {
      count++;
      sum += c;
    }
  }
  return { count, sum };
}

interface Raw {
  /** First voxel in raster order (z, y, x): scipy numbers components by it. */
  readonly first: readonly [number, number, number];
  readonly voxels: number;
  readonly sum: readonly [number, number, number];
  readonly min: readonly [number, number, number];
  readonly max: readonly [number, number, number];
}

/** A box [x run] x [y run] x [z run]. */
function box(rx: Run, ry: Run, rz: Run): Raw {
  const lx = rx[1] - rx[0] + 1, ly = ry[1] - ry[0] + 1, lz = rz[1] - rz[0] + 1;
  const voxels = lx * ly * lz;
  const mid = (r: Run, l: number): number => ((r[0] + r[1]) / 2) * l;
  return {
    first: [rz[0], ry[0], rx[0]],
    voxels,
    sum: [mid(rx, lx) * ly * lz, mid(ry, ly) * lx * lz, mid(rz, lz) * lx * ly],
    min: [rx[0], ry[0], rz[0]],
    max: [rx[1], ry[1], rz[1]],
  };
}

/**
 * Every component of the phantom of `shape` ([z, y, x]) in scipy's numbering (raster order of each
 * component's first voxel), computed from the pattern alone.
 */
export function knownComponents(shape: Vec3): KnownComponent[] {
  const [Z, Y, X] = shape;
  const raws: Raw[] = [];
  const full = (n: number): Run => [0, n - 1];
  if (X > 0 && Y > 0 && Z > 0) {
    for (const rz of runs(Z, EDGE)) for (const ry of runs(Y, EDGE)) raws.push(box(full(X), ry, rz));
    for (const rz of runs(Z, ROD)) for (const rx of runs(X, EDGE)) raws.push(box(rx, full(Y), rz));
    for (const ry of runs(Y, ROD)) for (const rx of runs(X, ROD)) raws.push(box(rx, ry, full(Z)));
    for (const rz of runs(Z, CUBE)) for (const ry of runs(Y, CUBE)) for (const rx of runs(X, CUBE)) raws.push(box(rx, ry, rz));
    const net = network(X, Y, Z);
    if (net !== null) raws.push(net);
  }
  raws.sort((a, b) => a.first[0] - b.first[0] || a.first[1] - b.first[1] || a.first[2] - b.first[2]);
  return raws.map((r, i) => ({
    label: i + 1,
    voxels: r.voxels,
    centroid: [r.sum[0] / r.voxels, r.sum[1] / r.voxels, r.sum[2] / r.voxels],
    bboxMin: r.min,
    bboxMax: r.max,
  }));
}

/**
 * The network: bars along x (y, z in NET), along y (x, z in NET), along z (x, y in NET). Every pair
 * of bar sets, and all three, meet in the same junction set (x, y, z all in NET), so the union has
 * |X| + |Y| + |Z| - 2|J| voxels; coordinate sums follow the same way. It is one component when it
 * has a junction; pieces without one (an axis shorter than 17) are left out of the pattern's promise.
 */
function network(X: number, Y: number, Z: number): Raw | null {
  const nx = tally(X, NET), ny = tally(Y, NET), nz = tally(Z, NET);
  if (nx.count === 0 || ny.count === 0 || nz.count === 0) return null;
  const ax = tally(X, -1), ay = tally(Y, -1), az = tally(Z, -1);
  const j = nx.count * ny.count * nz.count;
  const voxels = ax.count * ny.count * nz.count + nx.count * ay.count * nz.count + nx.count * ny.count * az.count - 2 * j;
  const sumX = ax.sum * ny.count * nz.count + nx.sum * ay.count * nz.count + nx.sum * ny.count * az.count - 2 * nx.sum * ny.count * nz.count;
  const sumY = ny.sum * ax.count * nz.count + ay.sum * nx.count * nz.count + ny.sum * nx.count * az.count - 2 * ny.sum * nx.count * nz.count;
  const sumZ = nz.sum * ax.count * ny.count + nz.sum * nx.count * ay.count + az.sum * nx.count * ny.count - 2 * nz.sum * nx.count * ny.count;
  const firstNet = (n: number): number => runs(n, NET)[0]?.[0] ?? 0;
  // First voxel in raster order: the z bars start at z = 0, at the first NET (y, x). Each bar set
  // spans its whole axis, so the bounding box is the image.
  return {
    first: [0, firstNet(Y), firstNet(X)],
    voxels,
    sum: [sumX, sumY, sumZ],
    min: [0, 0, 0],
    max: [X - 1, Y - 1, Z - 1],
  };
}

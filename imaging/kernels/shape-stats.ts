/**
 * Shape statistics of one label from its merged partials: centroid, bounding box, mean intensity, and
 * the extents along the principal axes — the square roots of the eigenvalues of the coordinate
 * covariance, found in closed form: the trigonometric solution for symmetric 3x3 matrices (O. K. Smith,
 * "Eigenvalues of a symmetric 3x3 matrix", CACM 4(4), 1961) made robust as in Eberly (2014).
 */
import { ConfigError } from '../../core/index.js';
import type { LabelPartials } from './label-stats.js';

/** Coordinates in `[x, y, z]` order, as the voxel API speaks them. */
export type XYZ = [x: number, y: number, z: number];

/** One row of the shape table. */
export interface ShapeRow {
  readonly label: number;
  readonly voxels: number;
  /** Mean voxel position (unweighted), global voxel coordinates. */
  readonly centroid: XYZ;
  /** Smallest voxel coordinate on each axis. */
  readonly bboxMin: XYZ;
  /** Largest voxel coordinate on each axis (inclusive). */
  readonly bboxMax: XYZ;
  /** Mean intensity, or null when the partials were gathered without an intensity image. */
  readonly meanIntensity: number | null;
  /** Standard deviations along the principal axes, descending: 0 for the flat directions of a plane or line. */
  readonly extents: [number, number, number];
}

/**
 * The shape row of `label` from partials merged over every block the label touches.
 *
 * @example
 *   const p = labelStats(new Uint32Array([1, 1, 1]), 1, [1, 1, 3], [0, 0, 0], [1, 1, 3], null);
 *   shapeFromPartials(p, 1).extents; // [sqrt(2/3), 0, 0]: a line of three voxels
 */
export function shapeFromPartials(p: LabelPartials, label: number): ShapeRow {
  if (!Number.isInteger(label) || label < 1 || label > p.n) {
    throw new ConfigError('label', `shapeFromPartials: label must be an integer in 1..${p.n}, got ${String(label)}`);
  }
  const n = p.count[label]!;
  if (n === 0) throw new ConfigError('label', `shapeFromPartials: label ${label} has no voxels`);
  const mx = p.sumX[label]! / n;
  const my = p.sumY[label]! / n;
  const mz = p.sumZ[label]! / n;
  // An axis the label does not extend along has exactly zero variance and covariance; computing it
  // as E[x^2] - E[x]^2 could leave rounding noise instead.
  const fx = p.minX[label] === p.maxX[label];
  const fy = p.minY[label] === p.maxY[label];
  const fz = p.minZ[label] === p.maxZ[label];
  const cxx = fx ? 0 : Math.max(0, (p.sumXX[label]! - mx * p.sumX[label]!) / n);
  const cyy = fy ? 0 : Math.max(0, (p.sumYY[label]! - my * p.sumY[label]!) / n);
  const czz = fz ? 0 : Math.max(0, (p.sumZZ[label]! - mz * p.sumZ[label]!) / n);
  const cxy = fx || fy ? 0 : (p.sumXY[label]! - mx * p.sumY[label]!) / n;
  const cxz = fx || fz ? 0 : (p.sumXZ[label]! - mx * p.sumZ[label]!) / n;
  const cyz = fy || fz ? 0 : (p.sumYZ[label]! - my * p.sumZ[label]!) / n;
  const eig = symmetricEigenvalues3(cxx, cyy, czz, cxy, cxz, cyz);
  return {
    label,
    voxels: n,
    centroid: [mx, my, mz],
    bboxMin: [p.minX[label]!, p.minY[label]!, p.minZ[label]!],
    bboxMax: [p.maxX[label]!, p.maxY[label]!, p.maxZ[label]!],
    meanIntensity: p.hasIntensity ? p.sumI[label]! / n : null,
    extents: [Math.sqrt(eig[0]), Math.sqrt(eig[1]), Math.sqrt(eig[2])],
  };
}

// Eigenvalues below this fraction of the largest are rounding noise (a few ulps of the largest) and are
// reported as exactly 0, so lines and planes get zero extents.
const NOISE = 16 * Number.EPSILON;

/**
 * Eigenvalues of the symmetric matrix [[a, d, e], [d, b, f], [e, f, c]], descending, for a positive
 * semi-definite matrix such as a covariance (negative results of rounding are returned as 0). Exact zeros
 * off the diagonal split the problem into smaller closed forms (a diagonal, or one axis plus a 2x2).
 */
export function symmetricEigenvalues3(a: number, b: number, c: number, d: number, e: number, f: number): [number, number, number] {
  let l: [number, number, number];
  if (d === 0 && e === 0 && f === 0) l = [a, b, c];
  else if (e === 0 && f === 0) l = [c, ...eigen2(a, b, d)];
  else if (d === 0 && f === 0) l = [b, ...eigen2(a, c, e)];
  else if (d === 0 && e === 0) l = [a, ...eigen2(b, c, f)];
  else l = trigonometric(a, b, c, d, e, f);
  l.sort((u, v) => v - u);
  const floor = NOISE * Math.max(0, l[0]);
  for (let i = 0; i < 3; i++) if (l[i]! <= floor) l[i] = 0;
  return l;
}

/**
 * The general case, after D. Eberly, "A Robust Eigensolver for 3x3 Symmetric Matrices" (2014). With
 * B = (A - qI) / p, the eigenvalues of B are 2 cos(phi + 2 pi k / 3) where cos(3 phi) = det(B) / 2. Taking
 * all three from that formula loses half the digits of the small ones when two eigenvalues nearly
 * coincide (acos is ill-conditioned near +-1): a cigar-shaped object would get its thin extents wrong in
 * the 8th digit of the long one. So only the eigenvalue farthest from the other two comes from the
 * formula (the largest when det(B) >= 0, else the smallest); its eigenvector, a cross product of two rows
 * of A - lambda I, splits off a 2x2 problem for the other two, solved in closed form.
 */
function trigonometric(a0: number, b0: number, c0: number, d0: number, e0: number, f0: number): [number, number, number] {
  // Scale to entries of at most 1, so that squares and cubes neither overflow nor underflow.
  const s = Math.max(Math.abs(a0), Math.abs(b0), Math.abs(c0), Math.abs(d0), Math.abs(e0), Math.abs(f0));
  const [a, b, c, d, e, f] = [a0 / s, b0 / s, c0 / s, d0 / s, e0 / s, f0 / s];
  const q = (a + b + c) / 3;
  const p = Math.sqrt(((a - q) ** 2 + (b - q) ** 2 + (c - q) ** 2 + 2 * (d * d + e * e + f * f)) / 6);
  if (p === 0) return [q * s, q * s, q * s];
  const [ba, bb, bc, bd, be, bf] = [(a - q) / p, (b - q) / p, (c - q) / p, d / p, e / p, f / p];
  const halfDet = (ba * (bb * bc - bf * bf) - bd * (bd * bc - bf * be) + be * (bd * bf - bb * be)) / 2;
  const phi = Math.acos(Math.min(1, Math.max(-1, halfDet))) / 3;
  const beta = 2 * Math.cos(halfDet >= 0 ? phi : phi + (2 * Math.PI) / 3);
  const iso = q + p * beta;
  // Its eigenvector: the longest cross product of two rows of B - beta I, whose entries are of order 1
  // even where those of A - iso I are tiny (A close to a multiple of I).
  const r0: Vec = [ba - beta, bd, be];
  const r1: Vec = [bd, bb - beta, bf];
  const r2: Vec = [be, bf, bc - beta];
  let v = cross(r0, r1);
  for (const w of [cross(r0, r2), cross(r1, r2)]) if (dot(w, w) > dot(v, v)) v = w;
  const vv = dot(v, v);
  if (vv === 0) return [iso * s, iso * s, (3 * q - 2 * iso) * s]; // B - beta I has rank 1: iso is double
  v = scaled(v, 1 / Math.sqrt(vv));
  // An orthonormal pair u, w spanning the plane orthogonal to v, and A restricted to it.
  const u0: Vec = Math.abs(v[0]) > Math.abs(v[1]) ? [-v[2], 0, v[0]] : [0, v[2], -v[1]];
  const u = scaled(u0, 1 / Math.sqrt(dot(u0, u0)));
  const w = cross(v, u);
  const times = (x: Vec): Vec => [a * x[0] + d * x[1] + e * x[2], d * x[0] + b * x[1] + f * x[2], e * x[0] + f * x[1] + c * x[2]];
  const [l1, l2] = eigen2(dot(u, times(u)), dot(w, times(w)), dot(u, times(w)));
  return [iso * s, l1 * s, l2 * s];
}

type Vec = readonly [number, number, number];

function cross(x: Vec, y: Vec): Vec {
  return [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]];
}

function scaled(x: Vec, k: number): Vec {
  return [x[0] * k, x[1] * k, x[2] * k];
}

function dot(x: Vec, y: Vec): number {
  return x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
}

/** Eigenvalues of [[a, d], [d, b]]: the mean of the diagonal plus and minus the half-spread. */
function eigen2(a: number, b: number, d: number): [number, number] {
  const m = (a + b) / 2;
  const h = Math.hypot((a - b) / 2, d);
  return [m + h, m - h];
}

/**
 * Per-label partial statistics as flat rows of 18 float64s, so they merge with a loop, travel as
 * Float64Arrays, and combine through the labeling's equivalences without a second scan.
 * Coordinates are global voxel indices; sums in float64 are exact up to 2^53 (a 1024^3 image's
 * sum of squared coordinates stays far below that for any component).
 */
import { symmetricEigenvalues3 } from '../kernels/index.js';

/** Provisional global label ids: block number * ID_BASE + local label (no serial chain over blocks). */
export const ID_BASE = 2 ** 32;

export const ROW = 18;
export const F = {
  count: 0,
  sumX: 1,
  sumY: 2,
  sumZ: 3,
  sumXX: 4,
  sumYY: 5,
  sumZZ: 6,
  sumXY: 7,
  sumXZ: 8,
  sumYZ: 9,
  minX: 10,
  minY: 11,
  minZ: 12,
  maxX: 13,
  maxY: 14,
  maxZ: 15,
  sumI: 16,
  firstIndex: 17,
} as const;

/** Merges row `b` into row `a` (in place) and returns `a`. */
export function mergeRows(a: Float64Array, b: Float64Array): Float64Array {
  for (let i = F.count; i <= F.sumYZ; i++) a[i] = (a[i] as number) + (b[i] as number);
  for (let i = F.minX; i <= F.minZ; i++) a[i] = Math.min(a[i] as number, b[i] as number);
  for (let i = F.maxX; i <= F.maxZ; i++) a[i] = Math.max(a[i] as number, b[i] as number);
  a[F.sumI] = (a[F.sumI] as number) + (b[F.sumI] as number);
  a[F.firstIndex] = Math.min(a[F.firstIndex] as number, b[F.firstIndex] as number);
  return a;
}

/** One row of the statistics table. */
export interface ShapeRow {
  /** The component's label, from 1. */
  readonly label: number;
  /** Voxels in the component. */
  readonly voxels: number;
  /** [x, y, z] in voxel index coordinates. */
  readonly centroid: [number, number, number];
  /** Smallest `[x, y, z]` of its voxels. */
  readonly bboxMin: [number, number, number];
  /** Largest `[x, y, z]` of its voxels (inclusive). */
  readonly bboxMax: [number, number, number];
  /** Mean of the intensity image over the component (by default the image the mask was thresholded from). */
  readonly meanIntensity: number;
  /**
   * The component's extents: the standard deviations, in voxels, of its voxel coordinates along its
   * three principal axes, largest first — the square roots of the eigenvalues of the coordinate
   * covariance matrix (a solid ellipsoid with semi-axis a has extent a/√5 along it).
   */
  readonly extents: [number, number, number];
}

/** The statistics of one component from its merged row. */
export function shapeRow(label: number, r: Float64Array): ShapeRow {
  const n = r[F.count] as number;
  const cx = (r[F.sumX] as number) / n, cy = (r[F.sumY] as number) / n, cz = (r[F.sumZ] as number) / n;
  const cxx = (r[F.sumXX] as number) / n - cx * cx;
  const cyy = (r[F.sumYY] as number) / n - cy * cy;
  const czz = (r[F.sumZZ] as number) / n - cz * cz;
  const cxy = (r[F.sumXY] as number) / n - cx * cy;
  const cxz = (r[F.sumXZ] as number) / n - cx * cz;
  const cyz = (r[F.sumYZ] as number) / n - cy * cz;
  const ev = symmetricEigenvalues3(cxx, cyy, czz, cxy, cxz, cyz);
  return {
    label,
    voxels: n,
    centroid: [cx, cy, cz],
    bboxMin: [r[F.minX] as number, r[F.minY] as number, r[F.minZ] as number],
    bboxMax: [r[F.maxX] as number, r[F.maxY] as number, r[F.maxZ] as number],
    meanIntensity: (r[F.sumI] as number) / n,
    extents: [Math.sqrt(Math.max(0, ev[0])), Math.sqrt(Math.max(0, ev[1])), Math.sqrt(Math.max(0, ev[2]))],
  };
}

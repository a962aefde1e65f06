/**
 * Per-label partial statistics of a labeled block: sums that merge by addition (and min/max), so the
 * statistics of a component split over blocks are the merge of its pieces, with no second scan of the
 * image. Coordinates are global voxel indices.
 *
 * Layout: one Float64Array holds every field, field-major: field f of label l is `data[f * (n + 1) + l]`,
 * and each field is a `subarray` view of it. The serialized form is that array plus `n` and the intensity
 * flag: raw bytes, no per-label objects.
 *
 * Precision: sums are float64, exact while below 2^53. Coordinate sums stay exact for any realistic
 * image (count x largest coordinate < 2^53); squared sums need not: a label filling a 2048^3 image has
 * `sumXX` of about 2^33 voxels x 2^22 / 3 > 2^53, so it is rounded at 1e-16 relative. The covariance
 * E[x^2] - E[x]^2 of such a label then carries an absolute error of about 1e-16 x E[x^2] (~1e-10 voxel^2
 * here), negligible for extents of objects wider than a voxel.
 */
import { ConfigError } from '../../core/index.js';
import type { TypedArray } from '../dtype.js';
import { type Shape3, voxelCount } from '../volume.js';
import type { Index3 } from './geometry.js';
import { WIDEN_CHUNK, widen } from './widen.js';

/** The fields of `LabelPartials`, in storage order. */
export const PARTIAL_FIELDS = [
  'count',
  'sumX', 'sumY', 'sumZ',
  'sumXX', 'sumYY', 'sumZZ', 'sumXY', 'sumXZ', 'sumYZ',
  'minX', 'minY', 'minZ', 'maxX', 'maxY', 'maxZ',
  'sumI',
  'firstIndex',
] as const;
export type PartialField = (typeof PARTIAL_FIELDS)[number];

/**
 * Partial statistics for labels 0..n (0 unused), each field a Float64Array of length n + 1 indexed by
 * label. A label without voxels has count 0, min* and firstIndex +Infinity, max* -Infinity.
 * `firstIndex` is the global linear index `z * Y * X + y * X + x` of the label's first voxel in raster
 * order. `sumI` is 0 unless `hasIntensity`.
 */
export type LabelPartials = { readonly [F in PartialField]: Float64Array } & {
  readonly n: number;
  readonly hasIntensity: boolean;
  /** The backing array of every field (see the module comment). */
  readonly data: Float64Array;
};

/** What travels between processes: the backing array, shared, not copied. */
export interface SerializedPartials {
  readonly n: number;
  readonly hasIntensity: boolean;
  readonly data: Float64Array;
}

const F = PARTIAL_FIELDS.length;
const FIRST_MIN = PARTIAL_FIELDS.indexOf('minX');
const FIRST_MAX = PARTIAL_FIELDS.indexOf('maxX');
const SUM_I = PARTIAL_FIELDS.indexOf('sumI');
const FIRST_INDEX = PARTIAL_FIELDS.indexOf('firstIndex');

/** Empty partials for labels 1..n. */
export function createPartials(n: number, hasIntensity: boolean): LabelPartials {
  if (!Number.isInteger(n) || n < 0) throw new ConfigError('n', `createPartials: n must be a non-negative integer, got ${String(n)}`);
  const data = new Float64Array(F * (n + 1));
  const len = n + 1;
  data.fill(Infinity, FIRST_MIN * len, FIRST_MAX * len);
  data.fill(-Infinity, FIRST_MAX * len, (FIRST_MAX + 3) * len);
  data.fill(Infinity, FIRST_INDEX * len, (FIRST_INDEX + 1) * len);
  return view(n, hasIntensity, data);
}

/** The serializable form of `p` (shares its array). */
export function serializePartials(p: LabelPartials): SerializedPartials {
  return { n: p.n, hasIntensity: p.hasIntensity, data: p.data };
}

/** Partials over a serialized array (views, no copy). */
export function deserializePartials(s: SerializedPartials): LabelPartials {
  if (!(s.data instanceof Float64Array) || s.data.length !== F * (s.n + 1)) {
    throw new ConfigError('data', `deserializePartials: expected a Float64Array of ${F} x (n + 1) = ${F * (s.n + 1)} values, got ${s.data?.length ?? typeof s.data}`);
  }
  return view(s.n, s.hasIntensity, s.data);
}

function view(n: number, hasIntensity: boolean, data: Float64Array): LabelPartials {
  const len = n + 1;
  const fields = {} as Record<PartialField, Float64Array>;
  PARTIAL_FIELDS.forEach((name, f) => {
    fields[name] = data.subarray(f * len, (f + 1) * len);
  });
  return { ...fields, n, hasIntensity, data };
}

/**
 * Adds the statistics of `fromLabel` in `from` to `intoLabel` in `into`: sums add, bounds and
 * `firstIndex` take the min/max. Both must agree on `hasIntensity`.
 */
export function mergePartials(into: LabelPartials, intoLabel: number, from: LabelPartials, fromLabel: number): void {
  if (into.hasIntensity !== from.hasIntensity) {
    throw new ConfigError('from', 'mergePartials: cannot merge partials with intensity into partials without (or back); compute both with the same intensity image');
  }
  const a = into.data;
  const b = from.data;
  const la = into.n + 1;
  const lb = from.n + 1;
  for (let f = 0; f < F; f++) {
    const i = f * la + intoLabel;
    const j = f * lb + fromLabel;
    const v = b[j]!;
    if (f < FIRST_MIN || f === SUM_I) a[i] = a[i]! + v;
    else if (f < FIRST_MAX || f === FIRST_INDEX) a[i] = Math.min(a[i]!, v);
    else a[i] = Math.max(a[i]!, v);
  }
}

/**
 * Partial statistics of the labels 1..n of a block of `shape` at global `origin` in an image of
 * `imageShape`; `intensity` (same shape as the block, any dtype) adds `sumI`.
 *
 * @example
 *   const p = labelStats(new Uint32Array([1, 0, 1]), 1, [1, 1, 3], [0, 0, 10], [1, 1, 20], null);
 *   p.count[1]; // 2
 *   p.sumX[1]; // 10 + 12
 */
export function labelStats(labels: Uint32Array, n: number, shape: Shape3, origin: Index3, imageShape: Shape3, intensity: TypedArray | null): LabelPartials {
  const count = voxelCount(shape);
  if (labels.length < count || (intensity !== null && intensity.length < count)) {
    throw new ConfigError(labels.length < count ? 'labels' : 'intensity', `labelStats: labels and intensity must hold shape [${shape.join(', ')}] = ${count} voxels`);
  }
  const p = createPartials(n, intensity !== null);
  accumulate(labels, count, shape, origin, imageShape, intensity, p);
  return p;
}

/** One raster pass over the block; intensity is widened in chunks (see widen.ts), so it walks linearly. */
function accumulate(labels: Uint32Array, count: number, shape: Shape3, origin: Index3, imageShape: Shape3, intensity: TypedArray | null, p: LabelPartials): void {
  const X = shape[2];
  const Y = shape[1];
  const planeStride = imageShape[1] * imageShape[2];
  const rowStride = imageShape[2];
  const { count: cnt, sumX, sumY, sumZ, sumXX, sumYY, sumZZ, sumXY, sumXZ, sumYZ } = p;
  const { minX, minY, minZ, maxX, maxY, maxZ, sumI, firstIndex } = p;
  const n = p.n;
  const ox = origin[2];
  const oy = origin[1];
  const oz = origin[0];
  let x = 0;
  let y = 0;
  let z = 0;
  for (let start = 0; start < count; start += WIDEN_CHUNK) {
    const end = Math.min(count, start + WIDEN_CHUNK);
    const values = intensity === null ? null : widen(intensity, start, end);
    for (let i = start; i < end; i++) {
      const l = labels[i]!;
      if (l !== 0) {
        if (l > n) throw new ConfigError('n', `labelStats: voxel ${i} has label ${l}, above n = ${n}`);
        const gx = ox + x;
        const gy = oy + y;
        const gz = oz + z;
        if (cnt[l] === 0) firstIndex[l] = gz * planeStride + gy * rowStride + gx;
        cnt[l]! += 1;
        sumX[l]! += gx;
        sumY[l]! += gy;
        sumZ[l]! += gz;
        sumXX[l]! += gx * gx;
        sumYY[l]! += gy * gy;
        sumZZ[l]! += gz * gz;
        sumXY[l]! += gx * gy;
        sumXZ[l]! += gx * gz;
        sumYZ[l]! += gy * gz;
        if (gx < minX[l]!) minX[l] = gx;
        if (gx > maxX[l]!) maxX[l] = gx;
        if (gy < minY[l]!) minY[l] = gy;
        if (gy > maxY[l]!) maxY[l] = gy;
        if (gz < minZ[l]!) minZ[l] = gz;
        if (gz > maxZ[l]!) maxZ[l] = gz;
        if (values !== null) sumI[l]! += values[i - start]!;
      }
      if (++x === X) {
        x = 0;
        if (++y === Y) {
          y = 0;
          z++;
        }
      }
    }
  }
}

/**
 * Filtered back-projection of sinograms (scikit-image `iradon` geometry, circle=True): each row's
 * sinogram `[angle][column]` is filtered line by line, then back-projected onto the asked box of its
 * N x N slice. Slice `z` equals `iradon(sinogram_z.T, theta=angles, filter_name=filter, circle=True)`
 * when the centre is N // 2.
 */
import { kernels } from './kernels/dispatch.js';
import { filterMargin, fourierFilter, paddedLength, type FilterName } from './kernels/index.js';

/** What FBP needs besides the data. */
export interface FbpOptions {
  /** The rotation axis in detector columns; N // 2 for a centred scan. */
  readonly center: number;
  /** The filter window applied in Fourier space ('ramp' is the plain Ram-Lak filter). */
  readonly filter: FilterName;
}

/** A box of the slices, `[y0, y0 + rows) x [x0, x0 + cols)`. */
export interface SliceBox {
  /** First row of the box in the slice. */
  readonly y0: number;
  /** First column of the box in the slice. */
  readonly x0: number;
  /** Rows of the box. */
  readonly rows: number;
  /** Columns of the box. */
  readonly cols: number;
}

const filters = new Map<string, Float64Array>();

/** Rows filtered and back-projected together (the native back-projection takes four at a time). */
const SLICES_PER_PASS = 4;

/** The filter of `name` at length `size`, built once per thread. */
function filterOf(size: number, name: FilterName): Float64Array {
  const key = `${name}:${size}`;
  let f = filters.get(key);
  if (f === undefined) {
    f = fourierFilter(size, name);
    filters.set(key, f);
  }
  return f;
}

/** cos and sin of angles given in degrees. */
export function trig(anglesDeg: readonly number[]): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(anglesDeg.length);
  const sin = new Float64Array(anglesDeg.length);
  anglesDeg.forEach((a, k) => {
    const r = (a * Math.PI) / 180;
    cos[k] = Math.cos(r);
    sin[k] = Math.sin(r);
  });
  return { cos, sin };
}

/**
 * Reconstructs `box` of each of `rows` slices from `sinograms` (`[row][angle][column]`, `cols`
 * columns) into a new `[row][y][x]` float32 array.
 */
export function reconstructSlices(sinograms: Float32Array, rows: number, anglesDeg: readonly number[], cols: number, options: FbpOptions, box: SliceBox): Float32Array {
  return reconstruct(sinograms, rows, anglesDeg, cols, options, box, 'sinograms');
}

/**
 * As reconstructSlices, from corrected projections `[angle][row][column]` as they are read: each row's
 * lines are filtered in place (a frame apart), with no transpose to sinograms.
 */
export function reconstructProjections(projections: Float32Array, rows: number, anglesDeg: readonly number[], cols: number, options: FbpOptions, box: SliceBox): Float32Array {
  return reconstruct(projections, rows, anglesDeg, cols, options, box, 'projections');
}

function reconstruct(data: Float32Array, rows: number, anglesDeg: readonly number[], cols: number, options: FbpOptions, box: SliceBox, layout: 'sinograms' | 'projections'): Float32Array {
  const angles = anglesDeg.length;
  const size = paddedLength(cols);
  const width = size - cols;
  const filter = filterOf(size, options.filter);
  const { cos, sin } = trig(anglesDeg);
  const geometry = { size: cols, width, margin: filterMargin(cols, size), center: options.center };
  // Where row r's line of angle 0 starts, and how far apart its angles are.
  const first = layout === 'sinograms' ? angles * cols : cols;
  const stride = layout === 'sinograms' ? cols : rows * cols;
  // A few rows at a time: the back-projection shares each position's arithmetic between slices, and
  // a few rows' filtered lines stay in cache between the filter and the back-projection.
  const group = Math.min(rows, SLICES_PER_PASS);
  const filtered = new Float32Array(group * angles * width);
  const out = new Float32Array(rows * box.rows * box.cols);
  const plane = box.rows * box.cols;
  for (let r = 0; r < rows; r += group) {
    const n = Math.min(group, rows - r);
    // Row by row: each row's lines are filtered in pairs (angles 2k, 2k + 1), as the stream filters
    // them a few angles at a time (IncrementalFbp), so that both give the same floats.
    for (let k = 0; k < n; k++) {
      kernels.filterLines(data.subarray((r + k) * first), angles, cols, filter, filtered.subarray(k * angles * width), stride);
    }
    kernels.backProject(filtered, cos, sin, geometry, box.y0, box.x0, box.rows, box.cols, out.subarray(r * plane, (r + n) * plane), n);
  }
  return out;
}

/**
 * Filtered back-projection of a scan as its frames arrive (the stream's `--reconstruct`): darks and
 * flats first, then projections, each corrected (dark/flat, -log) on arrival; every BLOCK projections
 * are filtered and back-projected into the volume, so that it is ready soon after the last frame.
 * Filtering needs whole projection rows, not whole sinograms.
 *
 * When the projections come in order, the volume is the file reconstruction's (reconstructSlices over
 * the same frames, `correctedRows` for the correction) float for float with the native kernels: the
 * same lines share an FFT (angles 2k and 2k + 1 of a row), and each pixel's angles are summed in order.
 */
import { ConfigError } from '../core/index.js';
import { kernels } from './kernels/dispatch.js';
import { backProjectScale, filterMargin, fourierFilter, paddedLength, type FilterName } from './kernels/index.js';
import { trig } from './fbp.js';

/**
 * Projections per micro-batch: even, so that each pair of lines the filter transforms together is the
 * pair the file path pairs (angles 2k and 2k + 1 of a row). Each batch reads and writes the whole
 * volume (64 MiB at 256^3, far past the caches): batches of 8 took about three times the CPU of the
 * file path for a 256^3 scan; with 32 (and rows filtered a few at a time) it is the file path's, and
 * the last batch, back-projected after the last frame, stays short.
 */
const BLOCK = 32;

/** Detector rows filtered and back-projected together (the native back-projection takes four at a time). */
const ROWS_PER_PASS = 4;

/** The frame shape and reconstruction settings of an incremental reconstruction. */
export interface IncrementalFbpOptions {
  /** Detector rows (the volume's slices) and columns (each slice is columns x columns). */
  readonly rows: number;
  /** Detector columns (each slice is cols x cols; at least 2). */
  readonly cols: number;
  /** The rotation axis, in columns, used for every projection. */
  readonly center: number;
  /** The FBP filter window. */
  readonly filter: FilterName;
  /** The projections are transmission already: no dark/flat correction. */
  readonly noFlat: boolean;
}

/** A reconstruction built as a scan's frames arrive: darks and flats first, then projections, back-projected in batches of 32 so the volume is ready soon after the last frame. */
export class IncrementalFbp {
  /** `[row][y][x]`, summed so far; scaled by `finish`. */
  readonly volume: Float32Array;
  /** Projections taken, and the darks and flats they were corrected with. */
  projections = 0;
  /** Dark frames taken (`rows x cols` each). */
  readonly darks: Float32Array[] = [];
  /** Flat frames taken (`rows x cols` each). */
  readonly flats: Float32Array[] = [];
  private dark: Float32Array | null = null;
  private flat: Float32Array | null = null;
  private readonly pending: Float32Array;
  private readonly filtered: Float32Array;
  private readonly pendingAngles: number[] = [];
  private readonly size: number;
  private readonly width: number;
  private readonly filterValues: Float64Array;
  private finished = false;

  constructor(
    /** The frame shape and reconstruction settings. */
    readonly options: IncrementalFbpOptions,
  ) {
    const { rows, cols } = options;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 2) throw new ConfigError('rows', `IncrementalFbp: rows and cols must be whole numbers >= 1 and >= 2, got ${rows} x ${cols}`);
    this.size = paddedLength(cols);
    this.width = this.size - cols;
    this.filterValues = fourierFilter(this.size, options.filter);
    this.volume = new Float32Array(rows * cols * cols);
    this.pending = new Float32Array(BLOCK * rows * cols);
    this.filtered = new Float32Array(ROWS_PER_PASS * BLOCK * this.width);
  }

  /** Takes a dark or flat frame (`rows x cols`); they must all come before the first projection. */
  addCalibration(kind: 'dark' | 'flat', frame: Float32Array): void {
    if (this.projections > 0) throw new Error(`a ${kind} frame came after ${this.projections} projections`);
    (kind === 'dark' ? this.darks : this.flats).push(frame);
  }

  /** Corrects a projection (`rows x cols`) at `angle` degrees, and back-projects a block when one is full. */
  addProjection(frame: Float32Array, angle: number): void {
    const { rows, cols } = this.options;
    const plane = rows * cols;
    if (this.projections === 0) this.calibrate();
    const at = this.pendingAngles.length * plane;
    const corrected = this.pending.subarray(at, at + plane);
    corrected.set(frame);
    // As correctedRows: the flat is never interpolated here (a stream's flats all come first).
    if (this.flat !== null) kernels.flatField(corrected, 1, plane, 0, 1, this.dark!, this.flat, null);
    kernels.minusLog(corrected, plane);
    this.pendingAngles.push(angle);
    this.projections++;
    if (this.pendingAngles.length === BLOCK) this.flush();
  }

  /** Back-projects what is pending and scales the volume; the reconstruction is done. */
  finish(): Float32Array {
    if (this.finished) throw new Error('IncrementalFbp: finish() was called already');
    this.flush();
    this.finished = true;
    const scale = backProjectScale(this.projections);
    const v = this.volume;
    for (let i = 0; i < v.length; i++) v[i] = v[i]! * scale;
    return v;
  }

  /** The averaged dark and flat, as correctedRows makes them (mean, no dark: zero). */
  private calibrate(): void {
    const plane = this.options.rows * this.options.cols;
    if (this.options.noFlat || this.flats.length === 0) return;
    this.flat = average(this.flats, plane);
    this.dark = this.darks.length === 0 ? new Float32Array(plane) : average(this.darks, plane);
  }

  private flush(): void {
    const count = this.pendingAngles.length;
    if (count === 0) return;
    const { rows, cols, center } = this.options;
    const { cos, sin } = trig(this.pendingAngles);
    const geometry = { size: cols, width: this.width, margin: filterMargin(cols, this.size), center };
    const plane = cols * cols;
    // A few rows at a time, as the file path goes: their filtered lines stay in cache for the
    // back-projection. Each row's lines are read in place, a frame apart, and paired as there.
    for (let r = 0; r < rows; r += ROWS_PER_PASS) {
      const n = Math.min(ROWS_PER_PASS, rows - r);
      for (let k = 0; k < n; k++) {
        kernels.filterLines(this.pending.subarray((r + k) * cols), count, cols, this.filterValues, this.filtered.subarray(k * count * this.width), rows * cols);
      }
      kernels.backProject(this.filtered, cos, sin, geometry, 0, 0, cols, cols, this.volume.subarray(r * plane, (r + n) * plane), n, true);
    }
    this.pendingAngles.length = 0;
  }
}

function average(frames: readonly Float32Array[], size: number): Float32Array {
  const stacked = new Float32Array(frames.length * size);
  frames.forEach((f, k) => stacked.set(f, k * size));
  const out = new Float32Array(size);
  kernels.averageFrames(stacked, frames.length, size, 'mean', out);
  return out;
}

/**
 * `ctx.tomo`: reconstructions as images. `read` opens a scan (DXchange HDF5, or `.npy` / TIFF stacks
 * with flats, darks and angles), finds the centre unless given, and returns an ImageRDD whose blocks
 * are slabs of detector rows, reconstructed by the tasks that read those rows.
 */
import { ConfigError, RDD, type Context } from '../core/index.js';
import type { Block, ImageMeta } from '../imaging/block.js';
import { ImageRDD } from '../imaging/index.js';
import { findCenter, type CenterEstimate } from './find-center.js';
import { checkPaganin, FILTER_NAMES, FRAME_AVERAGES, type FilterName, type FrameAverage, type PaganinParams } from './kernels/index.js';
import { openScan, type ScanOptions } from './io/open-scan.js';
import { ReconstructNode, RECONSTRUCT_HDF5_OP } from './nodes/reconstruct-node.js';
import type { TomoScan } from './scan.js';

/** Options of `ctx.tomo.read` and `ctx.tomo.fromScan`. */
export interface ReconstructOptions {
  /** The rotation axis in detector columns, or 'auto' (default): found, and reported in `center`. */
  readonly center?: number | 'auto';
  /** The FBP filter window (default 'ramp'). */
  readonly filter?: FilterName;
  /** How darks and flats are averaged (default 'mean'). */
  readonly average?: FrameAverage;
  /** Paganin phase retrieval before -log (energy, distance, pixel, delta/beta), or null (default: off). */
  readonly paganin?: PaganinParams | null;
  /** Dezinger threshold in transmission, or null (default: off). */
  readonly dezinger?: number | null;
  /** Detector rows `[r0, r1)` to reconstruct (default: all). */
  readonly rows?: readonly [number, number];
  /**
   * Ring removal: the median window (odd, in columns; 21 is common) of Vo's sorting-based stripe
   * removal, applied to each sinogram before filtering; null (default) for none.
   */
  readonly rings?: number | null;
  /** Slices per block (default: about 8 MB of output per block). */
  readonly rowsPerBlock?: number;
}

/** A reconstruction: the volume, its centre and how it was found, and the scan. */
export interface Reconstruction {
  /** float32 `[row][y][x]`, N x N slices for N detector columns. */
  readonly image: ImageRDD;
  /** The rotation axis used, in detector columns (given, or found by 'auto'). */
  readonly center: number;
  /** How 'auto' found the centre; null when it was given. */
  readonly centerEstimate: CenterEstimate | null;
  /** The scan reconstructed. */
  readonly scan: TomoScan;
}

const BLOCK_BYTES = 8 * 2 ** 20;

/** `ctx.tomo`: reconstructs tomography scans (files, or scans described by hand) as lazy float32 ImageRDDs. */
export class Tomo {
  constructor(private readonly ctx: Context) {}

  /** Opens a scan and reconstructs it (lazily: blocks are computed by the jobs that need them). */
  async read(path: string, options: ScanOptions & ReconstructOptions = {}): Promise<Reconstruction> {
    return this.fromScan(await openScan(path, options), options);
  }

  /** Reconstructs a scan opened with `openScan` (or described by hand). */
  async fromScan(scan: TomoScan, options: ReconstructOptions = {}): Promise<Reconstruction> {
    const filter = options.filter ?? 'ramp';
    if (!FILTER_NAMES.includes(filter)) throw new ConfigError('filter', `filter must be one of ${FILTER_NAMES.join(', ')}, got '${String(filter)}'`);
    const average = options.average ?? 'mean';
    if (!FRAME_AVERAGES.includes(average)) throw new ConfigError('average', `average must be 'mean' or 'median', got '${String(average)}'`);
    const dezinger = options.dezinger ?? null;
    if (dezinger !== null && !(dezinger > 0)) throw new ConfigError('dezinger', `dezinger must be a positive threshold or null, got ${dezinger}`);
    const [, height, cols] = scan.shape;
    const [r0, r1] = options.rows ?? [0, height];
    if (!Number.isInteger(r0) || !Number.isInteger(r1) || r0 < 0 || r1 > height || r1 <= r0) {
      throw new ConfigError('rows', `rows must be [r0, r1) with 0 <= r0 < r1 <= ${height} (the detector's rows), got [${r0}, ${r1})`);
    }
    const paganin = options.paganin ?? null;
    if (paganin !== null) checkPaganin(paganin);
    const preprocess = { average, dezinger, paganin };
    const rings = options.rings ?? null;
    if (rings !== null && (!Number.isInteger(rings) || rings < 1 || rings % 2 === 0 || rings > cols)) throw new ConfigError('rings', `rings must be an odd window of at most ${cols} columns, or null; got ${rings}`);
    let centerEstimate: CenterEstimate | null = null;
    let center: number;
    if (options.center === undefined || options.center === 'auto') {
      if (scan.projections.format === 'hdf5' || scan.flats?.format === 'hdf5' || scan.darks?.format === 'hdf5') await import('./nodes/register-hdf5.js');
      centerEstimate = findCenter(scan, preprocess);
      center = centerEstimate.center;
    } else {
      center = options.center;
      if (!Number.isFinite(center) || center < 0 || center > cols - 1) throw new ConfigError('center', `center must be a column in [0, ${cols - 1}] or 'auto', got ${center}`);
    }
    const rowsPerBlock = options.rowsPerBlock ?? Math.max(1, Math.floor(BLOCK_BYTES / (cols * cols * 4)));
    if (!Number.isInteger(rowsPerBlock) || rowsPerBlock < 1) throw new ConfigError('rowsPerBlock', `rowsPerBlock must be a whole number >= 1, got ${rowsPerBlock}`);
    const meta: ImageMeta = { shape: [r1 - r0, cols, cols], dtype: 'f32', spacing: [1, 1, 1], blockShape: [Math.min(rowsPerBlock, r1 - r0), cols, cols] };
    const node = new ReconstructNode({ meta, scan, firstRow: r0, preprocess, fbp: { center, filter }, rings });
    if (node.op === RECONSTRUCT_HDF5_OP) await import('./nodes/register-hdf5.js');
    const image = new ImageRDD(new RDD<Block>(this.ctx, node), meta);
    return { image, center, centerEstimate, scan };
  }
}

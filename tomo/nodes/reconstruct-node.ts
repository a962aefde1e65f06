/**
 * The reconstruction as an image source: block k of the volume is a slab of detector rows, computed by
 * the task that reads those rows of the projections (and of the darks and flats), corrects, filters and
 * back-projects them. Slices are `[y][x]`, N x N for N detector columns; a block narrower than a slice
 * (a crop pushed down, or a user's block shape) back-projects only its box. The node's JSON parameters
 * hold the whole scan description, so the same plan runs on local[N], cluster and Grid Engine workers.
 */
import type { TaskContext } from '../../core/index.js';
import type { ImageMeta } from '../../imaging/block.js';
import type { Box } from '../../imaging/box.js';
import type { TypedArray } from '../../imaging/dtype.js';
import { SourceRegionNode } from '../../imaging/nodes/region-node.js';
import { kernels } from '../kernels/dispatch.js';
import { reconstructProjections, reconstructSlices, type FbpOptions } from '../fbp.js';
import { correctedRows, toSinograms, type PreprocessOptions } from '../preprocess.js';
import type { TomoScan } from '../scan.js';

/** The plan parameters of a reconstruction. */
export interface ReconstructParams {
  readonly meta: ImageMeta;
  readonly scan: TomoScan;
  /** The first detector row reconstructed (slice z of the volume is detector row `firstRow + z`). */
  readonly firstRow: number;
  readonly preprocess: PreprocessOptions;
  readonly fbp: FbpOptions;
  /** Ring removal: the median window of Vo's sorting-based stripe removal (odd), or null for none. */
  readonly rings?: number | null;
}

/** The op of a reconstruction node; scans in HDF5 use the op whose module loads h5wasm first. */
export const RECONSTRUCT_OP = 'tomo.reconstruct';
export const RECONSTRUCT_HDF5_OP = 'tomo.reconstructHdf5';

export class ReconstructNode extends SourceRegionNode<ReconstructParams> {
  readonly op: string;
  constructor(params: ReconstructParams) {
    super(params);
    const stacks = [params.scan.projections, params.scan.flats, params.scan.flatsAfter, params.scan.darks];
    this.op = stacks.some((s) => s?.format === 'hdf5') ? RECONSTRUCT_HDF5_OP : RECONSTRUCT_OP;
  }
  region(box: Box, tc: TaskContext): TypedArray {
    const { scan, firstRow, preprocess, fbp } = this.params;
    const [angles, , cols] = scan.shape;
    const rows = box.shape[0];
    const corrected = correctedRows(scan, preprocess, firstRow + box.origin[0], rows, null);
    const slices = { y0: box.origin[1], x0: box.origin[2], rows: box.shape[1], cols: box.shape[2] };
    const rings = this.params.rings ?? null;
    let out: Float32Array;
    if (rings === null) {
      out = reconstructProjections(corrected, rows, scan.angles, cols, fbp, slices);
    } else {
      // Ring removal works on whole sinograms.
      const sinograms = toSinograms(corrected, angles, rows, cols);
      const sinogram = angles * cols;
      const cleaned = new Float32Array(sinogram);
      for (let r = 0; r < rows; r++) {
        const row = sinograms.subarray(r * sinogram, (r + 1) * sinogram);
        kernels.removeStripes(row, angles, cols, rings, cleaned);
        row.set(cleaned);
      }
      out = reconstructSlices(sinograms, rows, scan.angles, cols, fbp, slices);
    }
    tc.count(`voxels:${this.op}`, out.length);
    return out;
  }
  describe(): string {
    const { scan, fbp } = this.params;
    return `reconstruct ${scan.projections.path} (${scan.shape[0]} angles, centre ${fbp.center}, ${fbp.filter})`;
  }
}

/**
 * voxelflow tomography: reconstruction as an image source. Projections (DXchange HDF5, or `.npy` /
 * TIFF stacks `[angle][row][column]` with flats, darks and angles) are corrected (dark/flat with
 * mean or median averaging and before/after interpolation, guarded -log, optional dezinger) and
 * reconstructed by parallel-beam filtered back-projection with scikit-image's geometry (`iradon`,
 * circle=True), the centre of rotation found automatically unless given. The volume is an ImageRDD of
 * slabs of detector rows, so it filters, thresholds, labels and measures like any other image.
 *
 * @example
 *   import { Context } from 'voxelflow';
 *   const ctx = await Context.create({ master: 'local[2]' });
 *   const { image, center } = await ctx.tomo.read('scan.h5'); // /exchange/data, data_white, data_dark, theta
 *   console.log(`centre ${center.toFixed(2)}`, image.shape);
 *   const labels = image.threshold({ above: 0.025 }).labelComponents({ connectivity: 26 });
 *   console.log(await labels.componentCount());
 *   await ctx.stop();
 */
import { defineContextMembers } from '../core/index.js';
import { Tomo } from './tomo.js';
import './nodes/register.js';

declare module '../core/context.js' {
  interface Context {
    /** Tomographic reconstruction: `ctx.tomo.read(path, options)`. */
    readonly tomo: Tomo;
  }
}

// ---- what this entry adds -----------------------------------------------------------------------
defineContextMembers({
  tomo: {
    get() {
      return new Tomo(this);
    },
  },
});

export { Tomo, type Reconstruction, type ReconstructOptions } from './tomo.js';
export { openScan, type ScanOptions } from './io/open-scan.js';
export { scanFromFrames, type FramesScan, type ScanFrames } from './frames-scan.js';
export { evenAngles, readAngles } from './io/angles.js';
export { findCenter, type CenterEstimate } from './find-center.js';
export { correctedRows, type PreprocessOptions } from './preprocess.js';
export { reconstructSlices, type FbpOptions, type SliceBox } from './fbp.js';
export { IncrementalFbp, type IncrementalFbpOptions } from './incremental-fbp.js';
export { simulateScan, type SimulateScanOptions, type SimulatedScan } from './simulate-scan.js';
export { writeDxchange, type DxchangeScan, type WriteDxchangeOptions } from './io/write-dxchange.js';
export { projectPhantom, rasterizePhantom, samplePhantom, type Ellipsoid } from './phantom.js';
export type { StackFormat, StackRef, TomoScan } from './scan.js';
export { FILTER_NAMES, FRAME_AVERAGES, type FilterName, type FrameAverage, type PaganinParams } from './kernels/index.js';

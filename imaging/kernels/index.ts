/**
 * voxelflow imaging kernels: pure TypeScript functions over one dense C-order block (`[z][y][x]`). They
 * take typed arrays, numbers and small option objects, write into caller-provided `out` buffers, and
 * assume nothing about the engine, so that the native twins in `native/` can share their signatures.
 * Operators (`imaging/nodes`, `imaging/labeling`) validate parameters and choose boxes; kernels check
 * only what would otherwise fail silently (buffer sizes, halo coverage).
 *
 * @example
 *   import { boxFilter, haloBox, labelBlock, labelStats, shapeFromPartials, threshold } from './index.js';
 *   const shape = [1, 4, 4] as const; // a 2D image
 *   const img = new Uint16Array([0, 9, 9, 0,  0, 9, 9, 0,  0, 0, 0, 0,  7, 0, 0, 7]);
 *   const smooth = new Float32Array(16);
 *   const box = haloBox([0, 0, 0], shape, shape, 1); // the whole image: no halo needed
 *   boxFilter(img, box.shape, box.origin, shape, [0, 0, 0], shape, 1, 'constant', smooth);
 *   const mask = new Uint8Array(16);
 *   threshold(img, 5, null, mask); // 6 foreground voxels
 *   const labels = new Uint32Array(16);
 *   const n = labelBlock(mask, shape, 8, labels); // 3 components
 *   const partials = labelStats(labels, n, shape, [0, 0, 0], shape, img);
 *   shapeFromPartials(partials, 1); // { voxels: 4, centroid: [1.5, 0.5, 0], meanIntensity: 9, ... }
 */
export { threshold } from './threshold.js';
export { boxFilter, boxFilterScratchLength, BOX_FILTER_MODES, type BoxFilterMode } from './box-filter.js';
export { haloBox, type Box3, type Index3 } from './geometry.js';
export { CONNECTIVITY_REACH, labelBlock, labelScratchLength, normalizeConnectivity, type Connectivity } from './label-block.js';
export {
  labelStats,
  createPartials,
  mergePartials,
  serializePartials,
  deserializePartials,
  PARTIAL_FIELDS,
  type LabelPartials,
  type PartialField,
  type SerializedPartials,
} from './label-stats.js';
export { shapeFromPartials, symmetricEigenvalues3, type ShapeRow, type XYZ } from './shape-stats.js';
export { mapLabels, type LabelArray } from './map-labels.js';
export { facePairs } from './face-pairs.js';

/**
 * The imaging kernels on their backend: the C++ addon's (native/) where it loaded, the TypeScript twins
 * of this folder otherwise. Both have the same signature, the same argument checks and errors (a call
 * the addon rejects is handed to the twin, which throws), and give identical outputs
 * (test/native/*parity.test.ts). `VOXELFLOW_NATIVE=0` forces TypeScript.
 *
 * @example
 *   import { backends, kernels } from './dispatch.js';
 *   const mask = new Uint8Array(4);
 *   kernels.threshold(new Float32Array([0, 5, 10, NaN]), 1, null, mask); // 2, mask = [0, 1, 1, 0]
 *   console.log(backends()); // { threshold: 'native', labelBlock: 'native', ..., mapLabels: 'native' }
 */
import { type Backend, type ImagingAddon, nativeAddon } from '../../native/index.js';
import type { Shape3 } from '../volume.js';
import * as ts from './index.js';
import type { Connectivity } from './index.js';
import { phantomRegion } from './phantom-region.js';

/** The kernels this dispatcher chooses a backend for. */
export type KernelName = 'threshold' | 'labelBlock' | 'boxFilter' | 'labelStats' | 'phantomRegion' | 'mapLabels' | 'facePairs';

/** The backend each imaging kernel runs on in this thread. */
export function backends(): Record<KernelName, Backend> {
  const b: Backend = nativeAddon !== null ? 'native' : 'typescript';
  return { threshold: b, labelBlock: b, boxFilter: b, labelStats: b, phantomRegion: b, mapLabels: b, facePairs: b };
}

const isBound = (v: unknown): boolean => v === null || typeof v === 'number';

/** `threshold` of imaging/kernels, run natively. */
function nativeThreshold(native: ImagingAddon): typeof ts.threshold {
  return (src, above, below, out) => {
    if (!isBound(above) || !isBound(below) || (above === null && below === null) || !(out instanceof Uint8Array) || out.length < src.length) {
      return ts.threshold(src, above, below, out);
    }
    const bounds = above === null ? 2 : below === null ? 1 : 0;
    return native.threshold(src, bounds, above ?? 0, below ?? 0, out);
  };
}

/** `labelBlock` of imaging/kernels, run natively. */
function nativeLabelBlock(native: ImagingAddon): typeof ts.labelBlock {
  return (mask: Uint8Array, shape: Shape3, connectivity: Connectivity, out: Uint32Array, scratch?: Uint32Array) => {
    const valid = shape.every((v) => Number.isInteger(v) && v >= 1) && ts.CONNECTIVITY_REACH[connectivity] !== undefined;
    const count = shape[0] * shape[1] * shape[2];
    const table = valid ? ts.labelScratchLength(shape) : 0;
    if (
      !valid ||
      !(mask instanceof Uint8Array) ||
      !(out instanceof Uint32Array) ||
      mask.length < count ||
      out.length < count ||
      table > 0xffffffff ||
      (scratch !== undefined && (!(scratch instanceof Uint32Array) || scratch.length < table))
    ) {
      return ts.labelBlock(mask, shape, connectivity, out, scratch);
    }
    // label_block.h's `steps`: the reach of the connectivity normalized to the block's rank.
    const steps = ts.CONNECTIVITY_REACH[ts.normalizeConnectivity(shape, connectivity)];
    return native.labelBlock(mask, shape[0], shape[1], shape[2], steps, out, scratch);
  };
}

const isTypedArray = (v: unknown): boolean => ArrayBuffer.isView(v) && !(v instanceof DataView);

const BOX_MODES: ReadonlyMap<unknown, number> = new Map([['constant', 0], ['nearest', 1], ['reflect', 2]]);

// Geometry handed to the addon as one Float64Array of [z, y, x] triples, one array per kernel and
// thread, filled per call: boxFilter's inShape, inOrigin, imageShape, outOrigin, outShape; labelStats'
// shape, origin, imageShape.
const boxGeometry = new Float64Array(15);
const statsGeometry = new Float64Array(9);

/** Writes the triples of `boxes` into `into`; anything but a number becomes NaN, which the addon rejects. */
function packTriples(into: Float64Array, boxes: readonly (readonly unknown[])[]): Float64Array {
  for (let b = 0; b < boxes.length; b++) {
    for (let a = 0; a < 3; a++) {
      const v = boxes[b]![a];
      into[b * 3 + a] = typeof v === 'number' ? v : NaN;
    }
  }
  return into;
}

/** `boxFilter` of imaging/kernels, run natively; a call the addon rejects goes to the twin, which throws. */
function nativeBoxFilter(native: ImagingAddon): typeof ts.boxFilter {
  return (input, inShape, inOrigin, imageShape, outOrigin, outShape, radius, mode, out, scratch) => {
    const code = BOX_MODES.get(mode);
    const scratchOk = scratch === undefined || (scratch instanceof Float32Array && scratch.length >= ts.boxFilterScratchLength(inShape));
    if (code !== undefined && scratchOk && isTypedArray(input) && out instanceof Float32Array && typeof radius === 'number') {
      const geometry = packTriples(boxGeometry, [inShape, inOrigin, imageShape, outOrigin, outShape]);
      if (native.boxFilter(input, geometry, radius, code, out)) return;
    }
    ts.boxFilter(input, inShape, inOrigin, imageShape, outOrigin, outShape, radius, mode, out, scratch);
  };
}

/** `labelStats` of imaging/kernels, run natively; a call the addon rejects goes to the twin, which throws. */
function nativeLabelStats(native: ImagingAddon): typeof ts.labelStats {
  return (labels, n, shape, origin, imageShape, intensity) => {
    const intensityOk = intensity === null || isTypedArray(intensity);
    if (labels instanceof Uint32Array && intensityOk && Number.isInteger(n) && n >= 0 && n <= 0xffffffff) {
      const geometry = packTriples(statsGeometry, [shape, origin, imageShape]);
      const p = ts.createPartials(n, intensity !== null);
      if (native.labelStats(labels, geometry, intensity, n, p.data)) return p;
    }
    return ts.labelStats(labels, n, shape, origin, imageShape, intensity);
  };
}

const PHANTOM_KINDS: ReadonlyMap<unknown, number> = new Map([['blobs', 0], ['bone', 1]]);

// phantomRegion's origin and shape ([z, y, x] each), one array per thread, filled per call.
const phantomGeometry = new Float64Array(6);

/**
 * `phantomRegion` of imaging/kernels/phantom-region.ts, run natively for integer seeds (the twin's
 * `seed + k` and `seed ^ k` are then int32 arithmetic, which the addon repeats); any other call, or
 * one the addon rejects, goes to the twin (which throws for a bad one).
 */
function nativePhantomRegion(native: ImagingAddon): typeof phantomRegion {
  return (kind, origin, shape, seed, out) => {
    const code = PHANTOM_KINDS.get(kind);
    if (code !== undefined && Number.isSafeInteger(seed) && isTypedArray(out)) {
      const geometry = packTriples(phantomGeometry, [origin, shape]);
      if (native.phantomRegion(code, geometry, seed, out)) return;
    }
    phantomRegion(kind, origin, shape, seed, out);
  };
}

/** `mapLabels` of imaging/kernels, run natively; a call the addon rejects goes to the twin, which throws. */
function nativeMapLabels(native: ImagingAddon): typeof ts.mapLabels {
  return (src, table, out) => (native.mapLabels(src, table, out) ? out : ts.mapLabels(src, table, out));
}

/** `facePairs` of imaging/kernels, run natively; a call the addon rejects goes to the twin, which throws. */
function nativeFacePairs(native: ImagingAddon): typeof ts.facePairs {
  return (a, n, shape, offsets) => native.facePairs(a, n, shape[0], shape[1], shape[2], offsets) ?? ts.facePairs(a, n, shape, offsets);
}

/** The kernels, each on its backend (see `backends()`); signatures are those of imaging/kernels. */
export const kernels: {
  readonly threshold: typeof ts.threshold;
  readonly labelBlock: typeof ts.labelBlock;
  readonly boxFilter: typeof ts.boxFilter;
  readonly labelStats: typeof ts.labelStats;
  readonly phantomRegion: typeof phantomRegion;
  readonly mapLabels: typeof ts.mapLabels;
  readonly facePairs: typeof ts.facePairs;
} = Object.freeze({
  threshold: nativeAddon !== null ? nativeThreshold(nativeAddon) : ts.threshold,
  labelBlock: nativeAddon !== null ? nativeLabelBlock(nativeAddon) : ts.labelBlock,
  boxFilter: nativeAddon !== null ? nativeBoxFilter(nativeAddon) : ts.boxFilter,
  labelStats: nativeAddon !== null ? nativeLabelStats(nativeAddon) : ts.labelStats,
  phantomRegion: nativeAddon !== null ? nativePhantomRegion(nativeAddon) : phantomRegion,
  mapLabels: nativeAddon !== null ? nativeMapLabels(nativeAddon) : ts.mapLabels,
  facePairs: nativeAddon !== null ? nativeFacePairs(nativeAddon) : ts.facePairs,
});

/** The TypeScript twins, whatever the backend: for parity tests and benchmarks. */
export const typescriptKernels: typeof kernels = Object.freeze({
  threshold: ts.threshold,
  labelBlock: ts.labelBlock,
  boxFilter: ts.boxFilter,
  labelStats: ts.labelStats,
  phantomRegion,
  mapLabels: ts.mapLabels,
  facePairs: ts.facePairs,
});

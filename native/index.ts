/**
 * voxelflow native kernels: one loader that picks the C++ (N-API) kernel where the addon was built and
 * loaded, and the TypeScript twin from `imaging/kernels` otherwise. Both have the same signature, the
 * same argument checks and errors (invalid calls are handed to the TypeScript twin, which throws), and
 * give identical outputs (test/native/*parity.test.ts). `VOXELFLOW_NATIVE=0` forces TypeScript. The
 * addon is built best-effort by `npm install` (native/build.mjs); `voxelflow doctor` shows the outcome.
 *
 * @example
 *   import { backends, kernels } from './index.js';
 *   const mask = new Uint8Array(4);
 *   kernels.threshold(new Float32Array([0, 5, 10, NaN]), 1, null, mask); // 2, mask = [0, 1, 1, 0]
 *   console.log(backends()); // { threshold: 'native', labelBlock: 'native', boxFilter: 'native', labelStats: 'native', phantomRegion: 'native' }
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ts from '../imaging/kernels/index.js';
import type { Connectivity } from '../imaging/kernels/index.js';
import { phantomRegion } from '../imaging/kernels/phantom-region.js';
import type { TypedArray } from '../imaging/dtype.js';
import type { Shape3 } from '../imaging/volume.js';
import { nativeTomoKernels, TOMO_EXPORTS, typescriptTomoKernels, type TomoAddon, type TomoKernels } from './tomo.js';

/** Which implementation runs a kernel. */
export type Backend = 'native' | 'typescript';

/** The kernels the loader dispatches. */
export type KernelName = 'threshold' | 'labelBlock' | 'boxFilter' | 'labelStats' | 'phantomRegion' | keyof TomoKernels;

/** Whether the addon loaded: `loaded` with its path, or why not (`disabled` by the env, `absent`). */
export type NativeStatus =
  | { readonly state: 'loaded'; readonly path: string }
  | { readonly state: 'disabled'; readonly reason: string }
  | { readonly state: 'absent'; readonly reason: string };

/** The functions the addon exports (src/addon.cc); arguments are checked by the wrappers below. */
interface Addon extends TomoAddon {
  threshold(src: TypedArray, bounds: number, above: number, below: number, out: Uint8Array): number;
  labelBlock(mask: Uint8Array, z: number, y: number, x: number, steps: number, out: Uint32Array, scratch: Uint32Array | undefined): number;
  boxFilter(input: TypedArray, geometry: Float64Array, radius: number, mode: number, out: Float32Array): boolean;
  labelStats(labels: Uint32Array, geometry: Float64Array, intensity: TypedArray | null, n: number, data: Float64Array): boolean;
  phantomRegion(kind: number, geometry: Float64Array, seed: number, out: TypedArray): boolean;
}

/**
 * The folder with binding.gyp: this file runs as native/index.ts (tests) or dist/native/index.js. There,
 * node-gyp-build finds the addon: build/Release (compiled here by `npm install` or `npm run build:native`)
 * first, else prebuilds/<platform>-<arch>/ (shipped in the npm package, see native/build.mjs).
 */
const NATIVE_DIRS = ['.', '../../native'];

const requireHere = createRequire(import.meta.url);

/** The addon's path per node-gyp-build, or why there is none. */
function findAddon(): { path: string } | { reason: string } {
  const dir = NATIVE_DIRS.map((d) => fileURLToPath(new URL(d, import.meta.url))).find((d) => existsSync(join(d, 'binding.gyp')));
  if (dir === undefined) return { reason: 'native/binding.gyp is missing from this installation' };
  try {
    const { path } = requireHere('node-gyp-build') as { path(dir: string): string };
    return { path: path(dir) };
  } catch (err) {
    const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
    return { reason: `${message.replace(/^No native build was found for .*/, `no native build in ${dir}/build/Release and no prebuild for ${process.platform}-${process.arch}`)}; run 'npm run build:native' (or 'node native/build.mjs --verbose' in the installed package)` };
  }
}

const KERNEL_EXPORTS = ['threshold', 'labelBlock', 'boxFilter', 'labelStats', 'phantomRegion', ...TOMO_EXPORTS] as const;

function load(): { addon: Addon | null; status: NativeStatus } {
  if (process.env['VOXELFLOW_NATIVE'] === '0') {
    return { addon: null, status: { state: 'disabled', reason: 'VOXELFLOW_NATIVE=0' } };
  }
  const found = findAddon();
  if (!('path' in found)) return { addon: null, status: { state: 'absent', reason: found.reason } };
  const path = found.path;
  try {
    const addon = requireHere(path) as Partial<Addon>;
    if (KERNEL_EXPORTS.some((k) => typeof addon[k] !== 'function')) {
      return { addon: null, status: { state: 'absent', reason: `${path} lacks kernels (stale build?); run 'npm run build:native'` } };
    }
    return { addon: addon as Addon, status: { state: 'loaded', path } };
  } catch (err) {
    const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
    return { addon: null, status: { state: 'absent', reason: `cannot load ${path}: ${message}` } };
  }
}

const { addon, status } = load();

/** Whether the native addon loaded in this thread, and if not, why. */
export function nativeStatus(): NativeStatus {
  return status;
}

/** The backend each kernel runs on in this thread. */
export function backends(): Record<KernelName, Backend> {
  const native: Backend = addon !== null ? 'native' : 'typescript';
  const tomo = Object.fromEntries(Object.keys(typescriptTomoKernels).map((k) => [k, native])) as Record<keyof TomoKernels, Backend>;
  return { threshold: native, labelBlock: native, boxFilter: native, labelStats: native, phantomRegion: native, ...tomo };
}

const isBound = (v: unknown): boolean => v === null || typeof v === 'number';

/** `threshold` of imaging/kernels, run natively. */
function nativeThreshold(native: Addon): typeof ts.threshold {
  return (src, above, below, out) => {
    if (!isBound(above) || !isBound(below) || (above === null && below === null) || !(out instanceof Uint8Array) || out.length < src.length) {
      return ts.threshold(src, above, below, out);
    }
    const bounds = above === null ? 2 : below === null ? 1 : 0;
    return native.threshold(src, bounds, above ?? 0, below ?? 0, out);
  };
}

/** `labelBlock` of imaging/kernels, run natively. */
function nativeLabelBlock(native: Addon): typeof ts.labelBlock {
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
function nativeBoxFilter(native: Addon): typeof ts.boxFilter {
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
function nativeLabelStats(native: Addon): typeof ts.labelStats {
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
function nativePhantomRegion(native: Addon): typeof phantomRegion {
  return (kind, origin, shape, seed, out) => {
    const code = PHANTOM_KINDS.get(kind);
    if (code !== undefined && Number.isSafeInteger(seed) && isTypedArray(out)) {
      const geometry = packTriples(phantomGeometry, [origin, shape]);
      if (native.phantomRegion(code, geometry, seed, out)) return;
    }
    phantomRegion(kind, origin, shape, seed, out);
  };
}

/** The kernels, each on its backend (see `backends()`); signatures are those of imaging/kernels. */
export const kernels: {
  readonly threshold: typeof ts.threshold;
  readonly labelBlock: typeof ts.labelBlock;
  readonly boxFilter: typeof ts.boxFilter;
  readonly labelStats: typeof ts.labelStats;
  readonly phantomRegion: typeof phantomRegion;
} & TomoKernels = Object.freeze({
  threshold: addon !== null ? nativeThreshold(addon) : ts.threshold,
  labelBlock: addon !== null ? nativeLabelBlock(addon) : ts.labelBlock,
  boxFilter: addon !== null ? nativeBoxFilter(addon) : ts.boxFilter,
  labelStats: addon !== null ? nativeLabelStats(addon) : ts.labelStats,
  phantomRegion: addon !== null ? nativePhantomRegion(addon) : phantomRegion,
  ...(addon !== null ? nativeTomoKernels(addon) : typescriptTomoKernels),
});

/** The TypeScript twins, whatever the backend: for parity tests and benchmarks. */
export const typescriptKernels: typeof kernels = Object.freeze({
  threshold: ts.threshold,
  labelBlock: ts.labelBlock,
  boxFilter: ts.boxFilter,
  labelStats: ts.labelStats,
  phantomRegion,
  ...typescriptTomoKernels,
});

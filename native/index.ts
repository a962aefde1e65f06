/**
 * The native addon's loader: finds the C++ (N-API) build where `npm install` or `npm run build:native`
 * made it (or the prebuild the package ships), checks that it has every kernel, and says why when it
 * has not. `VOXELFLOW_NATIVE=0` turns it off. This folder is a leaf: it imports nothing else of
 * voxelflow; each folder's kernels choose between the addon and their TypeScript twins
 * (imaging/kernels/dispatch.ts, tomo/kernels/dispatch.ts), and `voxelflow doctor` shows the outcome.
 *
 * @example
 *   import { nativeAddon, nativeStatus } from './index.js';
 *   console.log(nativeStatus()); // { state: 'loaded', path: '.../voxelflow_native.node' }
 *   if (nativeAddon !== null) nativeAddon.threshold(src, 1, 300, 0, mask);
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOMO_EXPORTS, type TomoAddon } from './tomo.js';

/** Which implementation runs a kernel. */
export type Backend = 'native' | 'typescript';

/** Every typed array a kernel takes voxels in. */
export type NumericArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** Whether the addon loaded: `loaded` with its path, or why not (`disabled` by the env, `absent`). */
export type NativeStatus =
  | { readonly state: 'loaded'; readonly path: string }
  | { readonly state: 'disabled'; readonly reason: string }
  | { readonly state: 'absent'; readonly reason: string };

/** The imaging functions the addon exports (src/addon.cc); the dispatcher checks their arguments. */
export interface ImagingAddon {
  threshold(src: NumericArray, bounds: number, above: number, below: number, out: Uint8Array): number;
  labelBlock(mask: Uint8Array, z: number, y: number, x: number, steps: number, out: Uint32Array, scratch: Uint32Array | undefined): number;
  boxFilter(input: NumericArray, geometry: Float64Array, radius: number, mode: number, out: Float32Array): boolean;
  labelStats(labels: Uint32Array, geometry: Float64Array, intensity: NumericArray | null, n: number, data: Float64Array): boolean;
  phantomRegion(kind: number, geometry: Float64Array, seed: number, out: NumericArray): boolean;
  mapLabels(src: Uint8Array | Uint16Array | Uint32Array, table: Uint32Array | null, out: Uint8Array | Uint16Array | Uint32Array): boolean;
  facePairs(a: Uint8Array | Uint16Array | Uint32Array, n: Uint8Array | Uint16Array | Uint32Array, sz: number, sy: number, sx: number, offsets: Int32Array): Uint32Array | undefined;
  /**
   * Starts writing a file range's dirty pages to disk without waiting (Linux sync_file_range); 0, an
   * errno, or -1 where the system has no such call. Optional: an addon built before it still loads.
   */
  startWriteback?(fd: number, offset: number, length: number): number;
}

/** Everything the addon exports. */
export interface NativeAddon extends ImagingAddon, TomoAddon {}

export type { TomoAddon };

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

const KERNEL_EXPORTS = ['threshold', 'labelBlock', 'boxFilter', 'labelStats', 'phantomRegion', 'mapLabels', 'facePairs', ...TOMO_EXPORTS] as const;

function load(): { addon: NativeAddon | null; status: NativeStatus } {
  if (process.env['VOXELFLOW_NATIVE'] === '0') {
    return { addon: null, status: { state: 'disabled', reason: 'VOXELFLOW_NATIVE=0' } };
  }
  const found = findAddon();
  if (!('path' in found)) return { addon: null, status: { state: 'absent', reason: found.reason } };
  const path = found.path;
  try {
    const addon = requireHere(path) as Partial<NativeAddon>;
    if (KERNEL_EXPORTS.some((k) => typeof addon[k] !== 'function')) {
      return { addon: null, status: { state: 'absent', reason: `${path} lacks kernels (stale build?); run 'npm run build:native'` } };
    }
    return { addon: addon as NativeAddon, status: { state: 'loaded', path } };
  } catch (err) {
    const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
    return { addon: null, status: { state: 'absent', reason: `cannot load ${path}: ${message}` } };
  }
}

const { addon, status } = load();


/** The addon in this thread, or null when it did not load (see nativeStatus). */
export const nativeAddon: NativeAddon | null = addon;

/** Whether the native addon loaded in this thread, and if not, why. */
export function nativeStatus(): NativeStatus {
  return status;
}

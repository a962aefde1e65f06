/**
 * h5wasm (the HDF5 C library compiled to WebAssembly; reads real files through Node's file system) is
 * loaded when a scan in HDF5 is first opened, not when voxelflow is imported: its module is 4 MB and
 * takes ~0.1 s to start. Its start is asynchronous, so the modules that read HDF5 in tasks await it at
 * their top level (tomo/nodes/register-hdf5.ts), and synchronous readers call `hdf5()`.
 */
import type * as H5 from 'h5wasm';

/** The h5wasm module's API. */
export type Hdf5 = typeof H5;

let loaded: Hdf5 | null = null;

/** Loads h5wasm once per thread. */
export async function loadHdf5(): Promise<Hdf5> {
  if (loaded === null) {
    // h5wasm/node's own typings describe a default export; the module namespace is what we call.
    const module = (await import('h5wasm/node')) as unknown as Hdf5;
    await module.ready;
    loaded = module;
  }
  return loaded;
}

/** The loaded h5wasm; throws when `loadHdf5` has not completed in this thread. */
export function hdf5(): Hdf5 {
  if (loaded === null) throw new Error('h5wasm is not loaded in this thread: await loadHdf5() first (tomo/io/hdf5.ts)');
  return loaded;
}

/** Whether an HDF5 dataset's value is an array of numbers (a typed array that is neither a DataView nor 64-bit integers). */
export function isNumberArray(v: unknown): v is ArrayLike<number> & ArrayBufferView {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
}

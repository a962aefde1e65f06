/**
 * Chunked widening of any typed array to float64, so that hot loops see a single element kind.
 *
 * A loop that reads several typed-array kinds at one site goes megamorphic in V8 and runs 3-5x slower
 * (measured on Node 20: threshold over 128^3 voxels takes 10 ms when the loop has only seen f32, 32-48 ms
 * once it has seen all seven dtypes). Copying a chunk with the native `Float64Array#set` and looping
 * over the copy keeps every kernel loop monomorphic, and is cheaper than what it saves (6 ms for the same
 * threshold, any dtype). Float64 holds every voxel dtype exactly.
 */
import type { TypedArray } from '../dtype.js';

/** Voxels per chunk: 4096 doubles = 32 KiB, about one L1 data cache. */
export const WIDEN_CHUNK = 4096;

// One buffer per module instance (each worker thread has its own). Kernels are synchronous and never
// hold a widened chunk across another kernel call, so sharing it is safe.
const chunk = new Float64Array(WIDEN_CHUNK);

/**
 * `src[start..end)` as float64 in a shared buffer (index 0 = `src[start]`), valid until the next call.
 * `end - start` must not exceed `WIDEN_CHUNK`.
 */
export function widen(src: TypedArray, start: number, end: number): Float64Array {
  chunk.set(src.subarray(start, end));
  return chunk;
}

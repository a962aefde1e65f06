/**
 * Scratch arrays that belong to one consumer on one thread (a node instance of a revived plan: tasks on
 * a thread run one at a time, and a stage's nodes serve all its tasks there). A fused chain reads an
 * intermediate box into its consumer's scratch instead of a fresh array: on this class of machine the
 * page faults of fresh memory cost more than the kernels that fill it. Keyed by the consumer, so two
 * consumers in one chain never share a buffer.
 */
import { allocate, isArrayOf, type DType, type TypedArray } from './dtype.js';

const owned = new WeakMap<object, TypedArray>();

/** A scratch array of `dtype` and length `n` owned by `owner`, valid until `owner` asks again. */
export function scratchOf(owner: object, dtype: DType, n: number): TypedArray {
  let a = owned.get(owner);
  if (a === undefined || a.length < n || !isArrayOf(dtype, a)) {
    a = allocate(dtype, n);
    owned.set(owner, a);
  }
  return a.subarray(0, n);
}

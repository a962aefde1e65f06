/**
 * Threshold kernel: a u8 mask with 1 where a voxel lies strictly inside the open interval
 * `(above, below)`, either bound optional.
 */
import { ConfigError } from '../../core/index.js';
import type { TypedArray } from '../dtype.js';
import { WIDEN_CHUNK, widen } from './widen.js';

/**
 * Writes `out[i] = 1` where `(above === null || src[i] > above) && (below === null || src[i] < below)`,
 * else 0, and returns the number of foreground voxels. NaN is background (every comparison with NaN is
 * false). At least one bound must be a number; `out` must hold `src.length` voxels.
 *
 * @example
 *   const mask = new Uint8Array(4);
 *   threshold(new Float32Array([0, 5, 10, NaN]), 1, null, mask); // 2, mask = [0, 1, 1, 0]
 */
export function threshold(src: TypedArray, above: number | null, below: number | null, out: Uint8Array): number {
  checkBound('above', above);
  checkBound('below', below);
  if (above === null && below === null) {
    throw new ConfigError('above', 'threshold needs `above`, `below` or both; got null for both');
  }
  if (out.length < src.length) {
    throw new ConfigError('out', `threshold: out holds ${out.length} voxels, src has ${src.length}; pass an out of at least src.length`);
  }
  let count = 0;
  for (let start = 0; start < src.length; start += WIDEN_CHUNK) {
    const end = Math.min(src.length, start + WIDEN_CHUNK);
    const values = widen(src, start, end);
    // Three loops rather than one with ±Infinity defaults: `-Infinity > -Infinity` is false, so a
    // missing `above` cannot be stood in for by a number without losing -Infinity voxels.
    if (above === null) count += belowOnly(values, end - start, below as number, out, start);
    else if (below === null) count += aboveOnly(values, end - start, above, out, start);
    else count += between(values, end - start, above, below, out, start);
  }
  return count;
}

function checkBound(name: 'above' | 'below', value: number | null): void {
  if (value !== null && typeof value !== 'number') {
    throw new ConfigError(name, `threshold: \`${name}\` must be a number or null, got ${typeof value}`);
  }
}

// Each loop: out[offset + i] = test(values[i]) ? 1 : 0, counting the ones. Every voxel is written, so
// callers need not clear `out`.

function between(values: Float64Array, n: number, above: number, below: number, out: Uint8Array, offset: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const f = v > above && v < below ? 1 : 0;
    out[offset + i] = f;
    count += f;
  }
  return count;
}

function aboveOnly(values: Float64Array, n: number, above: number, out: Uint8Array, offset: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) {
    const f = values[i]! > above ? 1 : 0;
    out[offset + i] = f;
    count += f;
  }
  return count;
}

function belowOnly(values: Float64Array, n: number, below: number, out: Uint8Array, offset: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) {
    const f = values[i]! < below ? 1 : 0;
    out[offset + i] = f;
    count += f;
  }
  return count;
}

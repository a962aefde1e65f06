/**
 * Box (mean) filter of one block with its halo, as separable running sums: O(1) work per voxel and axis
 * whatever the radius. The result is `scipy.ndimage.uniform_filter(x.astype(np.float32), size=2r+1,
 * mode=mode, cval=0)` cut to the output box.
 *
 * Arithmetic follows scipy: the input is rounded to float32, then each axis pass (z, then y, then x)
 * accumulates in float64 and stores float32. It is not bit-identical to scipy, which updates a running
 * mean instead of a running sum; nor, for every input, across block layouts, because the rounding of
 * `sum += new - old` depends on where a line starts. Both agree to float32 rounding. For u8 input
 * (radius <= 31) every partial sum is exact, so any block layout gives the same bits. As in scipy, a
 * non-finite voxel poisons the running sum for the rest of its line (NaN - NaN, Inf - Inf).
 */
import { ConfigError } from '../../core/index.js';
import type { TypedArray } from '../dtype.js';
import { type Shape3, voxelCount } from '../volume.js';
import { haloBox, type Index3 } from './geometry.js';

/** How positions outside the image are filled, named and defined as in `scipy.ndimage`. */
export type BoxFilterMode = 'constant' | 'nearest' | 'reflect';

/** The accepted modes: `constant` is 0 outside, `nearest` repeats the edge, `reflect` is `dcba|abcd|dcba`. */
export const BOX_FILTER_MODES: readonly BoxFilterMode[] = ['constant', 'nearest', 'reflect'];

/** Length of the optional `scratch` buffer of `boxFilter` for an input box of `inShape`. */
export function boxFilterScratchLength(inShape: Shape3): number {
  return 2 * voxelCount(inShape);
}

/**
 * Mean over the `(2 radius + 1)^d` window around every voxel of the output box, where d counts the image
 * axes of extent above 1 (a 2D image, z = 1, gets a square window). `input` is the box `[inOrigin,
 * inOrigin + inShape)` of an image of `imageShape`, C-order; it must cover the output box grown by
 * `radius` on each filtered axis, clipped to the image (`haloBox` computes exactly that). Positions
 * outside the image follow `mode`; `reflect` repeats its reflection when the radius exceeds the image.
 * `out` receives the output box, C-order. `scratch`, when given, must hold
 * `boxFilterScratchLength(inShape)` floats; otherwise the kernel allocates what it needs. `out` must not
 * overlap `input` or `scratch`.
 *
 * @example
 *   const img = new Uint8Array([0, 0, 9, 0, 0]); // shape [1, 1, 5]
 *   const out = new Float32Array(5);
 *   boxFilter(img, [1, 1, 5], [0, 0, 0], [1, 1, 5], [0, 0, 0], [1, 1, 5], 1, 'constant', out); // [0, 3, 3, 3, 0]
 */
export function boxFilter(
  input: TypedArray,
  inShape: Shape3,
  inOrigin: Index3,
  imageShape: Shape3,
  outOrigin: Index3,
  outShape: Shape3,
  radius: number,
  mode: BoxFilterMode,
  out: Float32Array,
  scratch?: Float32Array,
): void {
  checkArguments(input, inShape, inOrigin, imageShape, outOrigin, outShape, radius, mode, out, scratch);
  const inCount = voxelCount(inShape);
  const outCount = voxelCount(outShape);
  const radii = [0, 0, 0];
  const axes: number[] = [];
  for (let a = 0; a < 3; a++) {
    radii[a] = imageShape[a]! > 1 ? radius : 0;
    if (radii[a]! > 0 || inShape[a] !== outShape[a]) axes.push(a);
  }
  const needsWork = !(input instanceof Float32Array) || axes.length >= 2;
  const work = needsWork ? (scratch ?? new Float32Array(2 * inCount)) : null;
  // Work layout: [0, inCount) holds the float32 copy of the input, later the second pass's result;
  // [inCount, 2 inCount) the first pass's result. Passes never write the buffer they read.
  const bufA = work === null ? null : work.subarray(0, inCount);
  const bufB = work === null ? null : work.subarray(inCount, 2 * inCount);
  let src: Float32Array;
  if (input instanceof Float32Array) src = input;
  else {
    bufA!.set(input);
    src = bufA!;
  }
  const dims = [inShape[0], inShape[1], inShape[2]];
  for (let p = 0; p < axes.length; p++) {
    const a = axes[p]!;
    const dst = p === axes.length - 1 ? out : src === bufB ? bufA! : bufB!;
    const outer = a === 0 ? 1 : a === 1 ? dims[0]! : dims[0]! * dims[1]!;
    const inner = a === 0 ? dims[1]! * dims[2]! : a === 1 ? dims[2]! : 1;
    const r = radii[a]!;
    if (r === 0) {
      cropRows(src, dst, outer, dims[a]!, inner, outShape[a]!, outOrigin[a]! - inOrigin[a]!);
    } else {
      const map = windowMap(outOrigin[a]!, outShape[a]!, r, imageShape[a]!, inOrigin[a]!, mode);
      if (inner === 1) sweepLines(src, dst, outer, dims[a]!, outShape[a]!, map, r);
      else sweepRows(src, dst, outer, dims[a]!, inner, outShape[a]!, map, r);
    }
    dims[a] = outShape[a]!;
    src = dst;
  }
  if (axes.length === 0) out.set(src.subarray(0, outCount));
}

/**
 * For output positions `origin .. origin + length - 1` on one axis, the input offsets of their windows
 * laid end to end: entry k is the window position `origin - r + k` mapped into the image by `mode`, minus
 * the input origin, or -1 for a constant-mode zero. Modes are handled here, once per axis, so the sweeps
 * need no boundary cases.
 */
function windowMap(origin: number, length: number, r: number, n: number, inOrigin: number, mode: BoxFilterMode): Int32Array {
  const map = new Int32Array(length + 2 * r);
  for (let k = 0; k < map.length; k++) {
    const g = origin - r + k;
    let m = g;
    if (g < 0 || g >= n) {
      if (mode === 'constant') m = -1;
      else if (mode === 'nearest') m = g < 0 ? 0 : n - 1;
      else {
        // scipy's 'reflect' (half-sample symmetric) is periodic with period 2n: abcd|dcba|abcd|dcba.
        const period = 2 * n;
        const q = ((g % period) + period) % period;
        m = q < n ? q : period - 1 - q;
      }
    }
    map[k] = m < 0 ? -1 : m - inOrigin;
  }
  return map;
}

/**
 * Running sums along an axis with contiguous rows of `inner` voxels after it (z or y): whole rows are
 * added and subtracted, so memory is read in order. Data is `[outer][nIn][inner]` in, `[outer][nOut][inner]`
 * out. A constant-mode position reads a row of zeros.
 */
function sweepRows(src: Float32Array, dst: Float32Array, outer: number, nIn: number, inner: number, nOut: number, map: Int32Array, r: number): void {
  const size = 2 * r + 1;
  const acc = new Float64Array(inner);
  const zeros = new Float32Array(inner);
  for (let o = 0; o < outer; o++) {
    const sBase = o * nIn * inner;
    const dBase = o * nOut * inner;
    acc.fill(0);
    for (let k = 0; k < size; k++) {
      const j = map[k]!;
      if (j < 0) continue;
      const row = sBase + j * inner;
      for (let t = 0; t < inner; t++) acc[t] = acc[t]! + src[row + t]!;
    }
    for (let t = 0; t < inner; t++) dst[dBase + t] = acc[t]! / size;
    for (let i = 1; i < nOut; i++) {
      // acc += row entering the window - row leaving it; a -1 entry reads `zeros`.
      const jIn = map[i + 2 * r]!;
      const jOut = map[i - 1]!;
      const inArr = jIn >= 0 ? src : zeros;
      const outArr = jOut >= 0 ? src : zeros;
      const inRow = jIn >= 0 ? sBase + jIn * inner : 0;
      const outRow = jOut >= 0 ? sBase + jOut * inner : 0;
      const d = dBase + i * inner;
      for (let t = 0; t < inner; t++) {
        const s = acc[t]! + (inArr[inRow + t]! - outArr[outRow + t]!);
        acc[t] = s;
        dst[d + t] = s / size;
      }
    }
  }
}

/**
 * Running sums along the contiguous axis (x), one line at a time: the line's window positions are first
 * gathered into a float64 buffer (zeros for constant mode), then one scalar running sum walks it.
 */
function sweepLines(src: Float32Array, dst: Float32Array, lines: number, nIn: number, nOut: number, map: Int32Array, r: number): void {
  const size = 2 * r + 1;
  const ext = map.length;
  const line = new Float64Array(ext);
  for (let l = 0; l < lines; l++) {
    const sBase = l * nIn;
    const dBase = l * nOut;
    for (let k = 0; k < ext; k++) {
      const j = map[k]!;
      line[k] = j >= 0 ? src[sBase + j]! : 0;
    }
    let sum = 0;
    for (let k = 0; k < size; k++) sum += line[k]!;
    dst[dBase] = sum / size;
    for (let i = 1; i < nOut; i++) {
      sum += line[i + 2 * r]! - line[i - 1]!;
      dst[dBase + i] = sum / size;
    }
  }
}

/** Cuts `[first, first + nOut)` out of an unfiltered axis (only when the input box is larger than needed). */
function cropRows(src: Float32Array, dst: Float32Array, outer: number, nIn: number, inner: number, nOut: number, first: number): void {
  for (let o = 0; o < outer; o++) {
    const s = (o * nIn + first) * inner;
    dst.set(src.subarray(s, s + nOut * inner), o * nOut * inner);
  }
}

const AXES = ['z', 'y', 'x'] as const;

function checkArguments(
  input: TypedArray,
  inShape: Shape3,
  inOrigin: Index3,
  imageShape: Shape3,
  outOrigin: Index3,
  outShape: Shape3,
  radius: number,
  mode: BoxFilterMode,
  out: Float32Array,
  scratch: Float32Array | undefined,
): void {
  if (!Number.isInteger(radius) || radius < 0) {
    throw new ConfigError('radius', `boxFilter: radius must be a non-negative integer, got ${String(radius)}`);
  }
  if (!BOX_FILTER_MODES.includes(mode)) {
    throw new ConfigError('mode', `boxFilter: mode must be one of ${BOX_FILTER_MODES.join(', ')}, got ${String(mode)}`);
  }
  const need = haloBox(outOrigin, outShape, imageShape, radius);
  for (let a = 0; a < 3; a++) {
    const ax = AXES[a]!;
    for (const [name, v] of [['inShape', inShape[a]], ['outShape', outShape[a]], ['imageShape', imageShape[a]]] as const) {
      if (!Number.isInteger(v) || v! < 1) throw new ConfigError(name, `boxFilter: ${name} ${ax} must be a positive integer, got ${String(v)}`);
    }
    const o = outOrigin[a]!;
    if (!Number.isInteger(o) || o < 0 || o + outShape[a]! > imageShape[a]!) {
      throw new ConfigError('outOrigin', `boxFilter: output ${ax} [${o}, ${o + outShape[a]!}) is not inside the image [0, ${imageShape[a]!})`);
    }
    const lo = inOrigin[a]!;
    const hi = lo + inShape[a]!;
    const needLo = need.origin[a]!;
    const needHi = needLo + need.shape[a]!;
    if (!Number.isInteger(lo) || lo > needLo || hi < needHi || lo < 0 || hi > imageShape[a]!) {
      throw new ConfigError(
        'inOrigin',
        `boxFilter: input ${ax} [${lo}, ${hi}) must cover [${needLo}, ${needHi}) and lie inside the image [0, ${imageShape[a]!}) ` +
          `for output ${ax} [${o}, ${o + outShape[a]!}) with radius ${radius}; use haloBox() to compute the input box`,
      );
    }
  }
  if (input.length < voxelCount(inShape)) {
    throw new ConfigError('input', `boxFilter: input holds ${input.length} voxels, inShape [${inShape.join(', ')}] needs ${voxelCount(inShape)}`);
  }
  if (out.length < voxelCount(outShape)) {
    throw new ConfigError('out', `boxFilter: out holds ${out.length} voxels, outShape [${outShape.join(', ')}] needs ${voxelCount(outShape)}`);
  }
  if (scratch !== undefined && scratch.length < boxFilterScratchLength(inShape)) {
    throw new ConfigError('scratch', `boxFilter: scratch holds ${scratch.length} floats, needs boxFilterScratchLength(inShape) = ${boxFilterScratchLength(inShape)}`);
  }
}

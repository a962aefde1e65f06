/**
 * One pyramid step: a block shrunk by 2 along y and x (and z when `z` is true), each output voxel the
 * mean (images) or the mode (labels) of its window of up to 2x2x2 input voxels. Windows at odd edges
 * hold fewer voxels and average or vote over those. Pyramids repeat the step per level, so each task
 * builds its own block's levels from its own voxels.
 */
import { allocate, isFloat, type DType, type TypedArray } from '../../dtype.js';
import type { Shape3 } from '../../volume.js';

/** How a level is made from the one above it. */
export type DownsampleMethod = 'mean' | 'mode';

/** The halved block and its shape. */
export function downsample2(data: TypedArray, shape: Shape3, dtype: DType, z: boolean, method: DownsampleMethod): { data: TypedArray; shape: Shape3 } {
  const [Z, Y, X] = shape;
  const fz = z ? 2 : 1;
  const out: Shape3 = [Math.ceil(Z / fz), Math.ceil(Y / 2), Math.ceil(X / 2)];
  const o = allocate(dtype, out[0] * out[1] * out[2]);
  const window = new Float64Array(8);
  const round = !isFloat(dtype);
  let i = 0;
  for (let oz = 0; oz < out[0]; oz++)
    for (let oy = 0; oy < out[1]; oy++)
      for (let ox = 0; ox < out[2]; ox++) {
        let n = 0;
        const z1 = Math.min(Z, oz * fz + fz), y1 = Math.min(Y, oy * 2 + 2), x1 = Math.min(X, ox * 2 + 2);
        for (let zz = oz * fz; zz < z1; zz++)
          for (let yy = oy * 2; yy < y1; yy++)
            for (let xx = ox * 2; xx < x1; xx++) window[n++] = data[(zz * Y + yy) * X + xx]!;
        o[i++] = method === 'mode' ? modeOf(window, n) : round ? Math.round(meanOf(window, n)) : meanOf(window, n);
      }
  return { data: o, shape: out };
}

function meanOf(w: Float64Array, n: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += w[k]!;
  return s / n;
}

/** The most frequent of `w[0..n)`; ties go to the smaller value, so the result does not depend on order. */
function modeOf(w: Float64Array, n: number): number {
  let best = w[0]!;
  let bestCount = 0;
  for (let a = 0; a < n; a++) {
    const v = w[a]!;
    let c = 0;
    for (let b = 0; b < n; b++) if (w[b] === v) c++;
    if (c > bestCount || (c === bestCount && v < best)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

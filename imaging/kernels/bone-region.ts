/**
 * The bone phantom over one block: the values of `boneAt` (imaging/phantoms.ts) for every voxel of the
 * box, bit for bit. Per block, each octave of value noise gets its lattice hashes (the block's lattice
 * range) and, per axis, the lattice index and smooth weights of every coordinate, and the corner hashes
 * are spread over x once per lattice plane; the lacuna cells get their ellipsoids. Per voxel there
 * remain contiguous reads and boneAt's arithmetic in boneAt's order:
 * `w = (wx * wy) * wz` and `v += w * h` over the corners in (dz, dy, dx) order, `n = 0.7 * a + 0.3 * b`,
 * and the lacuna test `((qx + qy) + qz) < 1`. native/src/phantom_bone.h is the C++ twin.
 */
import type { TypedArray } from '../dtype.js';
import type { Shape3 } from '../volume.js';
import type { Index3 } from './geometry.js';
import { BONE_NOISE_SEED, hash4, hashBCD, hashMix, LACUNA_CELL, smooth } from '../phantoms.js';

/** One octave of value noise over a box: per-axis lattice offsets and weights, and the lattice hashes. */
interface Octave {
  /** Per axis (z, y, x): lattice index of each coordinate, relative to the box's first lattice point. */
  readonly index: readonly [Int32Array, Int32Array, Int32Array];
  /** Per axis: the weight of the upper corner (smooth t) and of the lower one (1 - t). */
  readonly upper: readonly [Float64Array, Float64Array, Float64Array];
  readonly lower: readonly [Float64Array, Float64Array, Float64Array];
  /** Lattice hashes in C order over the box's lattice range; ny, nx its y and x extents. */
  readonly hashes: Float64Array;
  readonly ny: number;
  readonly nx: number;
  /**
   * The corner hashes of lattice plane `plane` spread over x: for lattice row iy and corner
   * c = 4 dz + 2 dy + dx, sx values at (iy * 8 + c) * sx. Rebuilt when a z row enters another plane.
   */
  readonly spread: Float64Array;
  plane: number;
}

function octave(origin: Index3, shape: Shape3, scale: number, seed: number): Octave {
  const index: Int32Array[] = [], upper: Float64Array[] = [], lower: Float64Array[] = [], first: number[] = [], extent: number[] = [];
  for (let a = 0; a < 3; a++) {
    const o = origin[a] as number, n = shape[a] as number;
    const idx = new Int32Array(n), up = new Float64Array(n), low = new Float64Array(n);
    const base = Math.floor(o / scale);
    for (let i = 0; i < n; i++) {
      const f = (o + i) / scale;
      const f0 = Math.floor(f);
      const t = smooth(f - f0);
      idx[i] = f0 - base;
      up[i] = t;
      low[i] = 1 - t;
    }
    index.push(idx), upper.push(up), lower.push(low), first.push(base);
    extent.push(Math.floor((o + n - 1) / scale) - base + 2);
  }
  const [nz, ny, nx] = extent as [number, number, number];
  const hashes = new Float64Array(nz * ny * nx);
  for (let z = 0, k = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) hashes[k++] = hash4((first[2] as number) + x, (first[1] as number) + y, (first[0] as number) + z, seed);
  const three = <T>(v: T[]): [T, T, T] => [v[0] as T, v[1] as T, v[2] as T];
  const spread = new Float64Array((ny - 1) * 8 * shape[2]);
  return { index: three(index), upper: three(upper), lower: three(lower), hashes, ny, nx, spread, plane: -1 };
}

/** Spreads the corner hashes of lattice plane iz over x for every lattice row, if not already there. */
function spread(o: Octave, iz: number, sx: number): void {
  if (o.plane === iz) return;
  o.plane = iz;
  const ix = o.index[2], h = o.hashes, s = o.spread;
  for (let iy = 0; iy + 1 < o.ny; iy++)
    for (let c = 0; c < 8; c++) {
      const base = ((iz + (c >> 2)) * o.ny + iy + ((c >> 1) & 1)) * o.nx + (c & 1);
      const at = (iy * 8 + c) * sx;
      for (let x = 0; x < sx; x++) s[at + x] = h[base + (ix[x] as number)] as number;
    }
}

/**
 * valueNoise over row (z, y) into `v`, as valueNoise computes it: `(wx * wy) * wz` times each corner's
 * hash, summed over the corners in (dz, dy, dx) order from 0 (0 + p is p).
 */
function noiseRow(o: Octave, z: number, y: number, sx: number, v: Float64Array): void {
  const tx = o.upper[2], ux = o.lower[2], h = o.spread;
  const ty = o.upper[1][y] as number, uy = o.lower[1][y] as number;
  const tz = o.upper[0][z] as number, uz = o.lower[0][z] as number;
  const c0 = (o.index[1][y] as number) * 8 * sx;
  const c1 = c0 + sx, c2 = c1 + sx, c3 = c2 + sx, c4 = c3 + sx, c5 = c4 + sx, c6 = c5 + sx, c7 = c6 + sx;
  for (let x = 0; x < sx; x++) {
    const t = tx[x] as number, u = ux[x] as number;
    let s = u * uy * uz * (h[c0 + x] as number);
    s += t * uy * uz * (h[c1 + x] as number);
    s += u * ty * uz * (h[c2 + x] as number);
    s += t * ty * uz * (h[c3 + x] as number);
    s += u * uy * tz * (h[c4 + x] as number);
    s += t * uy * tz * (h[c5 + x] as number);
    s += u * ty * tz * (h[c6 + x] as number);
    s += t * ty * tz * (h[c7 + x] as number);
    v[x] = s;
  }
}

/** Lacuna fields per cell: present (0/1), centre, semi-axes. */
const PRESENT = 0, LX = 1, LY = 2, LZ = 3, AX = 4, AY = 5, AZ = 6, LFIELDS = 7;

/** The lacuna of every cell the box meets, in C order over the cells; cell (i, j, k) is the box's first cell plus it. */
function lacunae(first: readonly number[], cells: readonly number[], seed: number): Float64Array {
  const out = new Float64Array((cells[0] as number) * (cells[1] as number) * (cells[2] as number) * LFIELDS);
  let f = 0;
  for (let i = 0; i < (cells[0] as number); i++)
    for (let j = 0; j < (cells[1] as number); j++)
      for (let k = 0; k < (cells[2] as number); k++, f += LFIELDS) {
        const cz = (first[0] as number) + i, cy = (first[1] as number) + j, cx = (first[2] as number) + k;
        if (hash4(cx, cy, cz, seed + 11) >= 0.35) continue;
        out[f + PRESENT] = 1;
        out[f + LX] = (cx + 0.25 + 0.5 * hash4(cx, cy, cz, seed + 12)) * LACUNA_CELL;
        out[f + LY] = (cy + 0.25 + 0.5 * hash4(cx, cy, cz, seed + 13)) * LACUNA_CELL;
        out[f + LZ] = (cz + 0.25 + 0.5 * hash4(cx, cy, cz, seed + 14)) * LACUNA_CELL;
        const axis = Math.floor(3 * hash4(cx, cy, cz, seed + 15));
        out[f + AX] = axis === 0 ? 3.2 : 1.6;
        out[f + AY] = axis === 1 ? 3.2 : 1.6;
        out[f + AZ] = axis === 2 ? 3.2 : 1.6;
      }
  return out;
}

let scratch = new Float64Array(0);

/**
 * Writes the bone phantom of `seed` over the box `[origin, origin + shape)` into `out` (C order,
 * converted to out's type as a typed-array store converts a number). `out` holds at least the box.
 * Per row: both octaves, then `n`, the noise and the marrow-or-bone value of every voxel; then the
 * bone voxels of each present lacuna's cell that lie inside its ellipsoid become 160 + noise.
 */
export function boneRegion(origin: Index3, shape: Shape3, seed: number, out: TypedArray): void {
  const [oz, oy, ox] = origin;
  const [sz, sy, sx] = shape;
  const coarse = octave(origin, shape, 28, seed);
  const fine = octave(origin, shape, 9, seed + 7);
  const first: number[] = [], cells: number[] = [];
  for (let a = 0; a < 3; a++) {
    first.push(Math.floor((origin[a] as number) / LACUNA_CELL));
    cells.push(Math.floor(((origin[a] as number) + (shape[a] as number) - 1) / LACUNA_CELL) - (first[a] as number) + 1);
  }
  const lac = lacunae(first, cells, seed);
  const cy = cells[1] as number, cx = cells[2] as number, firstX = first[2] as number;
  if (scratch.length < 4 * sx) scratch = new Float64Array(4 * sx);
  const n = scratch.subarray(0, sx), fineRow = scratch.subarray(sx, 2 * sx), noise = scratch.subarray(2 * sx, 3 * sx), row = scratch.subarray(3 * sx, 4 * sx);
  const noiseSeed = seed ^ BONE_NOISE_SEED;
  for (let z = 0, i = 0; z < sz; z++) {
    const gz = oz + z;
    const cellZ = Math.floor(gz / LACUNA_CELL) - (first[0] as number);
    spread(coarse, coarse.index[0][z] as number, sx);
    spread(fine, fine.index[0][z] as number, sx);
    for (let y = 0; y < sy; y++, i += sx) {
      const gy = oy + y;
      noiseRow(coarse, z, y, sx, n);
      noiseRow(fine, z, y, sx, fineRow);
      const partial = hashBCD(gy, gz, noiseSeed);
      for (let x = 0; x < sx; x++) {
        const d = 0.7 * (n[x] as number) + 0.3 * (fineRow[x] as number);
        const h = 60 * hashMix(Math.imul((ox + x) | 0, 0x27d4eb2d) ^ partial);
        n[x] = d;
        noise[x] = h;
        row[x] = d < 0.42 ? 120 + h : 1000 + h;
      }
      const line = (cellZ * cy + Math.floor(gy / LACUNA_CELL) - (first[1] as number)) * cx;
      for (let k = 0; k < cx; k++) {
        const f = (line + k) * LFIELDS;
        if (lac[f + PRESENT] !== 1) continue;
        const ty = (gy - (lac[f + LY] as number)) / (lac[f + AY] as number), tz = (gz - (lac[f + LZ] as number)) / (lac[f + AZ] as number);
        const qy = ty * ty, qz = tz * tz;
        // q = (qx + qy) + qz >= qy + qz in float64 too (rounding is monotone): a row with qy + qz >= 1 meets no voxel of it
        if (qy + qz >= 1) continue;
        const lx = lac[f + LX] as number, ax = lac[f + AX] as number;
        const x1 = Math.min((firstX + k + 1) * LACUNA_CELL, ox + sx);
        for (let gx = Math.max((firstX + k) * LACUNA_CELL, ox); gx < x1; gx++) {
          const x = gx - ox;
          if ((n[x] as number) < 0.42) continue;
          const tx = (gx - lx) / ax;
          if (tx * tx + qy + qz < 1) row[x] = 160 + (noise[x] as number);
        }
      }
      out.set(row, i);
    }
  }
}

/**
 * The bone phantom over one block: the values of `boneAt` (imaging/phantoms.ts) for every voxel of the
 * box, bit for bit. Per block, each octave of value noise gets its lattice hashes (the block's lattice
 * range) and, per axis, the lattice index and smooth weights of every coordinate; the lacuna cells get
 * their ellipsoids. Per voxel there remain lookups and boneAt's arithmetic in boneAt's order:
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
  return { index: three(index), upper: three(upper), lower: three(lower), hashes, ny, nx };
}

/** valueNoise at box voxel (z, y, x), as valueNoise computes it: the corners in (dz, dy, dx) order. */
function noiseAt(o: Octave, z: number, y: number, x: number): number {
  const ix = o.index[2][x] as number, tx = o.upper[2][x] as number, ux = o.lower[2][x] as number;
  const ty = o.upper[1][y] as number, uy = o.lower[1][y] as number;
  const tz = o.upper[0][z] as number, uz = o.lower[0][z] as number;
  const h = o.hashes;
  const r00 = ((o.index[0][z] as number) * o.ny + (o.index[1][y] as number)) * o.nx + ix;
  const r01 = r00 + o.nx, r10 = r00 + o.ny * o.nx, r11 = r10 + o.nx;
  let v = ux * uy * uz * (h[r00] as number);
  v += tx * uy * uz * (h[r00 + 1] as number);
  v += ux * ty * uz * (h[r01] as number);
  v += tx * ty * uz * (h[r01 + 1] as number);
  v += ux * uy * tz * (h[r10] as number);
  v += tx * uy * tz * (h[r10 + 1] as number);
  v += ux * ty * tz * (h[r11] as number);
  v += tx * ty * tz * (h[r11 + 1] as number);
  return v;
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

let rowScratch = new Float64Array(0);

/**
 * Writes the bone phantom of `seed` over the box `[origin, origin + shape)` into `out` (C order,
 * converted to out's type as a typed-array store converts a number). `out` holds at least the box.
 */
export function boneRegion(origin: Index3, shape: Shape3, seed: number, out: TypedArray): void {
  const [oz, oy, ox] = origin;
  const [sz, sy, sx] = shape;
  const coarse = octave(origin, shape, 28, seed);
  const fine = octave(origin, shape, 9, seed + 7);
  const first: number[] = [], cells: number[] = [], cell: Int32Array[] = [];
  for (let a = 0; a < 3; a++) {
    const o = origin[a] as number, n = shape[a] as number;
    first.push(Math.floor(o / LACUNA_CELL));
    cells.push(Math.floor((o + n - 1) / LACUNA_CELL) - (first[a] as number) + 1);
    const c = new Int32Array(n);
    for (let i = 0; i < n; i++) c[i] = Math.floor((o + i) / LACUNA_CELL) - (first[a] as number);
    cell.push(c);
  }
  const lac = lacunae(first, cells, seed);
  const [cellZ, cellY, cellX] = cell as [Int32Array, Int32Array, Int32Array];
  const cy = cells[1] as number, cx = cells[2] as number;
  if (rowScratch.length < sx) rowScratch = new Float64Array(sx);
  const row = rowScratch;
  const noiseSeed = seed ^ BONE_NOISE_SEED;
  for (let z = 0, i = 0; z < sz; z++) {
    const gz = oz + z;
    for (let y = 0; y < sy; y++, i += sx) {
      const gy = oy + y;
      const partial = hashBCD(gy, gz, noiseSeed);
      const cellRow = ((cellZ[z] as number) * cy + (cellY[y] as number)) * cx;
      for (let x = 0; x < sx; x++) {
        const gx = ox + x;
        const n = 0.7 * noiseAt(coarse, z, y, x) + 0.3 * noiseAt(fine, z, y, x);
        const noise = 60 * hashMix(Math.imul(gx | 0, 0x27d4eb2d) ^ partial);
        let v: number;
        if (n < 0.42) v = 120 + noise;
        else {
          const f = (cellRow + (cellX[x] as number)) * LFIELDS;
          v = 1000 + noise;
          if (lac[f + PRESENT] === 1) {
            const qx = (gx - (lac[f + LX] as number)) / (lac[f + AX] as number);
            const qy = (gy - (lac[f + LY] as number)) / (lac[f + AY] as number);
            const qz = (gz - (lac[f + LZ] as number)) / (lac[f + AZ] as number);
            if (qx * qx + qy * qy + qz * qz < 1) v = 160 + noise;
          }
        }
        row[x] = v;
      }
      out.set(row.length === sx ? row : row.subarray(0, sx), i);
    }
  }
}

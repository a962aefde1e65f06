/**
 * Seeded synthetic volumes computed voxel by voxel from integer hashes, so any block of any size is
 * generated where it is needed and every block agrees with its neighbours.
 *   - blobs: bright spheres (one per 24^3 cell, with probability 0.6) in noisy background, u16.
 *   - bone: a porous solid — trabecular bone from two octaves of value noise — with marrow spaces
 *     and small ellipsoidal cell-like holes (osteocyte lacunae), u16 (CT-like numbers).
 */

/** 32-bit integer hash of four ints into [0, 1). */
export function hash4(a: number, b: number, c: number, d: number): number {
  return hashMix(Math.imul(a | 0, 0x27d4eb2d) ^ hashBCD(b, c, d));
}

/**
 * The part of `hash4(a, b, c, d)` that does not depend on `a`: the block generators
 * (kernels/blobs-region.ts, kernels/bone-region.ts) compute it once per row, then per voxel
 * `hashMix(Math.imul(a | 0, 0x27d4eb2d) ^ partial)`, which is hash4 (xor is associative).
 */
export function hashBCD(b: number, c: number, d: number): number {
  return Math.imul(b | 0, 0x165667b1) ^ Math.imul(c | 0, 0x9e3779b1) ^ Math.imul(d | 0, 0x85ebca77);
}

/** The finalizer of hash4: an int32 mixed and scaled into [0, 1). */
export function hashMix(h: number): number {
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

/** Smooth value noise in [0, 1) with lattice spacing `scale`. */
export function valueNoise(x: number, y: number, z: number, scale: number, seed: number): number {
  const fx = x / scale, fy = y / scale, fz = z / scale;
  const x0 = Math.floor(fx), y0 = Math.floor(fy), z0 = Math.floor(fz);
  const tx = smooth(fx - x0), ty = smooth(fy - y0), tz = smooth(fz - z0);
  let v = 0;
  for (let dz = 0; dz <= 1; dz++)
    for (let dy = 0; dy <= 1; dy++)
      for (let dx = 0; dx <= 1; dx++) {
        const w = (dx ? tx : 1 - tx) * (dy ? ty : 1 - ty) * (dz ? tz : 1 - tz);
        v += w * hash4(x0 + dx, y0 + dy, z0 + dz, seed);
      }
  return v;
}

/** The smoothstep of value noise (3t^2 - 2t^3, as `t * t * (3 - 2 * t)`). */
export function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

/** Side of the blobs cells (one possible blob each). */
export const BLOB_CELL = 24;
/** Mixed into the seed (xor) for the blobs background noise. */
export const BLOB_NOISE_SEED = 0x5bd1e995;

/** Intensity of the blobs phantom at a voxel. */
export function blobsAt(x: number, y: number, z: number, seed: number): number {
  let v = 100 + 40 * hash4(x, y, z, seed ^ BLOB_NOISE_SEED);
  const cx0 = Math.floor(x / BLOB_CELL), cy0 = Math.floor(y / BLOB_CELL), cz0 = Math.floor(z / BLOB_CELL);
  for (let cz = cz0 - 1; cz <= cz0 + 1; cz++)
    for (let cy = cy0 - 1; cy <= cy0 + 1; cy++)
      for (let cx = cx0 - 1; cx <= cx0 + 1; cx++) {
        if (hash4(cx, cy, cz, seed) >= 0.6) continue;
        const bx = (cx + hash4(cx, cy, cz, seed + 1)) * BLOB_CELL;
        const by = (cy + hash4(cx, cy, cz, seed + 2)) * BLOB_CELL;
        const bz = (cz + hash4(cx, cy, cz, seed + 3)) * BLOB_CELL;
        const r = 3 + 7 * hash4(cx, cy, cz, seed + 4);
        const d2 = (x - bx) ** 2 + (y - by) ** 2 + (z - bz) ** 2;
        if (d2 < r * r) v += 800 * (1 - d2 / (r * r)) + 200;
      }
  return v;
}

/** Side of the bone lacuna cells (one possible lacuna each). */
export const LACUNA_CELL = 10;
/** Mixed into the seed (xor) for the bone voxel noise. */
export const BONE_NOISE_SEED = 0x68e31da4;

/** Intensity of the bone phantom at a voxel. */
export function boneAt(x: number, y: number, z: number, seed: number): number {
  const n = 0.7 * valueNoise(x, y, z, 28, seed) + 0.3 * valueNoise(x, y, z, 9, seed + 7);
  const noise = 60 * hash4(x, y, z, seed ^ BONE_NOISE_SEED);
  if (n < 0.42) return 120 + noise; // marrow space
  // one lacuna per cell with probability 0.35: a small ellipsoid, elongated along a hashed axis
  const cx = Math.floor(x / LACUNA_CELL), cy = Math.floor(y / LACUNA_CELL), cz = Math.floor(z / LACUNA_CELL);
  if (hash4(cx, cy, cz, seed + 11) < 0.35) {
    const lx = (cx + 0.25 + 0.5 * hash4(cx, cy, cz, seed + 12)) * LACUNA_CELL;
    const ly = (cy + 0.25 + 0.5 * hash4(cx, cy, cz, seed + 13)) * LACUNA_CELL;
    const lz = (cz + 0.25 + 0.5 * hash4(cx, cy, cz, seed + 14)) * LACUNA_CELL;
    const axis = Math.floor(3 * hash4(cx, cy, cz, seed + 15));
    const ax = axis === 0 ? 3.2 : 1.6, ay = axis === 1 ? 3.2 : 1.6, az = axis === 2 ? 3.2 : 1.6;
    const q = ((x - lx) / ax) ** 2 + ((y - ly) / ay) ** 2 + ((z - lz) / az) ** 2;
    if (q < 1) return 160 + noise;
  }
  return 1000 + noise;
}

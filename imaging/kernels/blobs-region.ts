/**
 * The blobs phantom over one block: the values of `blobsAt` (imaging/phantoms.ts) for every voxel of
 * the box, bit for bit, at a cost of one hash per voxel plus the voxels each blob covers.
 *
 * blobsAt starts from the background `100 + 40 * hash` and adds, for each cell of the 3 x 3 x 3
 * neighbourhood of the voxel's cell in (cz, cy, cx) order, the blob of that cell if the voxel is inside
 * it. Here the background of one z plane is filled first, then every blob whose cell neighbourhood
 * meets the block is rasterized into the plane in the same (cz, cy, cx) order, so each voxel receives
 * the same float64 additions in the same order: the sums match exactly. A blob adds only to voxels
 * whose cell is within one cell of its own (blobsAt's neighbourhood), and only where `d2 < r * r`
 * with `d2` summed as blobsAt does (x, then y, then z); the bounding ranges below are only shortcuts.
 * native/src/phantom_blobs.h is the C++ twin.
 */
import type { TypedArray } from '../dtype.js';
import type { Shape3 } from '../volume.js';
import type { Index3 } from './geometry.js';
import { BLOB_CELL, BLOB_NOISE_SEED, hash4, hashBCD, hashMix } from '../phantoms.js';

/** Fields per blob in the packed list: centre, radius, r^2, and the voxel ranges it may touch. */
const BX = 0, BY = 1, BZ = 2, RR = 3, X0 = 4, X1 = 5, Y0 = 6, Y1 = 7, Z0 = 8, Z1 = 9, FIELDS = 10;

let planeScratch = new Float64Array(0);

/**
 * Writes the blobs phantom of `seed` over the box `[origin, origin + shape)` into `out` (C order,
 * converted to out's type as a typed-array store converts a number). `out` holds at least the box.
 */
export function blobsRegion(origin: Index3, shape: Shape3, seed: number, out: TypedArray): void {
  const [oz, oy, ox] = origin;
  const [sz, sy, sx] = shape;
  const planeSize = sy * sx;
  if (planeScratch.length < planeSize) planeScratch = new Float64Array(planeSize);
  const plane = planeScratch;
  const blobs = blobsNear(origin, shape, seed);
  const count = blobs.length / FIELDS;
  const noiseSeed = seed ^ BLOB_NOISE_SEED;
  for (let z = 0; z < sz; z++) {
    const gz = oz + z;
    // background: blobsAt's `100 + 40 * hash4(x, y, z, seed ^ BLOB_NOISE_SEED)`
    for (let y = 0, j = 0; y < sy; y++) {
      const partial = hashBCD(oy + y, gz, noiseSeed);
      for (let x = 0; x < sx; x++, j++) plane[j] = 100 + 40 * hashMix(Math.imul((ox + x) | 0, 0x27d4eb2d) ^ partial);
    }
    for (let b = 0; b < count; b++) {
      const f = b * FIELDS;
      if (gz < (blobs[f + Z0] as number) || gz > (blobs[f + Z1] as number)) continue;
      const rr = blobs[f + RR] as number;
      const dzz = gz - (blobs[f + BZ] as number);
      const dz2 = dzz * dzz;
      // d2 = (dx2 + dy2) + dz2 >= dz2 and >= dy2 + dz2 in float64 too (rounding is monotone): these skips are exact.
      if (dz2 >= rr) continue;
      const by = blobs[f + BY] as number, bx = blobs[f + BX] as number;
      const y1 = Math.min(blobs[f + Y1] as number, oy + sy - 1), x1 = Math.min(blobs[f + X1] as number, ox + sx - 1);
      const x0 = Math.max(blobs[f + X0] as number, ox);
      for (let gy = Math.max(blobs[f + Y0] as number, oy); gy <= y1; gy++) {
        const dyy = gy - by;
        const dy2 = dyy * dyy;
        if (dy2 + dz2 >= rr) continue;
        let j = (gy - oy) * sx + (x0 - ox);
        for (let gx = x0; gx <= x1; gx++, j++) {
          const dxx = gx - bx;
          const d2 = dxx * dxx + dy2 + dz2;
          if (d2 < rr) plane[j] = (plane[j] as number) + (800 * (1 - d2 / rr) + 200);
        }
      }
    }
    out.set(planeSize === plane.length ? plane : plane.subarray(0, planeSize), z * planeSize);
  }
}

/**
 * The blobs that may reach the box, in (cz, cy, cx) order, packed FIELDS numbers each. A blob's
 * centre lies in its cell and its radius is below 10 < BLOB_CELL, so it reaches at most one cell
 * beyond its own: the cells one past the box's cells on each side are all that can contribute.
 */
function blobsNear(origin: Index3, shape: Shape3, seed: number): Float64Array {
  const lo = [0, 0, 0], hi = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    lo[a] = Math.floor((origin[a] as number) / BLOB_CELL) - 1;
    hi[a] = Math.floor(((origin[a] as number) + (shape[a] as number) - 1) / BLOB_CELL) + 1;
  }
  const blobs: number[] = [];
  for (let cz = lo[0] as number; cz <= (hi[0] as number); cz++)
    for (let cy = lo[1] as number; cy <= (hi[1] as number); cy++)
      for (let cx = lo[2] as number; cx <= (hi[2] as number); cx++) {
        if (hash4(cx, cy, cz, seed) >= 0.6) continue;
        const bx = (cx + hash4(cx, cy, cz, seed + 1)) * BLOB_CELL;
        const by = (cy + hash4(cx, cy, cz, seed + 2)) * BLOB_CELL;
        const bz = (cz + hash4(cx, cy, cz, seed + 3)) * BLOB_CELL;
        const r = 3 + 7 * hash4(cx, cy, cz, seed + 4);
        // voxels within r of the centre (one voxel of margin), and within blobsAt's neighbourhood of the cell
        blobs.push(bx, by, bz, r * r);
        blobs.push(...reach(bx, r, cx), ...reach(by, r, cy), ...reach(bz, r, cz));
      }
  return Float64Array.from(blobs);
}

/** The voxel range [first, last] of one axis that a blob centred at `c` of radius `r` in cell `cell` may touch. */
function reach(c: number, r: number, cell: number): [number, number] {
  return [Math.max(Math.floor(c - r) - 1, (cell - 1) * BLOB_CELL), Math.min(Math.ceil(c + r) + 1, (cell + 2) * BLOB_CELL - 1)];
}

/**
 * The seeded phantoms of `ctx.images.synthetic` over one block, generated block-wise: the same numbers
 * as the voxel-by-voxel definitions in imaging/phantoms.ts (`blobsAt`, `boneAt`) for any box, at a
 * fraction of their cost. native/index.ts runs the C++ twin (native/src/phantom_*.h) where it loaded.
 */
import { ConfigError } from '../../core/index.js';
import type { TypedArray } from '../dtype.js';
import type { Shape3 } from '../volume.js';
import { blobsRegion } from './blobs-region.js';
import { boneRegion } from './bone-region.js';
import type { Index3 } from './geometry.js';

/** The phantoms generated voxel by voxel from hashes (the 'known' phantom has its own block generator). */
export const HASHED_PHANTOMS = ['blobs', 'bone'] as const;
export type HashedPhantom = (typeof HASHED_PHANTOMS)[number];

/**
 * Writes phantom `kind` of `seed` over the box `[origin, origin + shape)` into `out` (C order, each value
 * converted to out's type as a typed-array store converts a number: integers truncate toward zero and
 * wrap). Origins may be any integers; `out` must hold the box.
 *
 * @example
 *   const out = new Uint16Array(4 * 5 * 6);
 *   phantomRegion('blobs', [8, 0, 3], [4, 5, 6], 1, out); // out[i] === blobsAt(3 + x, y, 8 + z, 1) as u16
 */
export function phantomRegion(kind: HashedPhantom, origin: Index3, shape: Shape3, seed: number, out: TypedArray): void {
  if (!HASHED_PHANTOMS.includes(kind)) throw new ConfigError('kind', `phantomRegion: kind must be 'blobs' or 'bone', got '${String(kind)}'`);
  for (let a = 0; a < 3; a++) {
    if (!Number.isInteger(origin[a]) || !Number.isInteger(shape[a]) || (shape[a] as number) < 0) {
      throw new ConfigError('shape', `phantomRegion: origin must be integers and shape non-negative integers, got origin ${origin.join('x')} shape ${shape.join('x')}`);
    }
  }
  const count = shape[0] * shape[1] * shape[2];
  if (out.length < count) throw new ConfigError('out', `phantomRegion: out holds ${out.length} voxels, the box has ${count}; pass an out of at least the box`);
  if (count === 0) return;
  if (kind === 'blobs') blobsRegion(origin, shape, seed, out);
  else boneRegion(origin, shape, seed, out);
}

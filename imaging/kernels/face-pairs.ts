/**
 * `facePairs(a, n, shape, offsets)`: the distinct pairs (label in `a`, label in `n`) of foreground
 * voxels that touch, as [a0, n0, a1, n1, ...] sorted by a then n. `a` and `n` are two layers of one
 * `shape` (the faces, edge lines or corners two neighbouring blocks show each other), and voxel i of `a`
 * touches voxel i + o of `n` for each offset o = [oz, oy, ox] of `offsets` (flat triples) that stays
 * inside the layer. The boundary exchange of block labeling (imaging/labeling/boundary.ts). Twin of
 * native/src/face_pairs.h.
 *
 * @example
 *   // Two 1x1x3 layers touching straight across: labels 1 and 2 of a meet 5 and 6 of n.
 *   facePairs(new Uint8Array([1, 0, 2]), new Uint8Array([5, 5, 6]), [1, 1, 3], new Int32Array([0, 0, 0]));
 *   // Uint32Array [1, 5, 2, 6]
 */
import type { Shape3 } from '../volume.js';
import { maxLabel, type LabelArray } from './map-labels.js';

/** Entries of the cache of recent pairs (a power of two). */
const RECENT = 256;

export function facePairs(a: LabelArray, n: LabelArray, shape: Shape3, offsets: Int32Array): Uint32Array {
  const [sz, sy, sx] = shape;
  const count = sz * sy * sx;
  if (a.length < count || n.length < count) throw new RangeError(`facePairs: layers of ${a.length} and ${n.length} voxels, shape ${shape.join('x')} needs ${count}`);
  if (offsets.length % 3 !== 0 || offsets.some((o) => o < -1 || o > 1)) throw new RangeError('facePairs: offsets must be [oz, oy, ox] triples of -1, 0 and 1');
  // One element type in the loop below: reading u8, u16 and u32 layers at one site made it 2x slower.
  const la = wide(a);
  const ln = wide(n);
  const base = maxLabel(ln) + 1;
  if ((maxLabel(la) + 1) * base > Number.MAX_SAFE_INTEGER) return pairsUnpacked(la, ln, shape, offsets);
  const no = offsets.length / 3;
  const od = new Int32Array(no);
  for (let o = 0; o < no; o++) od[o] = ((offsets[3 * o] as number) * sy + (offsets[3 * o + 1] as number)) * sx + (offsets[3 * o + 2] as number);
  let keys = new Float64Array(64);
  let m = 0;
  // The voxels of one component crossing a face repeat one pair thousands of times: a small
  // direct-mapped cache of recent keys drops repeats before they are stored and sorted.
  const recent = new Float64Array(RECENT).fill(-1);
  // Foreground is sparse on most faces: one sweep finds A's foreground, then each such voxel looks at
  // its few neighbours in N. A pair is packed into one float64 key a * base + n (exact below 2^53;
  // larger labels take the exact slower path above).
  const plane = sy * sx;
  for (let i = 0; i < count; i++) {
    const ia = la[i] as number;
    if (ia === 0) continue;
    const z = Math.floor(i / plane);
    const y = Math.floor((i - z * plane) / sx);
    const x = i - z * plane - y * sx;
    for (let o = 0; o < no; o++) {
      const qz = z + (offsets[3 * o] as number), qy = y + (offsets[3 * o + 1] as number), qx = x + (offsets[3 * o + 2] as number);
      if (qz < 0 || qy < 0 || qx < 0 || qz >= sz || qy >= sy || qx >= sx) continue;
      const ib = ln[i + (od[o] as number)] as number;
      if (ib === 0) continue;
      const key = ia * base + ib;
      const h = ((ia * 31) ^ ib) & (RECENT - 1);
      if (recent[h] === key) continue;
      recent[h] = key;
      if (m === keys.length) {
        const grown = new Float64Array(2 * m);
        grown.set(keys);
        keys = grown;
      }
      keys[m++] = key;
    }
  }
  const sorted = keys.subarray(0, m).sort();
  let distinct = 0;
  for (let i = 0; i < m; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i] as number;
  const out = new Uint32Array(2 * distinct);
  for (let i = 0; i < distinct; i++) {
    const key = sorted[i] as number;
    const hi = Math.floor(key / base);
    out[2 * i] = hi;
    out[2 * i + 1] = key - hi * base;
  }
  return out;
}

/** The labels as a Uint32Array (a copy unless they are one already). */
function wide(labels: LabelArray): Uint32Array {
  if (labels instanceof Uint32Array) return labels;
  const out = new Uint32Array(labels.length);
  out.set(labels);
  return out;
}

/** facePairs without packing: pairs deduplicated per label of A. */
function pairsUnpacked(la: Uint32Array, ln: Uint32Array, shape: Shape3, offsets: Int32Array): Uint32Array {
  const [sz, sy, sx] = shape;
  const seen = new Map<number, Set<number>>();
  for (let o = 0; o < offsets.length; o += 3) {
    const oz = offsets[o] as number, oy = offsets[o + 1] as number, ox = offsets[o + 2] as number;
    for (let z = Math.max(0, -oz); z < Math.min(sz, sz - oz); z++)
      for (let y = Math.max(0, -oy); y < Math.min(sy, sy - oy); y++)
        for (let x = Math.max(0, -ox); x < Math.min(sx, sx - ox); x++) {
          const i = (z * sy + y) * sx + x;
          const ia = la[i] as number;
          const ib = ln[i + (oz * sy + oy) * sx + ox] as number;
          if (ia === 0 || ib === 0) continue;
          let s = seen.get(ia);
          if (s === undefined) seen.set(ia, (s = new Set()));
          s.add(ib);
        }
  }
  const pairs: number[] = [];
  for (const ia of [...seen.keys()].sort((p, q) => p - q)) for (const ib of [...(seen.get(ia) as Set<number>)].sort((p, q) => p - q)) pairs.push(ia, ib);
  return Uint32Array.from(pairs);
}

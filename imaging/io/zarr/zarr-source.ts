/**
 * Box reads of a Zarr array: only the chunks the box touches are read, each from its own file; a
 * chunk with no file reads as the fill value. Every problem with a chunk is one line naming the
 * store and the chunk key.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allocate, bytesPer, viewAs, type DType, type TypedArray } from '../../dtype.js';
import type { Shape3 } from '../../volume.js';
import { toHostOrder } from '../byte-order.js';
import { failFor } from '../image-format-error.js';
import { checkRegion, type ImageSource, type Triple } from '../image-source.js';
import { UnsupportedBloscError } from './blosc.js';
import { decodeChunk } from './chunk-codecs.js';
import { readInto } from '../file-bytes.js';
import { chunkKey, type ShardLayout, type ZarrArrayMeta } from './zarr-array-meta.js';

/** An index entry of a chunk a shard does not store (2^64 - 1 for offset and size). */
const MISSING = -1;

/** An opened Zarr array. */
export class ZarrSource implements ImageSource {
  readonly format = 'zarr';
  readonly #indexes = new Map<string, Float64Array>();
  readonly shape: Shape3;
  readonly dtype: DType;
  declare readonly spacing?: readonly [number, number, number];

  constructor(
    readonly path: string,
    readonly meta: ZarrArrayMeta,
    spacing: readonly [number, number, number] | undefined,
  ) {
    this.shape = meta.shape;
    this.dtype = meta.dtype;
    if (spacing !== undefined) this.spacing = spacing;
  }

  /** The array's chunk (a sharded array's inner chunk): default blocks are whole chunks. */
  get chunkShape(): Shape3 {
    return this.meta.chunkShape;
  }

  readRegion(origin: Triple, size: Triple): TypedArray {
    checkRegion(this.shape, origin, size);
    const out = allocate(this.dtype, size[0] * size[1] * size[2]);
    if (out.length === 0) return out;
    const cs = this.meta.chunkShape;
    const first = [0, 1, 2].map((a) => Math.floor(origin[a]! / cs[a]!));
    const last = [0, 1, 2].map((a) => Math.floor((origin[a]! + size[a]! - 1) / cs[a]!));
    for (let cz = first[0]!; cz <= last[0]!; cz++)
      for (let cy = first[1]!; cy <= last[1]!; cy++)
        for (let cx = first[2]!; cx <= last[2]!; cx++) {
          const chunkOrigin: Triple = [cz * cs[0], cy * cs[1], cx * cs[2]];
          const chunk = this.readChunk(cz, cy, cx);
          if (chunk === null) fillBox(out, size, origin, chunkOrigin, cs, this.meta.fill);
          else copyBox(chunk, cs, chunkOrigin, this.meta.order, out, size, origin);
        }
    return out;
  }

  /** The decoded chunk in host order, or null when its file (or its entry in a shard) does not exist. */
  private readChunk(cz: number, cy: number, cx: number): TypedArray | null {
    if (this.meta.shard !== undefined) return this.readInnerChunk(cz, cy, cx, this.meta.shard);
    const key = chunkKey(this.meta, cz, cy, cx);
    const fail = failFor(this.path, 'zarr');
    let stored: Buffer;
    try {
      stored = readFileSync(join(this.path, key));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      return fail(`cannot read chunk ${key}: ${code ?? (err as Error).message}`, 'check the store and its permissions', err);
    }
    return this.decode(stored, key);
  }

  /** Inner chunk [cz, cy, cx] of a sharded array: its bytes are found through its shard's index. */
  private readInnerChunk(cz: number, cy: number, cx: number, shard: ShardLayout): TypedArray | null {
    const [pz, py, px] = shard.perShard;
    const sz = Math.floor(cz / pz), sy = Math.floor(cy / py), sx = Math.floor(cx / px);
    const key = chunkKey(this.meta, sz, sy, sx);
    const fail = failFor(this.path, 'zarr');
    const file = join(this.path, key);
    const i = ((cz - sz * pz) * py + (cy - sy * py)) * px + (cx - sx * px);
    const what = `chunk ${i} of shard ${key}`;
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      return fail(`cannot read shard ${key}: ${code ?? (err as Error).message}`, 'check the store and its permissions', err);
    }
    try {
      const index = this.shardIndex(fd, key, shard);
      const offset = index[2 * i] as number;
      const nbytes = index[2 * i + 1] as number;
      if (offset === MISSING && nbytes === MISSING) return null;
      const size = fstatSync(fd).size;
      if (!(offset >= 0 && nbytes >= 0 && offset + nbytes <= size)) {
        fail(`${what} is corrupt: its index entry (offset ${offset}, ${nbytes} bytes) lies outside the ${size}-byte shard`, 'the store is corrupt; write it again');
      }
      const stored = Buffer.allocUnsafe(nbytes);
      readInto(fd, stored, offset, fail);
      return this.decode(stored, what);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * A shard's index as [offset, nbytes] pairs (2^64 - 1 twice for a chunk not stored), checked
   * against the shard's size and its crc32c before any chunk is read. Kept for the shards read last.
   */
  private shardIndex(fd: number, key: string, shard: ShardLayout): Float64Array {
    const cached = this.#indexes.get(key);
    if (cached !== undefined) return cached;
    const fail = failFor(this.path, 'zarr');
    const n = shard.perShard[0] * shard.perShard[1] * shard.perShard[2];
    const indexBytes = 16 * n + (shard.indexCrc ? 4 : 0);
    const size = fstatSync(fd).size;
    if (size < indexBytes) fail(`shard ${key} is truncated: ${size} bytes, its index alone needs ${indexBytes}`, 'the store is corrupt; write it again');
    const raw = Buffer.allocUnsafe(indexBytes);
    readInto(fd, raw, shard.indexAt === 'end' ? size - indexBytes : 0, fail);
    let body: Uint8Array = raw;
    if (shard.indexCrc) {
      try {
        body = decodeChunk(raw, [{ name: 'crc32c' }], indexBytes);
      } catch (err) {
        fail(`the index of shard ${key} is corrupt (${(err as Error).message})`, 'the store is corrupt; write it again', err);
      }
    }
    const view = new DataView(body.buffer, body.byteOffset, 16 * n);
    const index = new Float64Array(2 * n);
    for (let j = 0; j < 2 * n; j++) {
      const v = view.getBigUint64(8 * j, true);
      index[j] = v === 0xffffffffffffffffn ? MISSING : v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.NaN : Number(v);
    }
    if (this.#indexes.size >= 64) this.#indexes.delete(this.#indexes.keys().next().value as string);
    this.#indexes.set(key, index);
    return index;
  }

  /** A stored chunk decoded into host order, checked to be exactly one chunk (`what` names it in errors). */
  private decode(stored: Uint8Array, key: string): TypedArray {
    const fail = failFor(this.path, 'zarr');
    const cs = this.meta.chunkShape;
    const bpe = bytesPer(this.dtype);
    const bytes = cs[0] * cs[1] * cs[2] * bpe;
    let raw: Uint8Array;
    try {
      raw = decodeChunk(stored, this.meta.codecs, bytes);
    } catch (err) {
      if (err instanceof UnsupportedBloscError) return fail(`chunk ${key}: ${err.message}`, err.fix, err);
      return fail(`chunk ${key} is corrupt (${this.meta.codecs.map((c) => c.name).join(', ') || 'uncompressed'}: ${(err as Error).message})`, 'write the store again', err);
    }
    if (raw.length !== bytes) fail(`chunk ${key} holds ${raw.length} bytes, a chunk of ${cs.join('x')} ${this.dtype} needs ${bytes}`, 'the store is corrupt; write it again');
    // Decoders may hand back a view at any offset; typed arrays need one aligned to the element size.
    const aligned = raw.byteOffset % bpe === 0 ? raw : raw.slice();
    toHostOrder(aligned, bpe, this.meta.littleEndian);
    return viewAs(this.dtype, aligned.buffer, aligned.byteOffset, bytes / bpe);
  }
}

/** Copies the part of a chunk inside the box `[origin, origin + size)` into `out` (the box, C order). */
function copyBox(chunk: TypedArray, cs: Shape3, co: Triple, order: 'C' | 'F', out: TypedArray, size: Triple, origin: Triple): void {
  const z0 = Math.max(origin[0], co[0]), z1 = Math.min(origin[0] + size[0], co[0] + cs[0]);
  const y0 = Math.max(origin[1], co[1]), y1 = Math.min(origin[1] + size[1], co[1] + cs[1]);
  const x0 = Math.max(origin[2], co[2]), x1 = Math.min(origin[2] + size[2], co[2] + cs[2]);
  const run = x1 - x0;
  for (let z = z0; z < z1; z++)
    for (let y = y0; y < y1; y++) {
      const to = ((z - origin[0]) * size[1] + (y - origin[1])) * size[2] + (x0 - origin[2]);
      if (order === 'C') {
        const from = ((z - co[0]) * cs[1] + (y - co[1])) * cs[2] + (x0 - co[2]);
        out.set(chunk.subarray(from, from + run), to);
      } else {
        // F order: z fastest, then y, then x.
        const base = (z - co[0]) + (y - co[1]) * cs[0];
        const step = cs[0] * cs[1];
        for (let x = 0; x < run; x++) out[to + x] = chunk[base + (x0 - co[2] + x) * step]!;
      }
    }
}

/** Sets the part of a missing chunk inside the box to the fill value (the box starts zeroed). */
function fillBox(out: TypedArray, size: Triple, origin: Triple, co: Triple, cs: Shape3, fill: number): void {
  if (fill === 0) return;
  const z0 = Math.max(origin[0], co[0]), z1 = Math.min(origin[0] + size[0], co[0] + cs[0]);
  const y0 = Math.max(origin[1], co[1]), y1 = Math.min(origin[1] + size[1], co[1] + cs[1]);
  const x0 = Math.max(origin[2], co[2]), x1 = Math.min(origin[2] + size[2], co[2] + cs[2]);
  for (let z = z0; z < z1; z++)
    for (let y = y0; y < y1; y++) {
      const to = ((z - origin[0]) * size[1] + (y - origin[1])) * size[2] + (x0 - origin[2]);
      out.fill(fill, to, to + (x1 - x0));
    }
}

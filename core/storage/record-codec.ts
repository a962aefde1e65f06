/**
 * The block store's format for cached partitions: records whose large typed arrays (image blocks)
 * are laid out raw and 8-byte aligned after a msgpack skeleton, so reading a cached block is a view
 * onto the shared memory instead of a decode and a copy. Typed arrays are found at the top level of
 * a record and one level down (a Block's `data`); anything else goes through msgpack as usual.
 *
 * Layout: u32 skeleton length | skeleton (msgpack of { records, arrays: [type, offset, length][] }) |
 * padding to 8 | array bytes, each starting at a multiple of 8.
 */
import { decode, encode } from '../codec.js';

const MIN_RAW_BYTES = 4096;
const TYPES = ['Uint8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'Int8Array'] as const;
type Ctor = (new (buffer: ArrayBufferLike, offset: number, length: number) => ArrayBufferView & { length: number }) & { readonly BYTES_PER_ELEMENT: number };
/** The constructors of TYPES, in the same order (the index travels in the skeleton). */
const CTORS: readonly Ctor[] = [Uint8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array, Int8Array];

interface Slot {
  readonly __vfArray: number;
}

/** Bytes a `cacheableArray` keeps free before its data by default, for the header encodeRecords writes there. */
const HEADER_ROOM = 1024;

/**
 * Buffers made by cacheableArray on this thread whose room is still free, with the room's size. Only
 * those: any other shared buffer (a cached block read back, whose bytes before the data are a live
 * header) is copied, and so is a second encoding of the same array.
 */
const offered = new WeakMap<SharedArrayBuffer, number>();

/**
 * A zeroed typed array of `length` elements at the end of a SharedArrayBuffer, with `room` bytes free
 * before it: caching a record whose last large array is this one writes the header (and the record's
 * other arrays, when they fit the room) there and keeps the array where it is, instead of copying it
 * into a new buffer. On this project's machines fresh memory costs ~0.4 s per GiB to touch, and a copy
 * touches as much again. Give a larger room when the record carries other arrays: their bytes plus
 * ~1 KB of header.
 */
export function cacheableArray<T extends ArrayBufferView>(Ctor: { new (buffer: SharedArrayBuffer, byteOffset: number, length: number): T; readonly BYTES_PER_ELEMENT: number }, length: number, room = HEADER_ROOM): T {
  const before = Math.ceil(room / 8) * 8;
  const buffer = new SharedArrayBuffer(before + length * Ctor.BYTES_PER_ELEMENT);
  offered.set(buffer, before);
  return new Ctor(buffer, before, length);
}

/** Encodes cached records into one SharedArrayBuffer-backed array. */
export function encodeRecords(records: unknown[]): Uint8Array {
  const arrays: ArrayBufferView[] = [];
  const lift = (v: unknown): unknown => {
    if (ArrayBuffer.isView(v) && v.byteLength >= MIN_RAW_BYTES && TYPES.includes(v.constructor.name as (typeof TYPES)[number])) {
      arrays.push(v);
      return { __vfArray: arrays.length - 1 } satisfies Slot;
    }
    return v;
  };
  const skeletonRecords = records.map((r) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r) || ArrayBuffer.isView(r)) return lift(r);
    if (Object.getPrototypeOf(r) !== Object.prototype) return r;
    let copy: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(r)) {
      const lifted = lift(v);
      if (lifted !== v) (copy ??= { ...(r as Record<string, unknown>) })[k] = lifted;
    }
    return copy ?? r;
  });
  let offset = 0;
  const table = arrays.map((a) => {
    const entry: [number, number, number] = [TYPES.indexOf(a.constructor.name as (typeof TYPES)[number]), offset, a.byteLength];
    offset += Math.ceil(a.byteLength / 8) * 8;
    return entry;
  });
  const skeleton = encode({ records: skeletonRecords, arrays: table });
  const dataStart = Math.ceil((4 + skeleton.length) / 8) * 8;
  const last = arrays[arrays.length - 1];
  const lastAt = (table[table.length - 1] as [number, number, number] | undefined)?.[1] ?? 0;
  const out =
    last !== undefined && takeRoom(last, dataStart + lastAt)
      ? new Uint8Array(last.buffer, last.byteOffset - dataStart - lastAt, dataStart + lastAt + last.byteLength)
      : new Uint8Array(new SharedArrayBuffer(dataStart + offset));
  new DataView(out.buffer, out.byteOffset).setUint32(0, skeleton.length, true);
  out.set(skeleton, 4);
  arrays.forEach((a, i) => {
    const at = out.byteOffset + dataStart + (table[i] as [number, number, number])[1];
    if (a.buffer !== out.buffer || a.byteOffset !== at) out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at - out.byteOffset);
  });
  return out;
}

/**
 * Whether `a` is a cacheableArray (made on this thread, its room unused) whose room holds `bytes`;
 * if so the room is taken, for the header and the arrays before `a`.
 */
function takeRoom(a: ArrayBufferView, bytes: number): boolean {
  const buffer = a.buffer;
  const room = buffer instanceof SharedArrayBuffer ? offered.get(buffer) : undefined;
  if (room === undefined || a.byteOffset !== room || bytes > room || a.byteOffset + a.byteLength !== buffer.byteLength) return false;
  offered.delete(buffer as SharedArrayBuffer);
  return true;
}

/** Decodes what encodeRecords wrote; arrays are views when `bytes` is 8-byte aligned, else copies. */
export function decodeRecords(bytes: Uint8Array): unknown[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const skeletonLength = view.getUint32(0, true);
  const { records, arrays } = decode<{ records: unknown[]; arrays: [number, number, number][] }>(bytes.subarray(4, 4 + skeletonLength));
  const dataStart = Math.ceil((4 + skeletonLength) / 8) * 8;
  const aligned = (bytes.byteOffset + dataStart) % 8 === 0;
  const made = arrays.map(([type, offset, length]) => {
    const Ctor = CTORS[type];
    if (Ctor === undefined) throw new Error(`record block names typed array kind ${type}; this voxelflow knows ${CTORS.length}`);
    const per = Ctor.BYTES_PER_ELEMENT;
    const start = bytes.byteOffset + dataStart + offset;
    if (aligned) return new Ctor(bytes.buffer, start, length / per);
    const copy = new Uint8Array(length);
    copy.set(bytes.subarray(dataStart + offset, dataStart + offset + length));
    return new Ctor(copy.buffer, 0, length / per);
  });
  const fill = (v: unknown): unknown => (v !== null && typeof v === 'object' && '__vfArray' in v ? made[(v as Slot).__vfArray] : v);
  return records.map((r) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) return fill(r);
    const o = r as Record<string, unknown>;
    if ('__vfArray' in o) return fill(o);
    for (const k of Object.keys(o)) o[k] = fill(o[k]);
    return o;
  });
}

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
  const out = new Uint8Array(new SharedArrayBuffer(dataStart + offset));
  new DataView(out.buffer).setUint32(0, skeleton.length, true);
  out.set(skeleton, 4);
  arrays.forEach((a, i) => out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), dataStart + (table[i] as [number, number, number])[1]));
  return out;
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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheableArray, decodeRecords, encodeRecords } from '../../../core/storage/record-codec.js';

describe('record codec (cached partitions)', () => {
  it('round-trips image blocks with their typed arrays as aligned views on the shared bytes', () => {
    const data = Float32Array.from({ length: 5000 }, (_, i) => i / 3);
    const block = { index: [0, 1, 2], origin: [0, 16, 32], shape: [2, 50, 50], data };
    const bytes = encodeRecords([block]);
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    const [back] = decodeRecords(bytes) as [typeof block];
    expect(back.index).toEqual([0, 1, 2]);
    expect(back.data).toBeInstanceOf(Float32Array);
    expect(back.data.buffer).toBe(bytes.buffer);
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });

  it('copies arrays when the bytes are not 8-byte aligned (a spill file read into a pooled buffer)', () => {
    const data = Uint16Array.from({ length: 4096 }, (_, i) => i);
    const bytes = encodeRecords([{ data }, data]);
    const shifted = new Uint8Array(bytes.length + 3).subarray(3);
    shifted.set(bytes);
    const [rec, top] = decodeRecords(shifted) as [{ data: Uint16Array }, Uint16Array];
    expect(Array.from(rec.data)).toEqual(Array.from(data));
    expect(Array.from(top)).toEqual(Array.from(data));
  });

  it('round-trips arbitrary records like msgpack does', () => {
    const value = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v)) /* msgpack has no -0 */, fc.string(), fc.boolean(), fc.constant(null));
    const record = fc.oneof(value, fc.array(value, { maxLength: 4 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), value, { maxKeys: 4 }));
    fc.assert(
      fc.property(fc.array(record, { maxLength: 8 }), (records) => {
        const clean = records.map((r) => (r !== null && typeof r === 'object' && !Array.isArray(r) ? Object.fromEntries(Object.entries(r).filter(([k]) => k !== '__proto__')) : r));
        expect(decodeRecords(encodeRecords(clean))).toEqual(clean);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps small typed arrays inline and every dtype intact', () => {
    const arrays = [Uint8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array].flatMap((C) => [new C(3).fill(7), new C(5000).fill(9)]);
    const back = decodeRecords(encodeRecords(arrays.map((data) => ({ data })))) as { data: ArrayBufferView }[];
    back.forEach((r, i) => {
      expect(r.data.constructor).toBe(arrays[i]?.constructor);
      expect(Array.from(r.data as Uint8Array)).toEqual(Array.from(arrays[i] as Uint8Array));
    });
  });

  it('keeps a cacheableArray where it is: the header (and the other arrays) go into its room', () => {
    const data = cacheableArray(Uint32Array, 6000);
    for (let i = 0; i < data.length; i++) data[i] = i * 7;
    const block = { index: [1, 2, 3], origin: [4, 5, 6], shape: [10, 20, 30], data };
    const bytes = encodeRecords([block]);
    expect(bytes.buffer).toBe(data.buffer);
    const [back] = decodeRecords(bytes) as [typeof block];
    expect(back.data.buffer).toBe(data.buffer);
    expect(back.data.byteOffset).toBe(data.byteOffset);
    expect(back.origin).toEqual([4, 5, 6]);
    expect(Array.from(back.data)).toEqual(Array.from(data));

    // Other arrays of the record are copied into a room made large enough for them.
    const partials = Float64Array.from({ length: 900 }, (_, i) => i / 2);
    const layer = Uint16Array.from({ length: 3000 }, (_, i) => i);
    const labels = cacheableArray(Uint8Array, 50_000, 4096 + partials.byteLength + layer.byteLength);
    labels.fill(3);
    const rec = { block: 7, partials, layers: [[[0, 1], { side: 0, labels: layer }]], labels };
    const packed = encodeRecords([rec]);
    expect(packed.buffer).toBe(labels.buffer);
    const [r] = decodeRecords(packed) as [typeof rec];
    expect(Array.from(r.partials)).toEqual(Array.from(partials));
    expect(Array.from((r.layers[0] as [unknown, { labels: Uint16Array }])[1].labels)).toEqual(Array.from(layer));
    expect(r.labels.every((v) => v === 3)).toBe(true);
  });

  it('copies when the room is taken, too small, or the array is not a cacheableArray of this thread', () => {
    const data = cacheableArray(Float32Array, 2000);
    data.fill(1.5);
    const first = encodeRecords([{ data }]);
    const second = encodeRecords([{ data, tag: 'again' }]);
    expect(first.buffer).toBe(data.buffer);
    expect(second.buffer).not.toBe(data.buffer);
    // The first encoding's header is intact after the second.
    expect((decodeRecords(first)[0] as { data: Float32Array }).data.every((v) => v === 1.5)).toBe(true);
    expect((decodeRecords(second)[0] as { tag: string }).tag).toBe('again');

    const small = cacheableArray(Uint16Array, 4000, 16);
    expect(encodeRecords([{ small }]).buffer).not.toBe(small.buffer);
    const plain = new Uint16Array(new SharedArrayBuffer(2048 + 8000), 2048, 4000);
    expect(encodeRecords([{ plain }]).buffer).not.toBe(plain.buffer);
    // A cached block read back (a view after a live header) is never written over.
    const cached = decodeRecords(first)[0] as { data: Float32Array };
    expect(encodeRecords([{ data: cached.data, other: 1 }]).buffer).not.toBe(data.buffer);
  });
});

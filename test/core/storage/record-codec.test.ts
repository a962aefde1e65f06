import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecords, encodeRecords } from '../../../core/storage/record-codec.js';

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
});

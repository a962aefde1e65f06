/**
 * The batch layout: a cached partition is a skeleton plus raw column bytes, so workers read cached
 * tables as views onto shared memory, never as one object per row.
 */
import { describe, expect, it } from 'vitest';
import { decodeRecords, encodeRecords } from '../../core/storage/record-codec.js';
import { columnAt, concatBatches, encodeStrings, filterBatch, makeBatch, stringAt, type Batch, type StringColumn } from '../../table/batch.js';

function cells(n: number): Batch {
  const sample = encodeStrings(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : `S${i % 2}`)));
  return makeBatch(
    [
      { name: 'volume', type: 'f64' },
      { name: 'sample', type: 'string' },
    ],
    [Float64Array.from({ length: n }, (_, i) => i * 1.5), sample],
    n,
  );
}

describe('record batches', () => {
  it('cache as raw column bytes in shared memory and decode as views', () => {
    const n = 10_000;
    const bytes = encodeRecords([cells(n)]);
    // Two columns of 8 + 4 bytes a row, a two-word dictionary and the skeleton: no per-row payload.
    expect(bytes.byteLength).toBeLessThan(n * 12 + 512);
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    const [back] = decodeRecords(bytes) as [Batch];
    const volume = columnAt(back, 0) as Float64Array;
    const sample = columnAt(back, 1) as StringColumn;
    expect(volume.buffer).toBe(bytes.buffer);
    expect(sample.codes.buffer).toBe(bytes.buffer);
    expect(volume[n - 1]).toBe((n - 1) * 1.5);
    expect([stringAt(sample, 0), stringAt(sample, 1), stringAt(sample, 2)]).toEqual([null, 'S1', 'S0']);
  });

  it('filter keeps dictionary codes and concat re-encodes strings across dictionaries', () => {
    const b = cells(6);
    const kept = filterBatch(b, Uint8Array.from([1, 0, 1, 1, 0, 0]));
    expect(Array.from(columnAt(kept, 0) as Float64Array)).toEqual([0, 3, 4.5]);
    const other = makeBatch(b.fields, [Float64Array.of(9), encodeStrings(['S9'])], 1);
    const joined = concatBatches(b.fields, [kept, other]);
    const s = columnAt(joined, 1) as StringColumn;
    expect(Array.from({ length: joined.length }, (_, r) => stringAt(s, r))).toEqual([null, 'S0', null, 'S9']);
  });
});

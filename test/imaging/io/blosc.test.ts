/**
 * The Blosc decoder on buffers built by hand (python3-zarr's own buffers are read in
 * zarr-interop.test.ts): the BloscLZ token stream with overlapping matches, plain (memcpyed)
 * buffers, and every size a hostile buffer can claim refused before it is used.
 */
import { describe, expect, it } from 'vitest';
import { bloscDecode, blosclzDecode, UnsupportedBloscError } from '../../../imaging/io/zarr/blosc.js';

/** A one-block Blosc buffer (no shuffle, one split) around `split`, a BloscLZ stream of `nbytes` bytes. */
function bloscOf(split: Uint8Array, nbytes: number, flags = 0x00): Uint8Array {
  const b = Buffer.alloc(16 + 4 + 4 + split.length);
  b[0] = 2;
  b[1] = 1;
  b[2] = flags;
  b[3] = 1;
  b.writeUInt32LE(nbytes, 4);
  b.writeUInt32LE(nbytes, 8);
  b.writeUInt32LE(b.length, 12);
  b.writeInt32LE(20, 16);
  b.writeInt32LE(split.length, 20);
  b.set(split, 24);
  return b;
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

describe('BloscLZ', () => {
  it('copies literal runs and repeats overlapping matches (a run of period 3)', () => {
    // Literals "abc" (first control byte carries the marker bit), then 8 bytes from 3 back.
    const stream = Uint8Array.from([0x20 | 2, 0x61, 0x62, 0x63, 6 << 5, 2]);
    const out = new Uint8Array(11);
    expect(blosclzDecode(stream, out)).toBe(11);
    expect(text(out)).toBe('abcabcabcab');
    expect(text(bloscDecode(bloscOf(stream, 11), 11))).toBe('abcabcabcab');
  });

  it('reads long match lengths from extension bytes and far distances from 16 more bits', () => {
    // "x", then a match of 7 - 1 + 255 + 4 + 3 = 268 bytes at distance 1 (a run of x).
    const run = Uint8Array.from([0x20 | 0, 0x78, 7 << 5, 255, 4, 0]);
    const out = new Uint8Array(269);
    expect(blosclzDecode(run, out)).toBe(269);
    expect(out.every((v) => v === 0x78)).toBe(true);
    // A far match: distance 8191 + ofs (ofs = 2 here) + 1 reaches back 8194 bytes.
    const literals = 8194;
    const parts: number[] = [];
    for (let i = 0; i < literals; i += 32) {
      const n = Math.min(32, literals - i);
      parts.push((i === 0 ? 0x20 : 0) | (n - 1));
      for (let k = 0; k < n; k++) parts.push((i + k) % 251);
    }
    parts.push((1 << 5) | 31, 255, 0, 2);
    const far = new Uint8Array(literals + 3);
    expect(blosclzDecode(Uint8Array.from(parts), far)).toBe(literals + 3);
    expect(Array.from(far.subarray(literals))).toEqual([0, 1, 2]);
  });

  it('refuses a match before the start of the output or past its end, and a truncated stream', () => {
    expect(() => blosclzDecode(Uint8Array.from([0x20 | 0, 0x61, 6 << 5, 5]), new Uint8Array(20))).toThrow(/before the start/);
    expect(() => blosclzDecode(Uint8Array.from([0x20 | 2, 0x61, 0x62, 0x63, 6 << 5, 2]), new Uint8Array(6))).toThrow(/past the end of the output/);
    expect(() => blosclzDecode(Uint8Array.from([0x20 | 9, 0x61]), new Uint8Array(20))).toThrow(/literal run past the end/);
    expect(() => blosclzDecode(Uint8Array.from([0x20 | 0, 0x61, 7 << 5]), new Uint8Array(20))).toThrow(/truncated match length/);
  });
});

describe('Blosc buffers', () => {
  it('returns a plain (memcpyed) buffer as it is', () => {
    const b = Buffer.alloc(16 + 4);
    b[0] = 2;
    b[2] = 0x02;
    b[3] = 4;
    b.writeUInt32LE(4, 4);
    b.writeUInt32LE(4, 8);
    b.writeUInt32LE(20, 12);
    b.set([9, 8, 7, 6], 16);
    expect(Array.from(bloscDecode(b, 4))).toEqual([9, 8, 7, 6]);
  });

  it('refuses sizes a buffer claims that do not match the chunk or the buffer, before using them', () => {
    const stream = Uint8Array.from([0x20 | 2, 0x61, 0x62, 0x63, 6 << 5, 2]);
    expect(() => bloscDecode(bloscOf(stream, 11).subarray(0, 10), 11)).toThrow(/shorter than its 16-byte header/);
    expect(() => bloscDecode(bloscOf(stream, 11), 12)).toThrow(/holds 11 bytes, a chunk needs 12/);
    const lying = Buffer.from(bloscOf(stream, 11));
    lying.writeInt32LE(1 << 30, 20);
    expect(() => bloscDecode(lying, 11)).toThrow(/claims 1073741824 bytes past the buffer/);
    const badStart = Buffer.from(bloscOf(stream, 11));
    badStart.writeInt32LE(4, 16);
    expect(() => bloscDecode(badStart, 11)).toThrow(/block 0 starts at 4, outside the buffer/);
    const huge = Buffer.from(bloscOf(stream, 11));
    huge.writeUInt32LE(0xffffffff, 12);
    expect(() => bloscDecode(huge, 11)).toThrow(/header says 4294967295 bytes/);
  });

  it('names bit-shuffle and Snappy as unsupported, not corrupt', () => {
    const stream = Uint8Array.from([0x20 | 2, 0x61, 0x62, 0x63, 6 << 5, 2]);
    expect(() => bloscDecode(bloscOf(stream, 11, 0x04), 11)).toThrow(UnsupportedBloscError);
    expect(() => bloscDecode(bloscOf(stream, 11, 2 << 5), 11)).toThrow(/Blosc buffers compressed with snappy are not read by voxelflow/);
  });
});

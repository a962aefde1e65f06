import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { lzwDecode, lzwEncode } from '../../../imaging/io/lzw.js';
import { packBitsDecode, packBitsEncode } from '../../../imaging/io/packbits.js';

/** Bytes with long runs as well as noise, so both literal and repeat paths (and LZW table resets) run. */
const bytes = fc.array(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 600 })).map(([b, n]) => new Uint8Array(n).fill(b))), { maxLength: 40 })
  .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));

describe('LZW', () => {
  it('decodes a stream written by imagecodecs (libtiff-compatible early change)', () => {
    const data = Uint8Array.from(Array.from({ length: 3 }, () => [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 3, 4, 5, 6, 7, 255, 255, 255]).flat());
    const encoded = Buffer.from('80002040000c1405078380c08050301dff0f81c120d080142a190e8840e0a018a456170d87bfe020', 'hex');
    const result = lzwDecode(encoded, data.length);
    expect(result.state).toBe('ok');
    expect(result.state === 'ok' && [...result.bytes]).toEqual([...data]);
  });

  it('round-trips any bytes, including past 4096 table entries', () => {
    fc.assert(
      fc.property(bytes, (src) => {
        const result = lzwDecode(lzwEncode(src), src.length);
        expect(result.state === 'ok' && Buffer.from(result.bytes).equals(Buffer.from(src))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('round-trips 200 kB of noise (many table resets and 12-bit codes)', () => {
    const src = new Uint8Array(200_000);
    let s = 7;
    for (let i = 0; i < src.length; i++) src[i] = (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24 & (i % 3000 < 1500 ? 0xff : 0x0f);
    const result = lzwDecode(lzwEncode(src), src.length);
    expect(result.state === 'ok' && Buffer.from(result.bytes).equals(Buffer.from(src))).toBe(true);
  });

  it('reports a stream that ends early or uses unknown codes as corrupt', () => {
    const encoded = lzwEncode(new Uint8Array(1000).map((_, i) => i % 13));
    expect(lzwDecode(encoded.subarray(0, 10), 1000).state).toBe('corrupt');
    expect(lzwDecode(Uint8Array.of(0x80, 0x1f, 0xff, 0xff), 10).state).toBe('corrupt');
  });
});

describe('PackBits', () => {
  it('decodes the TIFF 6.0 spec example', () => {
    const packed = Uint8Array.from([0xfe, 0xaa, 0x02, 0x80, 0x00, 0x2a, 0xfd, 0xaa, 0x03, 0x80, 0x00, 0x2a, 0x22, 0xf7, 0xaa]);
    const unpacked = [0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0xaa, 0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0x22, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa];
    expect([...(packBitsDecode(packed, unpacked.length) ?? [])]).toEqual(unpacked);
  });

  it('round-trips rows of any bytes, each row packed on its own', () => {
    fc.assert(
      fc.property(bytes, fc.integer({ min: 1, max: 300 }), (src, rowBytes) => {
        const rows = src.subarray(0, src.length - (src.length % rowBytes));
        expect(Buffer.from(packBitsDecode(packBitsEncode(rows, rowBytes), rows.length) ?? []).equals(Buffer.from(rows))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('returns null for data that overruns or stops short', () => {
    expect(packBitsDecode(Uint8Array.of(0x05, 1, 2), 6)).toBeNull();
    expect(packBitsDecode(Uint8Array.of(0xfd, 7), 2)).toBeNull();
  });
});

import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lz4DecodeBlock, lz4EncodeBlock } from '../../streaming/index.js';

const lz4napi = createRequire(import.meta.url)('lz4-napi') as { compressSync(b: Buffer): Buffer };

describe('lz4 block codec (DECTRIS lz4< blobs)', () => {
  it('round-trips random and compressible bytes through the library compressor', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 1, max: 40 }), (bytes, period) => {
        const compressible = bytes.map((_, i) => i % period);
        for (const src of [bytes, compressible]) {
          const block = lz4napi.compressSync(Buffer.from(src)).subarray(4); // strip lz4-napi's size prefix
          expect(Buffer.from(lz4DecodeBlock(block, src.length)).equals(Buffer.from(src))).toBe(true);
        }
      }),
    );
  });

  it('encodes a raw block without a size prefix, which the decoder reads back', () => {
    const src = new Uint8Array(256 * 256 * 2).map((_, i) => (i >> 7) & 0xff);
    const block = lz4EncodeBlock(src);
    expect(block.length).toBeLessThan(src.length / 10);
    expect(Buffer.from(lz4DecodeBlock(block, src.length)).equals(Buffer.from(src))).toBe(true);
  });

  it('rejects a block that decodes to a different size than the header says', () => {
    const block = lz4EncodeBlock(new Uint8Array(1000).fill(3));
    expect(() => lz4DecodeBlock(block, 999)).toThrow();
    expect(() => lz4DecodeBlock(block, 1001)).toThrow();
  });

  it('refuses sizes no lz4 block of that length can expand to, before allocating them', () => {
    expect(() => lz4DecodeBlock(new Uint8Array(10), 1 << 30)).toThrow(/cannot expand/);
    expect(() => lz4DecodeBlock(new Uint8Array(10), -1)).toThrow(/cannot expand/);
  });

  it('rejects corrupt blocks with an error, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (garbage) => {
        try {
          const out = lz4DecodeBlock(garbage, 4096);
          expect(out.length).toBe(4096); // a rare valid block must still decode to the stated size
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
      }),
    );
  });
});

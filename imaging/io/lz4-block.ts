/**
 * LZ4 *block* format (no frame header), as DECTRIS writes `lz4<` blobs: the decoded size is not in
 * the blob; it comes from the image header (shape x pixel size). lz4-napi (lz4_flex) decodes blocks
 * with a 4-byte little-endian size prefix, so the prefix is added here, and its safe decoder rejects
 * corrupt input with an error instead of reading out of bounds.
 */
import { createRequire } from 'node:module';

interface Lz4Napi {
  compressSync(data: Buffer): Buffer;
  uncompressSync(data: Uint8Array): Buffer;
}

let lib: Lz4Napi | null = null;

function lz4(): Lz4Napi {
  // Loaded on first use so that importing voxelflow does not load a native module it may not need.
  lib ??= createRequire(import.meta.url)('lz4-napi') as Lz4Napi;
  return lib;
}

/** Decodes an LZ4 block that must expand to exactly `size` bytes; throws on corrupt input. */
export function lz4DecodeBlock(block: Uint8Array, size: number): Uint8Array {
  // LZ4 expands at most ~255x; a header that claims more is wrong, and trusting it would allocate
  // whatever a corrupt or hostile header asks for.
  if (!Number.isInteger(size) || size < 0 || size > block.length * 255 + 64 || size > 0x7fffffff) {
    throw new RangeError(`an lz4 block of ${block.length} bytes cannot expand to ${size} bytes`);
  }
  const prefixed = Buffer.allocUnsafe(block.length + 4);
  prefixed.writeUInt32LE(size, 0);
  prefixed.set(block, 4);
  const out = lz4().uncompressSync(prefixed);
  if (out.length !== size) throw new RangeError(`lz4 block decodes to ${out.length} bytes, expected ${size}`);
  return out;
}

/** Encodes bytes as an LZ4 block without the size prefix (what a DECTRIS detector sends). */
export function lz4EncodeBlock(bytes: Uint8Array): Buffer {
  const src = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Copied out of lz4-napi's buffer: ZeroMQ sends large parts zero-copy from another thread, and
  // frames sent straight from a view of lz4-napi's output arrived corrupted now and then (seen in
  // the stream tests); a plain Node buffer does not.
  return Buffer.from(lz4().compressSync(src).subarray(4));
}

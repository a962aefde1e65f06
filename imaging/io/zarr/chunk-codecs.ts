/**
 * The bytes-to-bytes codecs of Zarr chunks that voxelflow reads and writes, all synchronous, because
 * tasks read and write their chunks synchronously: gzip and zlib (v3 `gzip`, numcodecs' `gzip` and
 * `zlib`) on node:zlib, v3's `crc32c` checksum, Blosc for reading (blosc.ts), and zstd for reading (zarr-python 3's default codec;
 * decoded by fzstd, a pure-JavaScript synchronous decoder, since Node 20's zlib has no zstd and the
 * WASM builds on npm are asynchronous). Decoding is bounded by the chunk's size, so a corrupt or
 * hostile chunk cannot make a reader allocate more than one chunk.
 */
import { decompress as zstdDecompress } from 'fzstd';
import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import type { Fail } from '../image-format-error.js';
import { bloscDecode } from './blosc.js';

/** A bytes-to-bytes codec voxelflow writes, as data (it travels to tasks in their environment). */
export type WriteCodec = { readonly name: 'gzip' | 'zlib'; readonly level: number } | { readonly name: 'crc32c' };

/** A bytes-to-bytes codec voxelflow reads: those it writes, zstd and Blosc. */
export type ByteCodec = WriteCodec | { readonly name: 'zstd' } | { readonly name: 'blosc' };

/** Parses a v3 codec entry after `bytes` (`where` names the metadata key for messages). */
export function parseByteCodecV3(name: string, config: Record<string, unknown>, where: string, fail: Fail): ByteCodec {
  if (name === 'gzip' || name === 'zlib' || name === 'numcodecs.gzip' || name === 'numcodecs.zlib') return { name: name.endsWith('gzip') ? 'gzip' : 'zlib', level: level(config.level) };
  if (name === 'crc32c') return { name: 'crc32c' };
  if (name === 'zstd' || name === 'numcodecs.zstd') return { name: 'zstd' };
  if (name === 'blosc' || name === 'numcodecs.blosc') return { name: 'blosc' };
  return fail(`${where}: codec '${name}' is not one voxelflow reads`, 'write the array with gzip, zlib, zstd, blosc or no compression');
}

/** Parses a v2 `compressor` entry. */
export function parseByteCodecV2(config: Record<string, unknown>, where: string, fail: Fail): ByteCodec {
  const id = String(config.id);
  if (id === 'gzip' || id === 'zlib') return { name: id, level: level(config.level) };
  if (id === 'zstd') return { name: 'zstd' };
  if (id === 'blosc') return { name: 'blosc' };
  return fail(`${where}: compressor '${id}' is not one voxelflow reads`, "write the array with compressor Blosc, GZip, Zlib or Zstd (numcodecs), or None");
}

function level(v: unknown): number {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 9 ? (v as number) : 6;
}

/** Undoes `codecs` (applied in order when written) on a chunk's bytes; `maxBytes` bounds every step. */
export function decodeChunk(bytes: Uint8Array, codecs: readonly ByteCodec[], maxBytes: number): Uint8Array {
  let out = bytes;
  for (let i = codecs.length - 1; i >= 0; i--) {
    const c = codecs[i]!;
    if (c.name === 'crc32c') out = checkCrc32c(out);
    else if (c.name === 'zstd') out = decodeZstd(out, maxBytes);
    else if (c.name === 'blosc') out = bloscDecode(out, maxBytes);
    else out = (c.name === 'gzip' ? gunzipSync : inflateSync)(out, { maxOutputLength: Math.max(1, maxBytes) });
  }
  return out;
}

/**
 * A zstd frame decoded into a buffer of at most `maxBytes` (a frame that claims or produces more is
 * an error before anything larger is allocated: fzstd writes into the buffer it is given).
 */
function decodeZstd(bytes: Uint8Array, maxBytes: number): Uint8Array {
  const claimed = zstdContentSize(bytes);
  if (claimed !== null && claimed > maxBytes) throw new Error(`zstd frame claims ${claimed} bytes, more than a chunk's ${maxBytes}`);
  const out = new Uint8Array(claimed ?? maxBytes);
  let got: Uint8Array;
  try {
    got = zstdDecompress(bytes, out);
  } catch (err) {
    throw new Error(`zstd: ${(err as Error).message}`);
  }
  return got.buffer === out.buffer ? got : Uint8Array.from(got);
}

/** The decompressed size a zstd frame header declares, or null when it does not say. */
function zstdContentSize(b: Uint8Array): number | null {
  if (b.length < 6 || b[0] !== 0x28 || b[1] !== 0xb5 || b[2] !== 0x2f || b[3] !== 0xfd) throw new Error('not a zstd frame (bad magic number)');
  const fhd = b[4] as number;
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const dictBytes = [0, 1, 2, 4][fhd & 3] as number;
  const fcsBytes = fcsFlag === 0 ? single : [1, 2, 4, 8][fcsFlag] as number;
  if (fcsBytes === 0) return null;
  const at = 5 + (single ? 0 : 1) + dictBytes;
  if (b.length < at + fcsBytes) throw new Error('zstd frame header is truncated');
  let v = 0;
  for (let i = fcsBytes - 1; i >= 0; i--) v = v * 256 + (b[at + i] as number);
  return fcsBytes === 2 ? v + 256 : v;
}

/** Applies `codecs` in order to a chunk's bytes. */
export function encodeChunk(bytes: Uint8Array, codecs: readonly WriteCodec[]): Uint8Array {
  let out = bytes;
  for (const c of codecs) {
    if (c.name === 'crc32c') {
      const sum = Buffer.alloc(4);
      sum.writeUInt32LE(crc32c(out), 0);
      out = Buffer.concat([out, sum]);
    } else out = (c.name === 'gzip' ? gzipSync : deflateSync)(out, { level: c.level });
  }
  return out;
}

function checkCrc32c(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 4) throw new Error('chunk shorter than its crc32c checksum');
  const body = bytes.subarray(0, bytes.length - 4);
  const stored = new DataView(bytes.buffer, bytes.byteOffset + body.length, 4).getUint32(0, true);
  if (crc32c(body) !== stored) throw new Error('crc32c checksum does not match');
  return body;
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), as Zarr v3's crc32c codec stores it. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC32C_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The bytes-to-bytes codecs of Zarr chunks that voxelflow reads and writes, all on node:zlib and
 * synchronous, because tasks read and write their chunks synchronously: gzip and zlib (v3 `gzip`,
 * numcodecs' `gzip` and `zlib`), and v3's `crc32c` checksum. Decoding is bounded by the chunk's size,
 * so a corrupt or hostile chunk cannot make a reader allocate more than one chunk.
 */
import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import type { Fail } from '../image-format-error.js';

/** A bytes-to-bytes codec, as data (it travels to tasks in their environment). */
export type ByteCodec = { readonly name: 'gzip' | 'zlib'; readonly level: number } | { readonly name: 'crc32c' };

/** Parses a v3 codec entry after `bytes` (`where` names the metadata key for messages). */
export function parseByteCodecV3(name: string, config: Record<string, unknown>, where: string, fail: Fail): ByteCodec {
  if (name === 'gzip' || name === 'zlib' || name === 'numcodecs.gzip' || name === 'numcodecs.zlib') return { name: name.endsWith('gzip') ? 'gzip' : 'zlib', level: level(config.level) };
  if (name === 'crc32c') return { name: 'crc32c' };
  return fail(`${where}: codec '${name}' is not one voxelflow reads`, 'write the array with gzip, zlib or no compression');
}

/** Parses a v2 `compressor` entry. */
export function parseByteCodecV2(config: Record<string, unknown>, where: string, fail: Fail): ByteCodec {
  const id = String(config.id);
  if (id === 'gzip' || id === 'zlib') return { name: id, level: level(config.level) };
  return fail(`${where}: compressor '${id}' is not one voxelflow reads`, "write the array with compressor GZip or Zlib (numcodecs), or None");
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
    else out = (c.name === 'gzip' ? gunzipSync : inflateSync)(out, { maxOutputLength: Math.max(1, maxBytes) });
  }
  return out;
}

/** Applies `codecs` in order to a chunk's bytes. */
export function encodeChunk(bytes: Uint8Array, codecs: readonly ByteCodec[]): Uint8Array {
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

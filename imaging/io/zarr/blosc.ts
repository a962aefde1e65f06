/**
 * Decoding Blosc 1 buffers (numcodecs' `blosc`, python3-zarr's and ome-zarr-py's default compressor):
 * a 16-byte header, the start of each block, then each block compressed whole or in one split per
 * byte of the element, by BloscLZ, LZ4, zlib or zstd, then byte-unshuffled. Our own code because
 * the Blosc builds on npm are WebAssembly with asynchronous entry points, and chunks are read
 * synchronously in tasks. Every size the buffer claims is checked against the chunk's known size
 * and the buffer's own length before anything is allocated or copied. Bit-shuffled buffers and
 * Snappy are refused with a message.
 *
 * Format: https://github.com/Blosc/c-blosc/blob/main/README_CHUNK_FORMAT.rst (header, bstarts,
 * splits) and blosclz.c (the BloscLZ token stream, a FastLZ variant).
 */
import { inflateSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { VoxelflowError } from '../../../core/index.js';
import { lz4DecodeBlock } from '../lz4-block.js';

declare module '../../../core/errors.js' {
  interface VoxelflowErrorTags {
    /** `isVoxelflowError(err, 'UnsupportedBloscError')` narrows to UnsupportedBloscError. */
    UnsupportedBloscError: UnsupportedBloscError;
  }
}

/** A valid Blosc buffer that uses a part of Blosc we do not decode (not a corrupt one). */
export class UnsupportedBloscError extends VoxelflowError {
  /** 'UnsupportedBloscError'. */
  override readonly _tag = 'UnsupportedBloscError';
  constructor(
    readonly what: string,
    readonly fix: string,
  ) {
    super(`${what} are not read by voxelflow`);
  }
}

const HEADER = 16;
const DOSHUFFLE = 0x1;
const MEMCPYED = 0x2;
const DOBITSHUFFLE = 0x4;
const DONT_SPLIT = 0x10;
/** Blocks are split per byte of the element only when elements are at most this wide... */
const MAX_SPLITS = 16;
/** ...and a split holds at least this many bytes (as c-blosc decides, for files older than the split flag). */
const MIN_BUFFERSIZE = 128;
const FORMATS = ['blosclz', 'lz4', 'snappy', 'zlib', 'zstd'] as const;

/** The bytes a Blosc buffer holds, which must be exactly `expected` (a chunk's size). */
export function bloscDecode(buf: Uint8Array, expected: number): Uint8Array {
  if (buf.length < HEADER) throw new Error(`${buf.length} bytes, shorter than its 16-byte header`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const flags = buf[2] as number;
  const typesize = buf[3] as number;
  const nbytes = view.getUint32(4, true);
  const blocksize = view.getUint32(8, true);
  const cbytes = view.getUint32(12, true);
  if (nbytes !== expected) throw new Error(`the buffer holds ${nbytes} bytes, a chunk needs ${expected}`);
  if (cbytes > buf.length) throw new Error(`the header says ${cbytes} bytes, the chunk has ${buf.length}`);
  if (flags & MEMCPYED) {
    if (HEADER + nbytes > buf.length) throw new Error('an uncompressed buffer shorter than its size');
    return buf.slice(HEADER, HEADER + nbytes);
  }
  if (flags & DOBITSHUFFLE) throw new UnsupportedBloscError('bit-shuffled Blosc buffers', 'rewrite the array with Blosc shuffle=SHUFFLE or NOSHUFFLE');
  const format = FORMATS[(flags & 0xe0) >> 5];
  if (format === undefined || format === 'snappy') throw new UnsupportedBloscError(`Blosc buffers compressed with ${format ?? `compressor #${(flags & 0xe0) >> 5}`}`, 'rewrite the array with Blosc cname lz4, blosclz, zlib or zstd');
  const out = new Uint8Array(nbytes);
  if (nbytes === 0) return out;
  if (typesize === 0 || blocksize === 0) throw new Error(`block size ${blocksize} and element size ${typesize} are not valid`);
  const nblocks = Math.ceil(nbytes / blocksize);
  if (HEADER + 4 * nblocks > buf.length) throw new Error(`${nblocks} block starts do not fit in ${buf.length} bytes`);
  const shuffle = (flags & DOSHUFFLE) !== 0 && typesize > 1;
  // Never more than the chunk: the header's block size is only a claim.
  const scratch = shuffle ? new Uint8Array(Math.min(blocksize, nbytes)) : null;
  for (let b = 0; b < nblocks; b++) {
    const leftover = b === nblocks - 1 && nbytes % blocksize !== 0;
    const bsize = leftover ? nbytes % blocksize : blocksize;
    const start = view.getInt32(HEADER + 4 * b, true);
    if (start < HEADER || start >= buf.length) throw new Error(`block ${b} starts at ${start}, outside the buffer`);
    const target = out.subarray(b * blocksize, b * blocksize + bsize);
    const dest = scratch === null ? target : scratch.subarray(0, bsize);
    const splits = (flags & DONT_SPLIT) === 0 && typesize <= MAX_SPLITS && blocksize / typesize >= MIN_BUFFERSIZE && !leftover ? typesize : 1;
    decodeBlock(buf, start, dest, splits, format, b);
    if (scratch !== null) unshuffle(dest, typesize, target);
  }
  return out;
}

/** Decodes the splits of one block, from `at` in `buf`, into `dest` (the block's size). */
function decodeBlock(buf: Uint8Array, at: number, dest: Uint8Array, splits: number, format: 'blosclz' | 'lz4' | 'zlib' | 'zstd', block: number): void {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const size = dest.length / splits;
  if (!Number.isInteger(size)) throw new Error(`block ${block} of ${dest.length} bytes does not split into ${splits}`);
  let p = at;
  for (let s = 0; s < splits; s++) {
    if (p + 4 > buf.length) throw new Error(`block ${block} is truncated`);
    const csize = view.getInt32(p, true);
    p += 4;
    if (csize < 0 || p + csize > buf.length) throw new Error(`split ${s} of block ${block} claims ${csize} bytes past the buffer`);
    const src = buf.subarray(p, p + csize);
    const to = dest.subarray(s * size, (s + 1) * size);
    // A split that did not compress is stored as is.
    if (csize === size) to.set(src);
    else decodeSplit(src, to, format, block);
    p += csize;
  }
}

function decodeSplit(src: Uint8Array, to: Uint8Array, format: 'blosclz' | 'lz4' | 'zlib' | 'zstd', block: number): void {
  let got: Uint8Array | number;
  switch (format) {
    case 'blosclz':
      got = blosclzDecode(src, to);
      break;
    case 'lz4':
      got = lz4DecodeBlock(src, to.length);
      break;
    case 'zlib':
      got = inflateSync(src, { maxOutputLength: Math.max(1, to.length) });
      break;
    case 'zstd':
      got = zstdDecompress(src, new Uint8Array(to.length));
      break;
  }
  if (typeof got === 'number') {
    if (got !== to.length) throw new Error(`a blosclz split of block ${block} decodes to ${got} bytes, expected ${to.length}`);
    return;
  }
  if (got.length !== to.length) throw new Error(`a ${format} split of block ${block} decodes to ${got.length} bytes, expected ${to.length}`);
  to.set(got);
}

/**
 * BloscLZ: tokens of literal runs (control byte < 32: that many + 1 literal bytes follow) and matches
 * (length in the top 3 bits, plus extension bytes when they are all set; distance from the low 5 bits
 * and the next byte, plus 16 more bits for far matches). The first control byte carries a marker in
 * bit 5. Returns the bytes written; every read and write is bounds-checked.
 */
export function blosclzDecode(src: Uint8Array, out: Uint8Array): number {
  const MAX_DISTANCE = 8191;
  if (src.length === 0) return 0;
  let ip = 0;
  let op = 0;
  let ctrl = (src[ip++] as number) & 31;
  for (;;) {
    if (ctrl >= 32) {
      let len = (ctrl >> 5) - 1;
      let ofs = (ctrl & 31) << 8;
      if (len === 6) {
        let code: number;
        do {
          if (ip >= src.length) throw new Error('blosclz: truncated match length');
          code = src[ip++] as number;
          len += code;
        } while (code === 255);
      }
      if (ip >= src.length) throw new Error('blosclz: truncated match');
      const code = src[ip++] as number;
      len += 3;
      let distance = ofs + code;
      if (code === 255 && ofs === 31 << 8) {
        if (ip + 2 > src.length) throw new Error('blosclz: truncated far match');
        ofs = ((src[ip] as number) << 8) + (src[ip + 1] as number);
        ip += 2;
        distance = ofs + MAX_DISTANCE;
      }
      const ref = op - distance - 1;
      if (ref < 0) throw new Error('blosclz: a match reaches before the start of the output');
      if (op + len > out.length) throw new Error('blosclz: a match writes past the end of the output');
      // Overlapping copies repeat the bytes just written (runs), so copy one byte at a time.
      for (let i = 0; i < len; i++) out[op + i] = out[ref + i] as number;
      op += len;
    } else {
      const run = ctrl + 1;
      if (op + run > out.length || ip + run > src.length) throw new Error('blosclz: a literal run past the end of the input or output');
      out.set(src.subarray(ip, ip + run), op);
      op += run;
      ip += run;
    }
    if (ip >= src.length) break;
    ctrl = src[ip++] as number;
  }
  return op;
}

/** Undoes Blosc's byte shuffle: byte j of element i was stored at j * n + i (n whole elements; a remainder is stored as is). */
function unshuffle(src: Uint8Array, typesize: number, dest: Uint8Array): void {
  const n = Math.floor(src.length / typesize);
  for (let j = 0; j < typesize; j++) {
    const from = j * n;
    for (let i = 0; i < n; i++) dest[i * typesize + j] = src[from + i] as number;
  }
  const whole = n * typesize;
  if (whole < src.length) dest.set(src.subarray(whole), whole);
}

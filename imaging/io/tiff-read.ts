/**
 * Reading boxes out of TIFF stacks: a multi-page file (one page per z) or a directory of single-page
 * slices. A box touches only the pages in its z range and, on each, only the strips or tiles that
 * intersect it; uncompressed chunks are read row run by row run without reading the rest.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

import { allocate, bytesPer, type DType, type TypedArray, viewAs } from '../dtype.js';
import type { Shape3 } from '../volume.js';
import { bytesOf, HOST_LITTLE_ENDIAN, swapInPlace, toHostOrder } from './byte-order.js';
import { readAt, readRuns, withFile } from './file-bytes.js';
import { failFor, type Fail } from './image-format-error.js';
import { checkRegion, type ImageSource, type Triple } from './image-source.js';
import { lzwDecode } from './lzw.js';
import { packBitsDecode } from './packbits.js';
import { readTiffPages } from './tiff-ifd.js';
import { chunkBytes, type TiffPage } from './tiff-page.js';
import { undoPredictor } from './tiff-predictor.js';

/** Opens a multi-page TIFF file, or a directory of TIFF slices sorted by natural name order. */
export function openTiff(path: string): ImageSource {
  const fail: Fail = failFor(path, 'tiff');
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // withFile below reports the missing file.
  }
  const files = (isDir ? sliceFiles(path, fail) : [path]).map((file) => readTiffPages(file));
  const pages = files.flatMap((file) => file.pages);
  checkPagesAgree(pages, isDir, fail);
  return new TiffSource(path, pages, files[0]!.spacing);
}

/** The `.tif`/`.tiff` files of a directory, `slice2` before `slice10`. */
function sliceFiles(dir: string, fail: Fail): string[] {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch (err) {
    fail(`cannot list the directory: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check its permissions', err);
  }
  const names = entries.filter((n) => /\.tiff?$/i.test(n) && !n.startsWith('.'));
  if (names.length === 0) fail('directory has no .tif or .tiff files', 'pass a directory of TIFF slices or a TIFF file');
  const collator = new Intl.Collator('en', { numeric: true });
  return names.sort(collator.compare).map((n) => join(dir, n));
}

/** Every page must match page 0's size and dtype, since the pages are the z slices of one volume. */
function checkPagesAgree(pages: readonly TiffPage[], isDir: boolean, fail: Fail): void {
  const first = pages[0]!;
  for (let z = 1; z < pages.length; z++) {
    const p = pages[z]!;
    if (p.width !== first.width || p.height !== first.height || p.dtype !== first.dtype) {
      const where = isDir ? `slice ${p.file} (z ${z})` : `page ${z}`;
      fail(
        `${where} is ${p.width}x${p.height} ${p.dtype} but ${isDir ? `slice ${first.file}` : 'page 0'} is ${first.width}x${first.height} ${first.dtype}`,
        'every z slice must have the same size and type; re-export the stack',
      );
    }
  }
}

/** A TIFF stack opened for box reads. */
class TiffSource implements ImageSource {
  readonly format = 'tiff';
  readonly shape: Shape3;
  readonly dtype: DType;
  declare readonly spacing?: readonly [number, number, number];
  readonly #pages: readonly TiffPage[];
  readonly #cache = new ChunkCache(CACHE_BYTES);

  constructor(
    readonly path: string,
    pages: readonly TiffPage[],
    spacing: readonly [number, number, number] | undefined,
  ) {
    const first = pages[0]!;
    this.shape = [pages.length, first.height, first.width];
    this.dtype = first.dtype;
    if (spacing !== undefined) this.spacing = spacing;
    this.#pages = pages;
  }

  readRegion(origin: Triple, size: Triple): TypedArray {
    checkRegion(this.shape, origin, size);
    const out = allocate(this.dtype, size[0] * size[1] * size[2]);
    if (out.length === 0) return out;
    const plane = size[1] * size[2];
    // Consecutive pages of one file share a descriptor.
    let z = 0;
    while (z < size[0]) {
      const file = this.#pages[origin[0] + z]!.file;
      const fail: Fail = failFor(file, 'tiff');
      z = withFile(file, fail, (fd, fileBytes) => {
        let k = z;
        for (; k < size[0] && this.#pages[origin[0] + k]!.file === file; k++) {
          const at = origin[0] + k;
          const decoded = (chunk: number): TypedArray => this.#cache.get(`${at}:${chunk}`, () => decodeChunk(fd, fileBytes, this.#pages[at]!, chunk, fail));
          readPageBox(fd, this.#pages[at]!, origin, size, out, k * plane, decoded, fail);
        }
        return k;
      });
    }
    return out;
  }
}

/** Decoded chunks kept per source: boxes side by side share strips, which are then decoded once. */
const CACHE_BYTES = 32 * 2 ** 20;

/** A byte-bounded LRU of decoded chunks (a Map iterates in insertion order, oldest first). */
class ChunkCache {
  readonly #entries = new Map<string, TypedArray>();
  #bytes = 0;
  constructor(readonly budget: number) {}

  get(key: string, decode: () => TypedArray): TypedArray {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const value = decode();
    if (value.byteLength <= this.budget / 4) {
      this.#entries.set(key, value);
      this.#bytes += value.byteLength;
      for (const [oldKey, old] of this.#entries) {
        if (this.#bytes <= this.budget) break;
        this.#entries.delete(oldKey);
        this.#bytes -= old.byteLength;
      }
    }
    return value;
  }
}

/** Copies the `[y, x]` part of the box from one page into `out` at `base`; `decoded(k)` gives chunk k. */
function readPageBox(fd: number, page: TiffPage, origin: Triple, size: Triple, out: TypedArray, base: number, decoded: (k: number) => TypedArray, fail: Fail): void {
  const y0 = origin[1];
  const x0 = origin[2];
  const y1 = y0 + size[1];
  const x1 = x0 + size[2];
  const sx = size[2];
  const cw = page.chunkWidth;
  const ch = page.chunkHeight;
  const across = Math.ceil(page.width / cw);
  const bpe = bytesPer(page.dtype);
  const direct = page.compression === 1 && page.predictor === 1;
  const outBytes = bytesOf(out);
  for (let cy = Math.floor(y0 / ch); cy * ch < y1; cy++) {
    for (let cx = Math.floor(x0 / cw); cx * cw < x1; cx++) {
      const k = cy * across + cx;
      const top = cy * ch;
      const left = cx * cw;
      const r0 = Math.max(y0, top);
      const r1 = Math.min(y1, top + ch, page.height);
      const c0 = Math.max(x0, left);
      const c1 = Math.min(x1, left + cw, page.width);
      const runBytes = (c1 - c0) * bpe;
      if (direct) {
        // Uncompressed: read only the row runs the box needs, straight into `out`.
        const dst = (base + (r0 - y0) * sx + (c0 - x0)) * bpe;
        const src = page.offsets[k]! + ((r0 - top) * cw + (c0 - left)) * bpe;
        readRuns(fd, src, cw * bpe, outBytes, dst, sx * bpe, runBytes, r1 - r0, fail);
        for (let r = r0; r < r1 && page.littleEndian !== HOST_LITTLE_ENDIAN; r++) {
          const at = (base + (r - y0) * sx + (c0 - x0)) * bpe;
          swapInPlace(outBytes.subarray(at, at + runBytes), bpe);
        }
        continue;
      }
      const chunk = decoded(k);
      for (let r = r0; r < r1; r++) {
        const from = (r - top) * cw + (c0 - left);
        out.set(chunk.subarray(from, from + (c1 - c0)), base + (r - y0) * sx + (c0 - x0));
      }
    }
  }
}

/** Reads, decompresses and un-predicts chunk `k` of a page, in host byte order. */
function decodeChunk(fd: number, fileBytes: number, page: TiffPage, k: number, fail: Fail): TypedArray {
  const bpe = bytesPer(page.dtype);
  const expected = chunkBytes(page, k);
  const rows = expected / (page.chunkWidth * bpe);
  const what = `${page.tiled ? 'tile' : 'strip'} ${k} of page ${page.index}`;
  const raw = readAt(fd, fileBytes, page.offsets[k]!, page.byteCounts[k]!, what, fail);
  let bytes = decompress(raw, page.compression, expected, what, fail);
  if (bytes.byteOffset % bpe !== 0 || bytes.length !== expected) {
    const copy = new Uint8Array(expected);
    copy.set(bytes.subarray(0, expected));
    bytes = copy;
  }
  if (page.predictor !== 3) toHostOrder(bytes, bpe, page.littleEndian);
  const values = viewAs(page.dtype, bytes.buffer, bytes.byteOffset, expected / bpe);
  if (page.predictor !== 1) undoPredictor(values, bytes, page.predictor, page.chunkWidth, rows);
  return values;
}

/** Decompresses one chunk to at least `expected` bytes. */
function decompress(raw: Buffer, compression: number, expected: number, what: string, fail: Fail): Uint8Array {
  if (compression === 1) return raw;
  if (compression === 32773) {
    const out = packBitsDecode(raw, expected);
    return out ?? fail(`corrupt: PackBits data of ${what} does not decode to ${expected} bytes`, 're-export the file');
  }
  if (compression === 5) {
    const result = lzwDecode(raw, expected);
    if (result.state === 'ok') return result.bytes;
    return fail(`corrupt: LZW data of ${what}: ${result.reason}`, 're-export the file');
  }
  let out: Buffer;
  try {
    out = inflateSync(raw);
  } catch (err) {
    return fail(`corrupt: Deflate data of ${what}: ${(err as Error).message}`, 're-export the file', err);
  }
  if (out.length < expected) fail(`corrupt: Deflate data of ${what} decodes to ${out.length} of ${expected} bytes`, 're-export the file');
  return out;
}

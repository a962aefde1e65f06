/**
 * A small, independent TIFF builder for test fixtures: either byte order, classic or BigTIFF, strips
 * or tiles, any tags. Chunk bytes are given encoded; `chunksOf` cuts a page into strips or tiles in
 * the file's byte order with an optional predictor applied.
 */
import { deflateSync } from 'node:zlib';

import type { TypedArray } from '../../../imaging/dtype.js';
import { lzwEncode } from '../../../imaging/io/lzw.js';
import { packBitsEncode } from '../../../imaging/io/packbits.js';

export interface PageSpec {
  readonly width: number;
  readonly height: number;
  readonly bits: number;
  readonly sampleFormat?: number;
  readonly compression?: number;
  readonly predictor?: number;
  readonly samples?: number;
  readonly photometric?: number;
  readonly tile?: readonly [width: number, height: number];
  readonly rowsPerStrip?: number;
  readonly subfileType?: number;
  readonly chunks: readonly Uint8Array[];
}

/** The sample bytes of `values` in the given order, as strips (or tiles, zero-padded), predictor applied. */
export function chunksOf(values: TypedArray, width: number, height: number, le: boolean, layout: { rowsPerStrip?: number; tile?: readonly [number, number] }, predictor = 1): Uint8Array[] {
  const bpe = values.BYTES_PER_ELEMENT;
  const [cw, ch] = layout.tile ?? [width, layout.rowsPerStrip ?? height];
  const chunks: Uint8Array[] = [];
  for (let top = 0; top < height; top += ch) {
    for (let left = 0; left < width; left += cw) {
      const rows = layout.tile ? ch : Math.min(ch, height - top);
      const out = new Uint8Array(rows * cw * bpe);
      const view = new DataView(out.buffer);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cw; c++) {
          const y = top + r;
          const x = left + c;
          const v = y < height && x < width ? values[y * width + x]! : 0;
          setSample(view, (r * cw + c) * bpe, v, values, le);
        }
      }
      if (predictor === 2) horizontalDifference(view, cw, rows, bpe, le);
      if (predictor === 3) floatDifference(out, cw, rows, bpe, le);
      chunks.push(out);
    }
  }
  return chunks;
}

function setSample(view: DataView, at: number, v: number, values: TypedArray, le: boolean): void {
  if (values instanceof Float32Array) view.setFloat32(at, v, le);
  else if (values instanceof Float64Array) view.setFloat64(at, v, le);
  else if (values.BYTES_PER_ELEMENT === 1) view.setUint8(at, v);
  else if (values.BYTES_PER_ELEMENT === 2) view.setUint16(at, v & 0xffff, le);
  else view.setUint32(at, v >>> 0, le);
}

/** Predictor 2: each sample minus its left neighbour, right to left, as unsigned integers. */
function horizontalDifference(view: DataView, cw: number, rows: number, bpe: number, le: boolean): void {
  const get = (i: number): number => (bpe === 1 ? view.getUint8(i) : bpe === 2 ? view.getUint16(i, le) : view.getUint32(i, le));
  const set = (i: number, v: number): void => (bpe === 1 ? view.setUint8(i, v & 0xff) : bpe === 2 ? view.setUint16(i, v & 0xffff, le) : view.setUint32(i, v >>> 0, le));
  for (let r = 0; r < rows; r++) {
    for (let c = cw - 1; c > 0; c--) {
      const i = (r * cw + c) * bpe;
      set(i, get(i) - get(i - bpe));
    }
  }
}

/** Predictor 3: split each row into byte planes (most significant first), then difference the bytes. */
function floatDifference(out: Uint8Array, cw: number, rows: number, bpe: number, le: boolean): void {
  const rowBytes = cw * bpe;
  for (let r = 0; r < rows; r++) {
    const row = out.subarray(r * rowBytes, (r + 1) * rowBytes);
    const planes = new Uint8Array(rowBytes);
    for (let i = 0; i < cw; i++) {
      for (let b = 0; b < bpe; b++) planes[b * cw + i] = row[i * bpe + (le ? bpe - 1 - b : b)]!;
    }
    for (let i = rowBytes - 1; i > 0; i--) planes[i] = (planes[i]! - planes[i - 1]!) & 0xff;
    row.set(planes);
  }
}

/** Compresses chunks with TIFF compression `code` (1, 5, 8, 32946, 32773). */
export function compressChunks(chunks: readonly Uint8Array[], code: number, rowBytes: number): Uint8Array[] {
  return chunks.map((c) => (code === 5 ? lzwEncode(c) : code === 8 || code === 32946 ? deflateSync(c) : code === 32773 ? packBitsEncode(c, rowBytes) : c));
}

/** Builds a TIFF file; every page is written as strip/tile data followed by its IFD. */
export function buildTiff(order: 'II' | 'MM', pages: readonly PageSpec[], big = false): Buffer {
  const le = order === 'II';
  const parts: Buffer[] = [];
  let pos = big ? 16 : 8;
  const head = Buffer.alloc(pos);
  head.write(order, 0, 'latin1');
  u16(head, 2, big ? 43 : 42, le);
  if (big) {
    u16(head, 4, 8, le);
    u16(head, 6, 0, le);
  }
  parts.push(head);
  let nextField: { buf: Buffer; at: number } = { buf: head, at: 4 + (big ? 4 : 0) };
  for (const p of pages) {
    const offsets: number[] = [];
    for (const c of p.chunks) {
      offsets.push(pos);
      parts.push(Buffer.from(c));
      pos += c.length;
    }
    const [cw, ch] = p.tile ?? [0, 0];
    const tags: Array<[number, number, number[]]> = [
      [256, 4, [p.width]],
      [257, 4, [p.height]],
      [258, 3, Array<number>(p.samples ?? 1).fill(p.bits)],
      [259, 3, [p.compression ?? 1]],
      [262, 3, [p.photometric ?? 1]],
      [277, 3, [p.samples ?? 1]],
      [317, 3, [p.predictor ?? 1]],
      [339, 3, [p.sampleFormat ?? 1]],
    ];
    if (p.subfileType !== undefined) tags.push([254, 4, [p.subfileType]]);
    if (p.tile) tags.push([322, 3, [cw]], [323, 3, [ch]], [324, 4, offsets], [325, 4, p.chunks.map((c) => c.length)]);
    else tags.push([273, 4, offsets], [278, 4, [p.rowsPerStrip ?? p.height]], [279, 4, p.chunks.map((c) => c.length)]);
    tags.sort((a, b) => a[0] - b[0]);
    const entry = big ? 20 : 12;
    const countBytes = big ? 8 : 2;
    const table = Buffer.alloc(countBytes + tags.length * entry + (big ? 8 : 4));
    let spill = pos + table.length;
    const spills: Buffer[] = [];
    if (big) u64(table, 0, tags.length, le);
    else u16(table, 0, tags.length, le);
    tags.forEach(([tag, type, values], i) => {
      const e = countBytes + i * entry;
      const size = type === 3 ? 2 : 4;
      u16(table, e, tag, le);
      u16(table, e + 2, type, le);
      if (big) u64(table, e + 4, values.length, le);
      else u32(table, e + 4, values.length, le);
      const valueAt = e + (big ? 12 : 8);
      const write = (buf: Buffer, at: number): void => values.forEach((v, k) => (size === 2 ? u16(buf, at + k * 2, v, le) : u32(buf, at + k * 4, v, le)));
      if (values.length * size <= (big ? 8 : 4)) write(table, valueAt);
      else {
        const b = Buffer.alloc(values.length * size);
        write(b, 0);
        if (big) u64(table, valueAt, spill, le);
        else u32(table, valueAt, spill, le);
        spills.push(b);
        spill += b.length;
      }
    });
    if (big) u64(nextField.buf, nextField.at, pos, le);
    else u32(nextField.buf, nextField.at, pos, le);
    nextField = { buf: table, at: countBytes + tags.length * entry };
    parts.push(table, ...spills);
    pos = spill;
  }
  return Buffer.concat(parts);
}

function u16(b: Buffer, at: number, v: number, le: boolean): void {
  if (le) b.writeUInt16LE(v, at);
  else b.writeUInt16BE(v, at);
}
function u32(b: Buffer, at: number, v: number, le: boolean): void {
  if (le) b.writeUInt32LE(v, at);
  else b.writeUInt32BE(v, at);
}
function u64(b: Buffer, at: number, v: number, le: boolean): void {
  u32(b, le ? at : at + 4, v % 2 ** 32, le);
  u32(b, le ? at + 4 : at, Math.floor(v / 2 ** 32), le);
}

/**
 * Writing little-endian classic TIFF: one page per z slice, strips of about 64 KiB, optionally LZW,
 * Deflate or PackBits compressed. Each page's strips are written first and its IFD right after them;
 * the previous IFD's next-offset is patched in place, so memory holds one strip at a time.
 */
import { writeSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

import { bytesPer, type DType } from '../dtype.js';
import type { Volume } from '../volume.js';
import { littleEndianBytes } from './byte-order.js';
import { ImageFormatError } from './image-format-error.js';
import { lzwEncode } from './lzw.js';
import { packBitsEncode } from './packbits.js';

/** TIFF compressions the writer produces. */
export type TiffCompression = 'none' | 'lzw' | 'deflate' | 'packbits';

const CODES: Readonly<Record<TiffCompression, number>> = { none: 1, lzw: 5, deflate: 8, packbits: 32773 };
const SAMPLE_FORMAT: Readonly<Record<DType, number>> = { u8: 1, u16: 1, u32: 1, i16: 2, i32: 2, f32: 3, f64: 3 };
const STRIP_BYTES = 1 << 16;
const ASCII = 2;
const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;
/** Bytes per stored number: ASCII chars, SHORTs, LONGs, and each half of a RATIONAL. */
const NUMBER_BYTES: Readonly<Record<number, number>> = { [ASCII]: 1, [SHORT]: 2, [LONG]: 4, [RATIONAL]: 4 };

type Entry = readonly [tag: number, type: number, values: readonly number[]];

/** Writes `volume` as a multi-page TIFF to an open descriptor (positioned at 0). */
export function writeTiff(fd: number, volume: Volume, compression: TiffCompression, path: string): void {
  const [depth, height, width] = volume.shape;
  const bpe = bytesPer(volume.dtype);
  const rowBytes = width * bpe;
  const rowsPerStrip = Math.max(1, Math.min(height, Math.floor(STRIP_BYTES / Math.max(1, rowBytes))));
  const bytes = littleEndianBytes(volume.data);
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  let pos = put(fd, header, 0, path);
  let nextField = 4;
  for (let z = 0; z < depth; z++) {
    const page = bytes.subarray(z * height * rowBytes, (z + 1) * height * rowBytes);
    const offsets: number[] = [];
    const counts: number[] = [];
    for (let row = 0; row < height; row += rowsPerStrip) {
      const strip = encode(page.subarray(row * rowBytes, Math.min(height, row + rowsPerStrip) * rowBytes), compression, rowBytes);
      offsets.push(pos);
      counts.push(strip.length);
      pos = put(fd, strip, pos, path);
      if (pos % 2 === 1) pos = put(fd, new Uint8Array(1), pos, path);
    }
    const entries = pageEntries(volume, compression, rowsPerStrip, offsets, counts, z);
    patch(fd, nextField, pos);
    const ifd = encodeIfd(entries, pos);
    nextField = pos + 2 + entries.length * 12;
    pos = put(fd, ifd, pos, path);
  }
}

/** The tags of page `z`, sorted: its strips at `offsets` of `counts` bytes, `rowsPerStrip` rows each. */
function pageEntries(volume: Pick<Volume, 'shape' | 'dtype' | 'spacing'>, compression: TiffCompression, rowsPerStrip: number, offsets: readonly number[], counts: readonly number[], z: number): Entry[] {
  const [, height, width] = volume.shape;
  const entries: Entry[] = [
    [256, LONG, [width]],
    [257, LONG, [height]],
    [258, SHORT, [bytesPer(volume.dtype) * 8]],
    [259, SHORT, [CODES[compression]]],
    [262, SHORT, [1]],
    [273, LONG, offsets],
    [277, SHORT, [1]],
    [278, LONG, [rowsPerStrip]],
    [279, LONG, counts],
    [284, SHORT, [1]],
    [339, SHORT, [SAMPLE_FORMAT[volume.dtype]]],
    ...(z === 0 ? spacingEntries(volume) : []),
  ];
  return entries.sort((a, b) => a[0] - b[0]);
}

/**
 * The header of an uncompressed TIFF whose voxels are written by tasks (block-writer.ts): the file
 * header and every page's IFD first, then the voxels of all pages back to back from the returned
 * `dataOffset`, in C order — so a voxel's place in the file is that of a .npy's, and each page's strips
 * point into it. Fails, naming the path, past classic TIFF's 4 GiB.
 */
export function contiguousTiffHeader(volume: Pick<Volume, 'shape' | 'dtype' | 'spacing'>, path: string): { header: Buffer; dataOffset: number } {
  const [depth, height, width] = volume.shape;
  const rowBytes = width * bytesPer(volume.dtype);
  const rowsPerStrip = Math.max(1, Math.min(height, Math.floor(STRIP_BYTES / Math.max(1, rowBytes))));
  const strips = Math.ceil(height / rowsPerStrip);
  const planeBytes = height * rowBytes;
  // IFDs are laid out with placeholder offsets to learn their sizes, then again with the real ones.
  const layout = (dataOffset: number): Buffer[] => {
    const ifds: Buffer[] = [];
    let at = 8;
    for (let z = 0; z < depth; z++) {
      const offsets = Array.from({ length: strips }, (_, k) => dataOffset + z * planeBytes + k * rowsPerStrip * rowBytes);
      const counts = Array.from({ length: strips }, (_, k) => Math.min(rowsPerStrip, height - k * rowsPerStrip) * rowBytes);
      const ifd = encodeIfd(pageEntries(volume, 'none', rowsPerStrip, offsets, counts, z), at);
      at += ifd.length + (ifd.length % 2);
      ifds.push(ifd);
    }
    return ifds;
  };
  const sized = layout(0).reduce((n, b) => n + b.length + (b.length % 2), 8);
  const dataOffset = Math.ceil(sized / 16) * 16;
  if (dataOffset + depth * planeBytes > 0xffffffff) {
    throw new ImageFormatError(path, 'tiff', `the TIFF would be larger than 4 GiB (classic TIFF's limit)`, 'write .npy, .raw or .zarr, or compress with lzw or deflate');
  }
  const ifds = layout(dataOffset);
  const header = Buffer.alloc(dataOffset);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(depth > 0 ? 8 : 0, 4);
  let at = 8;
  ifds.forEach((ifd, z) => {
    header.set(ifd, at);
    const next = at + ifd.length + (ifd.length % 2);
    // The next-IFD field follows the entry table: 2 + 12 * entries bytes into the IFD.
    if (z + 1 < depth) header.writeUInt32LE(next, at + 2 + ifd.readUInt16LE(0) * 12);
    at = next;
  });
  return { header, dataOffset };
}

/** Compresses one strip. */
function encode(strip: Uint8Array, compression: TiffCompression, rowBytes: number): Uint8Array {
  switch (compression) {
    case 'none':
      return strip;
    case 'lzw':
      return lzwEncode(strip);
    case 'deflate':
      return deflateSync(strip);
    case 'packbits':
      return packBitsEncode(strip, rowBytes);
  }
}

/**
 * The voxel size the way ImageJ stores it (and the reader looks for it): pixels per unit as X/YResolution
 * and the z step as `spacing=` in an `ImageJ=` description. No unit is written, since volumes carry none.
 */
function spacingEntries(volume: Pick<Volume, 'shape' | 'spacing'>): Entry[] {
  if (volume.spacing === undefined) return [];
  const [sz, sy, sx] = volume.spacing;
  const description = `ImageJ=1.11a\nimages=${volume.shape[0]}\nslices=${volume.shape[0]}\nspacing=${sz}\n\0`;
  return [
    [270, ASCII, Array.from(description, (c) => c.charCodeAt(0) & 0x7f)],
    [282, RATIONAL, rational(1 / sx)],
    [283, RATIONAL, rational(1 / sy)],
    [296, SHORT, [1]],
  ];
}

/** A positive number as a TIFF RATIONAL (two uint32s), to about 1e-6 relative. */
function rational(value: number): [number, number] {
  if (!(Number.isFinite(value) && value > 0)) return [0, 1];
  if (value < 1) return [1e6, Math.min(0xffffffff, Math.round(1e6 / value))];
  const den = Math.min(1e6, Math.floor(0xffffffff / value));
  return [Math.max(1, Math.round(value * den)), Math.max(1, den)];
}

/** An IFD at `at`: the entry table, a zero next-offset, then the values that do not fit in 4 bytes. */
function encodeIfd(entries: readonly Entry[], at: number): Buffer {
  const tableBytes = 2 + entries.length * 12 + 4;
  const spilled = (values: readonly number[], type: number): number => {
    const n = values.length * NUMBER_BYTES[type]!;
    return n > 4 ? n + (n % 2) : 0;
  };
  const buf = Buffer.alloc(tableBytes + entries.reduce((n, [, type, values]) => n + spilled(values, type), 0));
  buf.writeUInt16LE(entries.length, 0);
  let spill = tableBytes;
  entries.forEach(([tag, type, values], i) => {
    const e = 2 + i * 12;
    const size = NUMBER_BYTES[type]!;
    buf.writeUInt16LE(tag, e);
    buf.writeUInt16LE(type, e + 2);
    buf.writeUInt32LE(type === RATIONAL ? values.length / 2 : values.length, e + 4);
    let target = e + 8;
    if (spilled(values, type) > 0) {
      buf.writeUInt32LE(at + spill, e + 8);
      target = spill;
      spill += spilled(values, type);
    }
    values.forEach((v, k) => (size === 1 ? buf.writeUInt8(v, target + k) : size === 2 ? buf.writeUInt16LE(v, target + k * 2) : buf.writeUInt32LE(v, target + k * 4)));
  });
  return buf;
}

/** Writes `bytes` at `pos`, returning the end; classic TIFF offsets stop at 4 GiB. */
function put(fd: number, bytes: Uint8Array, pos: number, path: string): number {
  const end = pos + bytes.length;
  if (end > 0xffffffff) {
    throw new ImageFormatError(path, 'tiff', `the TIFF would be larger than 4 GiB (classic TIFF's limit)`, 'write .npy or .raw, or compress with lzw or deflate');
  }
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, pos + done);
  return end;
}

/** Points the 4-byte offset field at `field` to `value`. */
function patch(fd: number, field: number, value: number): void {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value, 0);
  writeSync(fd, b, 0, 4, field);
}

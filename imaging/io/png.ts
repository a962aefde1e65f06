/**
 * 2D grayscale PNG, 8 or 16 bits (lower bit depths read as u8), through `pngjs`. A PNG is one z slice;
 * it is decoded whole on first use, since PNG rows are filtered and deflated as one stream.
 */
import { readFileSync, readSync } from 'node:fs';

import pngjs from 'pngjs';

import { allocate, type TypedArray } from '../dtype.js';
import type { Volume } from '../volume.js';
import { withFile, writeAll } from './file-bytes.js';
import { failFor, ImageFormatError, type Fail } from './image-format-error.js';
import type { ImageSource } from './image-source.js';
import { MemorySource } from './memory-source.js';

const { PNG } = pngjs;

/** PNG color types that hold one gray channel (0) and those that do not, for messages. */
const COLOR_TYPES: Readonly<Record<number, string>> = { 2: 'RGB', 3: 'palette-colour', 4: 'gray with alpha', 6: 'RGBA' };

/** Reads the IHDR chunk at open (so shape and dtype are known), and decodes the pixels on first use. */
export function openPng(path: string): ImageSource {
  const fail: Fail = failFor(path, 'png');
  const ihdr = withFile(path, fail, (fd, size) => {
    const head = Buffer.alloc(Math.min(size, 29));
    if (head.length > 0) readHead(fd, head);
    if (head.length < 29 || head.readUInt32BE(0) !== 0x89504e47 || head.toString('latin1', 12, 16) !== 'IHDR') {
      fail('not a PNG file (no PNG signature and IHDR chunk)', 'pass the right format');
    }
    return { width: head.readUInt32BE(16), height: head.readUInt32BE(20), depth: head[24]!, colorType: head[25]!, size };
  });
  if (ihdr.colorType !== 0) {
    fail(`PNG is ${COLOR_TYPES[ihdr.colorType] ?? `color type ${ihdr.colorType}`}, not grayscale`, 'save it as 8- or 16-bit grayscale');
  }
  // Deflate expands at most ~1032:1, so a small file claiming a huge image is corrupt (and would
  // otherwise make pngjs allocate it).
  const pixels = ihdr.width * ihdr.height;
  if (pixels === 0 || pixels > 2 ** 30 || pixels * (ihdr.depth / 8) > ihdr.size * 1100 + 4096) {
    fail(`corrupt: PNG header says ${ihdr.width}x${ihdr.height} pixels in a ${ihdr.size}-byte file`, 're-export the file');
  }
  const dtype = ihdr.depth === 16 ? 'u16' : 'u8';
  const decode = (): TypedArray => {
    let png: { width: number; height: number; data: ArrayLike<number> };
    try {
      png = PNG.sync.read(readFileSync(path), { skipRescale: true });
    } catch (err) {
      return fail(`corrupt PNG: ${(err as Error).message}`, 're-export the file', err);
    }
    if (png.width !== ihdr.width || png.height !== ihdr.height) fail('corrupt PNG: the decoded size differs from the header', 're-export the file');
    // pngjs expands every pixel to RGBA; gray is in the first of the four channels.
    const out = allocate(dtype, ihdr.width * ihdr.height);
    const data = png.data;
    for (let i = 0, j = 0; i < out.length; i++, j += 4) out[i] = data[j]!;
    return out;
  };
  return new MemorySource({ path, format: 'png', shape: [1, ihdr.height, ihdr.width], dtype, decode });
}

function readHead(fd: number, head: Buffer): void {
  let done = 0;
  while (done < head.length) {
    const n = readSync(fd, head, done, head.length - done, done);
    if (n === 0) break;
    done += n;
  }
}

/** Encodes a 2D u8 or u16 volume as a grayscale PNG and writes it to an open descriptor. */
export function writePng(fd: number, volume: Volume, path: string): void {
  const [z, height, width] = volume.shape;
  if (z !== 1) throw new ImageFormatError(path, 'png', `PNG holds one 2D image but the volume has ${z} z slices`, 'write .tif or .npy for 3D volumes, or take one slice');
  if (volume.dtype !== 'u8' && volume.dtype !== 'u16') {
    throw new ImageFormatError(path, 'png', `PNG holds u8 or u16 pixels but the volume is ${volume.dtype}`, 'convert it to u8 or u16, or write .tif or .npy');
  }
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: volume.dtype === 'u16' ? 16 : 8, inputHasAlpha: false });
  // pngjs reads 16-bit input through `new Uint16Array(data.buffer)`, so the buffer must start at 0.
  const copy = new Uint8Array(volume.data.byteLength);
  copy.set(new Uint8Array(volume.data.buffer, volume.data.byteOffset, volume.data.byteLength));
  png.data = Buffer.from(copy.buffer);
  writeAll(fd, PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: volume.dtype === 'u16' ? 16 : 8, inputHasAlpha: false }));
}

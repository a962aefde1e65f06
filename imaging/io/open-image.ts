/**
 * `openImage` and `readImage`: pick the reader by option, extension or magic bytes, in that order. A
 * folder is a Zarr store when it ends in `.zarr` or holds Zarr metadata, else a stack of TIFF slices.
 */
import { existsSync, readSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

import type { Volume } from '../volume.js';
import { withFile } from './file-bytes.js';
import { failFor, type Fail } from './image-format-error.js';
import { readAll, type ImageFormat, type ImageSource, type OpenOptions } from './image-source.js';
import { openMetaImage } from './metaimage.js';
import { openNpy } from './npy.js';
import { openNrrd } from './nrrd.js';
import { openPng } from './png.js';
import { openRaw } from './raw.js';
import { openTiff } from './tiff-read.js';
import { openZarr } from './zarr/open-zarr.js';

const EXTENSIONS: Readonly<Record<string, ImageFormat>> = {
  '.npy': 'npy', '.tif': 'tiff', '.tiff': 'tiff', '.raw': 'raw', '.bin': 'raw',
  '.mha': 'mha', '.mhd': 'mha', '.nrrd': 'nrrd', '.nhdr': 'nrrd', '.png': 'png',
};

const OPENERS: Readonly<Record<ImageFormat, (path: string, options: OpenOptions) => ImageSource>> = {
  npy: openNpy, tiff: openTiff, raw: openRaw, mha: openMetaImage, nrrd: openNrrd, png: openPng, zarr: openZarr,
};

/**
 * Opens an image for box reads: the header is parsed now, voxels are read by `readRegion`. A
 * directory is read as a stack of TIFF slices in natural name order. Throws `ImageFormatError`.
 */
export function openImage(path: string, options: OpenOptions = {}): ImageSource {
  const format = options.format ?? detectFormat(path, options);
  const open = OPENERS[format];
  if (open === undefined) return failFor(path, String(format))(`unknown format '${String(format)}'`, `pass one of ${Object.keys(OPENERS).join(', ')}`);
  return open(path, options);
}

/** Reads a whole image into memory. */
export function readImage(path: string, options: OpenOptions = {}): Volume {
  return readAll(openImage(path, options));
}

/**
 * The format of `path`: a directory is TIFF slices, then the extension, then the first bytes; a file
 * none of these name is raw when `shape` and `dtype` describe it.
 */
function detectFormat(path: string, options: OpenOptions): ImageFormat {
  const fail: Fail = failFor(path, 'unknown');
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    fail('cannot open: no such file or directory', 'check the path', err);
  }
  if (isDir) return extname(path).toLowerCase() === '.zarr' || ['zarr.json', '.zarray', '.zgroup'].some((f) => existsSync(join(path, f))) ? 'zarr' : 'tiff';
  const byExtension = EXTENSIONS[extname(path).toLowerCase()];
  if (byExtension !== undefined) return byExtension;
  const head = withFile(path, fail, (fd) => {
    const buf = Buffer.alloc(16);
    return buf.subarray(0, readSync(fd, buf, 0, 16, 0));
  });
  const text = head.toString('latin1');
  if (text.startsWith('\x93NUMPY')) return 'npy';
  if (/^(II\*\0|MM\0\*|II\+\0|MM\0\+)/.test(text)) return 'tiff';
  if (text.startsWith('\x89PNG')) return 'png';
  if (text.startsWith('NRRD')) return 'nrrd';
  if (/^(ObjectType|NDims|DimSize)\s*=/.test(text)) return 'mha';
  if (options.shape !== undefined && options.dtype !== undefined) return 'raw';
  return fail(
    `cannot tell the image format from the extension '${extname(path)}' or the first bytes`,
    'pass the format (npy, tiff, raw, mha, nrrd, png); raw files also need shape and dtype',
  );
}

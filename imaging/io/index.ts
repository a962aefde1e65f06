/**
 * Image IO: read NumPy `.npy`, TIFF (multi-page files and directories of slices), raw, MetaImage
 * (`.mha`/`.mhd`), NRRD (`.nrrd`/`.nhdr`), 2D PNG and Zarr v2/v3 (OME-Zarr 0.4/0.5); write npy, TIFF,
 * raw and PNG here, and OME-Zarr through `ImageRDD.write` (task-side, see zarr/). `openImage`
 * parses the header only, and `readRegion` reads one box, touching only the bytes, pages and strips
 * that box needs, so a task reading block k of a stack does not read the whole file. Every problem
 * with a file is an `ImageFormatError` whose message says what is wrong and how to fix it.
 *
 * @example
 *   import { openImage, readImage, writeImage } from './imaging/io/index.js';
 *   const data = new Uint16Array(4 * 64 * 64).map((_, i) => i % 4096);
 *   writeImage('/tmp/stack.tif', { data, shape: [4, 64, 64], dtype: 'u16' }, { compression: 'lzw', overwrite: true });
 *   const src = openImage('/tmp/stack.tif');            // header only
 *   console.log(src.shape, src.dtype);                  // [ 4, 64, 64 ] u16
 *   const block = src.readRegion([1, 0, 32], [2, 16, 32]); // pages 1-2, rows 0-15, columns 32-63
 *   const all = readImage('/tmp/stack.tif');            // the whole Volume
 *   writeImage('/tmp/stack.npy', all, { overwrite: true }); // an existing file is refused without it
 */
export { ImageFormatError, isImageFormatError } from './image-format-error.js';
export type { ImageFormat, ImageSource, OpenOptions, Triple } from './image-source.js';
export { openImage, readImage } from './open-image.js';
export { writeImage, type WriteFormat, type WriteOptions } from './write-image.js';
export type { TiffCompression } from './tiff-write.js';
export type { DownsampleMethod, ZarrWriteOptions } from './zarr/index.js';

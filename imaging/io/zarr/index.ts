/**
 * Zarr and OME-Zarr: read Zarr v3 and v2 arrays and OME-Zarr 0.5 / 0.4 images (the full-resolution
 * level; its scale is the spacing), reading only the chunks a box touches; write OME-Zarr 0.5 images
 * (Zarr v3, one gzip file per chunk, chunk grid = block grid, all-zero chunks left out, optional
 * pyramid) with the tasks that compute the blocks writing the chunks. Reading and writing are
 * synchronous, on node:fs and node:zlib, because tasks are; zarrita (async) checks what we write in
 * the tests.
 *
 * @example
 *   const img = ctx.images.synthetic({ kind: 'blobs', shape: [64, 64, 64], seed: 1, blockShape: [32, 32, 32] });
 *   await img.write('/tmp/blobs.zarr', { pyramid: 2 });               // OME-Zarr 0.5, levels 0, 1, 2
 *   const mask = img.threshold({ above: 400 }).labelComponents();
 *   await mask.write('/tmp/blobs.zarr/labels/cells', { label: true }); // listed in blobs.zarr/labels
 *   const back = openImage('/tmp/blobs.zarr').readRegion([0, 0, 0], [8, 8, 8]);
 */
export { openZarr } from './open-zarr.js';
export { checkPyramidBlocks, createZarrOutput, type PendingZarr, type ZarrWriteOptions } from './zarr-output.js';
export { writeZarrChunks, type ZarrTarget } from './write-zarr-chunks.js';
export type { DownsampleMethod } from './downsample.js';

/**
 * How an image is cut into blocks when the user does not choose (imaging/block-grid.ts): a file
 * stored in tiles (a Zarr array's chunks) is cut into whole tiles, so that no tile is decoded by two
 * tasks; a given block shape always wins.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../index.js';
import { chunkAlignedBlockShape } from '../../imaging/block-grid.js';
import { expectArrayEqual, tempDir } from './io/helpers.js';
import { contextPerFile } from '../helpers/context.js';

const dir = tempDir();
let ctx: Context;
contextPerFile({ master: 'local[2]' }, (c) => (ctx = c));

describe('default blocks of a Zarr store are whole chunks', () => {
  it('groups small chunks into near-cubic blocks of about 8 MB, and keeps a large chunk one block', () => {
    // 32^3 u16 chunks (128 KiB at 4 bytes a voxel): doubled along the shortest axis while <= 8 MiB.
    expect(chunkAlignedBlockShape([2048, 2048, 2048], 'u16', [32, 32, 32])).toEqual([128, 128, 128]);
    // A tomographic slice per chunk (16 MiB of f32): one chunk a block, never a cube across 256 chunks.
    expect(chunkAlignedBlockShape([2048, 2048, 2048], 'f32', [1, 2048, 2048])).toEqual([1, 2048, 2048]);
    // Thin chunks grow along z; no block outgrows the image.
    expect(chunkAlignedBlockShape([40, 256, 256], 'u8', [1, 256, 256])).toEqual([32, 256, 256]);
    expect(chunkAlignedBlockShape([3, 5, 7], 'u8', [2, 4, 4])).toEqual([3, 5, 7]);
  });

  it('ctx.images.read picks whole chunks as blocks, and reads the same voxels as with any other block', async () => {
    const img = ctx.images.synthetic({ kind: 'blobs', shape: [12, 40, 40], seed: 8, blockShape: [1, 40, 40] });
    const out = join(dir, 'slices.zarr');
    await img.write(out);
    const back = ctx.images.read(out);
    expect(back.blockShape).toEqual([12, 40, 40]);
    for (const a of [0, 1, 2] as const) expect(back.blockShape[a] % img.blockShape[a] === 0 || back.blockShape[a] === back.shape[a]).toBe(true);
    expectArrayEqual((await back.toArray()).data, (await img.toArray()).data);
    // A file with no tiles keeps the automatic blocks, and a given block shape wins.
    expect(ctx.images.read(out, { blockShape: [5, 7, 9] }).blockShape).toEqual([5, 7, 9]);
  });
});

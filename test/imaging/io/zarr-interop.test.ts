/**
 * Zarr v2 and OME-Zarr 0.4 stores written by Debian's python3-zarr (zarr-python 2) read back equal to
 * the arrays Python wrote, and what we write of them again reads back equal.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, ImageFormatError, openImage, readImage } from '../../../index.js';
import { findPython, PYTHONS } from '../../helpers/python.js';
import { expectVolumeEqual, sliceBox, tempDir } from './helpers.js';

const python = findPython('numpy', 'zarr', 'numcodecs');
const dir = tempDir();

/** Runs `script` with the store folder as sys.argv[1]; the array written is also saved as NAME.npy. */
function pythonWrites(script: string): void {
  const r = spawnSync(python!, ['-c', `import sys, numpy as np, zarr, numcodecs\nd = sys.argv[1]\n${script}`, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3-zarr failed: ${r.stderr}`);
}

const skipReason = ` (skipped: needs numpy and zarr (python3-zarr) in one of ${PYTHONS.join(', ')}; apt-get install python3-zarr)`;

describe.skipIf(python === null)(`Zarr v2 written by python3-zarr${python === null ? skipReason : ''}`, () => {
  let ctx: Context;
  beforeAll(async () => {
    ctx = await Context.create({ master: 'local[2]' });
    pythonWrites(String.raw`
rng = np.random.default_rng(3)
a = rng.integers(0, 60000, size=(9, 14, 11), dtype=np.uint16)
np.save(d + '/a.npy', a)
for name, comp, order, sep in [('gzip', numcodecs.GZip(level=5), 'C', '/'), ('zlib', numcodecs.Zlib(level=1), 'F', '.'), ('none', None, 'C', '.')]:
    z = zarr.open(d + '/v2-' + name + '.zarr', mode='w', shape=a.shape, chunks=(4, 5, 6), dtype=a.dtype, compressor=comp, order=order, dimension_separator=sep)
    z[:] = a
f = rng.standard_normal((5, 7, 6)).astype('>f4')
np.save(d + '/f.npy', f.astype('<f4'))
z = zarr.open(d + '/v2-be.zarr', mode='w', shape=f.shape, chunks=(2, 3, 4), dtype='>f4', compressor=numcodecs.GZip())
z[:] = f
z = zarr.open(d + '/v2-fill.zarr', mode='w', shape=(4, 4, 4), chunks=(2, 2, 2), dtype='i2', fill_value=-5, compressor=numcodecs.GZip())
z[0:2, 0:2, 0:2] = 9
z = zarr.open(d + '/v2-blosc.zarr', mode='w', shape=(4, 4, 4), chunks=(2, 2, 2), dtype='u1')
z[:] = 1
# Blosc with every compressor it has but Snappy, with and without byte shuffle, blocks chosen by Blosc
# or forced small (many blocks, a leftover block), for 1-, 2- and 4-byte elements.
from numcodecs import Blosc
smooth = (np.add.outer(np.add.outer(np.arange(11) * 300, np.arange(37) * 40), np.arange(53) * 7) + rng.integers(0, 50, size=(11, 37, 53))).astype(np.uint16)
arrays = {'u2': smooth, 'u1': (smooth % 251).astype(np.uint8), 'f4': (smooth / 7.0).astype(np.float32)}
for t, arr in arrays.items():
    np.save(d + '/blosc-' + t + '.npy', arr)
for cname in ['blosclz', 'lz4', 'lz4hc', 'zlib', 'zstd']:
    for shuffle in [Blosc.NOSHUFFLE, Blosc.SHUFFLE]:
        for blocksize in [0, 4096]:
            for t, arr in arrays.items():
                comp = Blosc(cname=cname, clevel=5, shuffle=shuffle, blocksize=blocksize)
                z = zarr.open(d + '/blosc-%s-%d-%d-%s.zarr' % (cname, shuffle, blocksize, t), mode='w', shape=arr.shape, chunks=(5, 30, 53), dtype=arr.dtype, compressor=comp)
                z[:] = arr
z = zarr.open(d + '/blosc-bitshuffle.zarr', mode='w', shape=smooth.shape, chunks=(5, 30, 53), dtype=smooth.dtype, compressor=Blosc(cname='lz4', shuffle=Blosc.BITSHUFFLE))
z[:] = smooth
# OME-Zarr 0.4: a group whose multiscales name dataset '0', a 5D (t, c, z, y, x) array.
g = zarr.open_group(d + '/ome-04.zarr', mode='w')
g.attrs['multiscales'] = [{'version': '0.4', 'axes': [{'name': 't', 'type': 'time'}, {'name': 'c', 'type': 'channel'}, {'name': 'z', 'type': 'space'}, {'name': 'y', 'type': 'space'}, {'name': 'x', 'type': 'space'}],
    'datasets': [{'path': '0', 'coordinateTransformations': [{'type': 'scale', 'scale': [1, 1, 2.0, 0.5, 0.5]}]}]}]
g.create_dataset('0', data=a[None, None], chunks=(1, 1, 4, 8, 8), compressor=numcodecs.GZip(), dimension_separator='/')
`);
  });
  afterAll(async () => {
    await ctx.stop();
  });

  for (const name of ['gzip', 'zlib', 'none']) {
    it(`reads a ${name} store (${name === 'zlib' ? 'F order, ' : ''}any box) equal to what Python wrote, and round-trips it through our writer`, async () => {
      const expected = readImage(join(dir, 'a.npy'));
      const store = join(dir, `v2-${name}.zarr`);
      expectVolumeEqual(readImage(store), expected);
      expect(Array.from(openImage(store).readRegion([3, 4, 2], [5, 7, 8]))).toEqual(Array.from(sliceBox(expected, [3, 4, 2], [5, 7, 8])));
      const again = join(dir, `again-${name}.zarr`);
      await ctx.images.read(store, { blockShape: [4, 8, 8] }).write(again);
      expectVolumeEqual(readImage(again), expected);
    });
  }

  it('reads big-endian float32', () => {
    expectVolumeEqual(readImage(join(dir, 'v2-be.zarr')), readImage(join(dir, 'f.npy')));
  });

  it('reads chunks Python never wrote as the fill value', () => {
    const v = readImage(join(dir, 'v2-fill.zarr'));
    expect(v.data[0]).toBe(9);
    expect(v.data[(3 * 4 + 3) * 4 + 3]).toBe(-5);
    expect(Array.from(v.data).filter((x) => x === 9)).toHaveLength(8);
  });

  it('reads an OME-Zarr 0.4 image: the 5D array of dataset 0, and its scale as spacing', () => {
    expectVolumeEqual(readImage(join(dir, 'ome-04.zarr')), { ...readImage(join(dir, 'a.npy')), spacing: [2, 0.5, 0.5] });
  });

  it("reads python3-zarr's default Blosc compressor", () => {
    const v = readImage(join(dir, 'v2-blosc.zarr'));
    expect(Array.from(v.data)).toEqual(new Array(64).fill(1));
  });

  it('reads Blosc chunks of every compressor but Snappy, shuffled or not, in one block or many, equal to what Python wrote', () => {
    let stores = 0;
    for (const cname of ['blosclz', 'lz4', 'lz4hc', 'zlib', 'zstd'])
      for (const shuffle of [0, 1])
        for (const blocksize of [0, 4096])
          for (const t of ['u1', 'u2', 'f4']) {
            const store = join(dir, `blosc-${cname}-${shuffle}-${blocksize}-${t}.zarr`);
            expectVolumeEqual(readImage(store), readImage(join(dir, `blosc-${t}.npy`)));
            stores++;
          }
    expect(stores).toBe(60);
  });

  it('names a bit-shuffled Blosc chunk, with the store and chunk key', () => {
    let err: unknown = null;
    try {
      readImage(join(dir, 'blosc-bitshuffle.zarr'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImageFormatError);
    // Chunks Blosc could not compress are stored plain (and read); the first compressed one is named.
    expect((err as Error).message).toMatch(/blosc-bitshuffle\.zarr: chunk \d\.\d\.\d: bit-shuffled Blosc buffers are not read by voxelflow; rewrite the array with Blosc shuffle=SHUFFLE or NOSHUFFLE$/);
  });
});

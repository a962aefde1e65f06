/**
 * Zarr and OME-Zarr: what ImageRDD.write puts in a .zarr store, zarrita (an independent reader) reads
 * back equal; our reader reads what we write, box by box; missing chunks are the fill value; and
 * every broken store is one line naming the store and the chunk key or metadata file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FileSystemStore } from '@zarrita/storage';
import { describe, expect, it } from 'vitest';
import Zstd from 'numcodecs/zstd';
import * as zarr from 'zarrita';
import { type Context, ImageFormatError, ImageRDD, openImage, readImage } from '../../../index.js';
import type { TypedArray } from '../../../imaging/dtype.js';
import { ALL_DTYPES, expectArrayEqual, expectVolumeEqual, makeVolume, sliceBox, tempDir } from './helpers.js';
import { contextPerFile } from '../../helpers/context.js';

const dir = tempDir();
let ctx: Context;
contextPerFile({ master: 'local[2]' }, (c) => (ctx = c));

/** Level `path` of the store at `root`, read whole by zarrita. */
async function zarritaRead(root: string, path: string): Promise<{ data: TypedArray; shape: number[] }> {
  const arr = await zarr.open(zarr.root(new FileSystemStore(root)).resolve(path), { kind: 'array' });
  const r = await zarr.get(arr);
  return { data: r.data as TypedArray, shape: r.shape };
}

const json = (file: string): Record<string, any> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

/** The message of the ImageFormatError `fn` throws. */
function formatError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImageFormatError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('expected an ImageFormatError');
}

describe('OME-Zarr written by the tasks', () => {
  for (const dtype of ALL_DTYPES) {
    it(`zarrita and our reader read back a ${dtype} image equal (edge blocks smaller than a chunk)`, async () => {
      const vol = makeVolume(dtype, [7, 10, 13], 5);
      const out = join(dir, `all-${dtype}.zarr`);
      await ctx.images.fromArray(vol.data, [7, 10, 13], { blockShape: [4, 4, 8], spacing: [2, 0.5, 0.25] }).write(out);
      const z = await zarritaRead(out, '0');
      expect(z.shape).toEqual([7, 10, 13]);
      expectArrayEqual(z.data, vol.data);
      expectVolumeEqual(readImage(out), { ...vol, spacing: [2, 0.5, 0.25] });
      expect(json(join(out, '0', 'zarr.json')).chunk_grid.configuration.chunk_shape).toEqual([4, 4, 8]);
    });
  }

  it('writes OME-Zarr 0.5 group metadata that zarrita opens, and reads any box', async () => {
    const img = ctx.images.synthetic({ kind: 'blobs', shape: [9, 20, 18], seed: 2, blockShape: [4, 8, 8] });
    const expected = await img.toArray();
    const out = join(dir, 'blobs.zarr');
    await img.write(out);
    const group = await zarr.open(new FileSystemStore(out), { kind: 'group' });
    const ome = group.attrs.ome as { version: string; multiscales: { axes: { name: string }[]; datasets: { path: string }[] }[] };
    expect(ome.version).toBe('0.5');
    expect(ome.multiscales[0]!.axes.map((a) => a.name)).toEqual(['z', 'y', 'x']);
    expect(ome.multiscales[0]!.datasets.map((d) => d.path)).toEqual(['0']);
    const src = openImage(out);
    expect(src.format).toBe('zarr');
    expectArrayEqual(src.readRegion([3, 5, 7], [4, 11, 9]), sliceBox(expected, [3, 5, 7], [4, 11, 9]));
  });

  it('leaves all-zero chunks unwritten, and they read back as 0', async () => {
    const data = new Uint32Array(8 * 8 * 8);
    data[(5 * 8 + 6) * 8 + 7] = 42; // only in block [1, 1, 1]
    const out = join(dir, 'sparse.zarr');
    await ctx.images.fromArray(data, [8, 8, 8], { blockShape: [4, 4, 4] }).write(out);
    expect(readdirSync(join(out, '0', 'c'))).toEqual(['1']);
    expect(existsSync(join(out, '0', 'c', '1', '1', '1'))).toBe(true);
    expectArrayEqual(readImage(out).data, data);
    expectArrayEqual((await zarritaRead(out, '0')).data, data);
  });

  it('writes a pyramid: each level halves the one above by mean (images) or mode (labels)', async () => {
    // 8x8x8 (i = 64z + 8y + x) in blocks of 4: level 1 is 4x4x4, level 2 is 2x2x2.
    const data = new Uint16Array(512).map((_, i) => i);
    const out = join(dir, 'pyramid.zarr');
    await ctx.images.fromArray(data, [8, 8, 8], { blockShape: [4, 4, 4] }).write(out, { pyramid: 2 });
    const l1 = await zarritaRead(out, '1');
    expect(l1.shape).toEqual([4, 4, 4]);
    // Level 1 at (a, b, c) is the mean 128a + 16b + 2c + 36.5 of its window, rounded up: 37 at the origin.
    expect(Array.from(l1.data.subarray(0, 4))).toEqual([37, 39, 41, 43]);
    expect(l1.data[(3 * 4 + 3) * 4 + 3]).toBe(128 * 3 + 16 * 3 + 2 * 3 + 37);
    const l2 = await zarritaRead(out, '2');
    expect(l2.shape).toEqual([2, 2, 2]);
    // Level 2 at the origin: the mean of level 1's first window, 64 + 8 + 1 + 37.
    expect(l2.data[0]).toBe(110);
    const scales = json(join(out, 'zarr.json')).attributes.ome.multiscales[0].datasets.map((d: any) => d.coordinateTransformations[0].scale);
    expect(scales).toEqual([[1, 1, 1], [2, 2, 2], [4, 4, 4]]);

    const labels = new Uint32Array([5, 0, 5, 7, 0, 5, 7, 9]); // one 2x2x2 window: 5 (three times) wins
    const lout = join(dir, 'pyramid-labels.zarr');
    await ctx.images.fromArray(labels, [2, 2, 2]).write(lout, { pyramid: 1, label: true });
    expect(Array.from((await zarritaRead(lout, '1')).data)).toEqual([5]);
  });

  it('keeps z whole in the pyramid of a 2D image', async () => {
    const out = join(dir, 'plane.zarr');
    await ctx.images.fromArray(new Uint8Array(6 * 10).fill(3), [1, 6, 10], { blockShape: [1, 4, 4] }).write(out, { pyramid: 2 });
    expect(json(join(out, '2', 'zarr.json')).shape).toEqual([1, 2, 3]);
  });

  it('refuses a pyramid whose levels would not fall on whole chunks, naming the block size to use', async () => {
    const img = ctx.images.synthetic({ kind: 'blobs', shape: [16, 16, 16], seed: 1, blockShape: [6, 8, 8] });
    await expect(img.write(join(dir, 'bad-pyramid.zarr'), { pyramid: 2 })).rejects.toThrow(/multiples of 4 .*z block size is 6.*8x8x8/);
    expect(existsSync(join(dir, 'bad-pyramid.zarr'))).toBe(false);
  });

  it('puts labels written at IMAGE.zarr/labels/NAME in the image\'s labels group, with image-label metadata', async () => {
    const img = ctx.images.synthetic({ kind: 'blobs', shape: [12, 16, 16], seed: 4, blockShape: [6, 8, 8] });
    const out = join(dir, 'with-labels.zarr');
    await img.write(out);
    const labels = img.threshold({ above: 300 }).labelComponents();
    await labels.write(join(out, 'labels', 'cells'), { label: true });
    expect(json(join(out, 'labels', 'zarr.json')).attributes.ome).toEqual({ version: '0.5', labels: ['cells'] });
    expect(json(join(out, 'labels', 'cells', 'zarr.json')).attributes.ome['image-label']).toEqual({ source: { image: '../../' } });
    expectArrayEqual((await zarritaRead(join(out, 'labels', 'cells'), '0')).data, (await labels.toArray()).data);
    expectArrayEqual(readImage(join(out, 'labels', 'cells')).data, (await labels.toArray()).data);
  });

  it('refuses to replace an existing store unless overwrite is given', async () => {
    const out = join(dir, 'exists.zarr');
    const ones = ctx.images.fromArray(new Uint8Array(8).fill(1), [2, 2, 2]);
    await ones.write(out);
    await expect(ctx.images.fromArray(new Uint8Array(8).fill(2), [2, 2, 2]).write(out)).rejects.toThrow(/exists\.zarr: already exists; pass --overwrite/);
    expect(Array.from(readImage(out).data)).toEqual(Array(8).fill(1));
    await ctx.images.fromArray(new Uint8Array(8).fill(2), [2, 2, 2]).write(out, { overwrite: true });
    expect(Array.from(readImage(out).data)).toEqual(Array(8).fill(2));
    expect(readdirSync(dir).filter((f) => f.startsWith('.exists.zarr'))).toEqual([]);
  });

  it('leaves no store and no temporary folder when a task fails', async () => {
    const out = join(dir, 'failed.zarr');
    const bad = ImageRDD.fromVoxels(ctx.parallelize([[[1, 1, 1], 5], [[99, 0, 0], 1]] as [[number, number, number], number][], 2), [4, 4, 4], 'u8', { blockShape: [2, 4, 4] });
    await expect(bad.write(out)).rejects.toThrow(/outside the image/);
    expect(readdirSync(dir).filter((f) => f.includes('failed'))).toEqual([]);
  });

  it('is read by ctx.images.read, one chunk per block task', async () => {
    const img = ctx.images.synthetic({ kind: 'blobs', shape: [10, 12, 14], seed: 6, blockShape: [5, 6, 7] });
    const out = join(dir, 'reread.zarr');
    await img.write(out);
    const back = ctx.images.read(out, { blockShape: [3, 5, 4] });
    expectArrayEqual((await back.toArray()).data, (await img.toArray()).data);
  });
});

/** A v3 array store written by hand: `zarr.json` with these fields over the defaults, and chunk files. */
function v3Store(name: string, fields: Record<string, unknown>, chunks: Record<string, Uint8Array> = {}): string {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  const meta = {
    zarr_format: 3, node_type: 'array', shape: [4, 4], data_type: 'uint16',
    chunk_grid: { name: 'regular', configuration: { chunk_shape: [2, 2] } },
    chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
    fill_value: 7, codecs: [{ name: 'bytes', configuration: { endian: 'little' } }], attributes: {},
    ...fields,
  };
  writeFileSync(join(root, 'zarr.json'), JSON.stringify(meta));
  for (const [key, bytes] of Object.entries(chunks)) {
    mkdirSync(join(root, key, '..'), { recursive: true });
    writeFileSync(join(root, key), bytes);
  }
  return root;
}

const u16 = (...v: number[]): Uint8Array => new Uint8Array(new Uint16Array(v).buffer);

describe('Zarr stores with missing and broken chunks', () => {
  it('reads a missing chunk as the fill value', () => {
    const root = v3Store('missing.zarr', {}, { 'c/1/0': u16(1, 2, 3, 4) });
    const v = readImage(root);
    expect([...v.shape]).toEqual([1, 4, 4]);
    expect(Array.from(v.data)).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 1, 2, 7, 7, 3, 4, 7, 7]);
  });

  it('reads only the chunks a box touches (a corrupt chunk elsewhere does not matter)', () => {
    const root = v3Store('partial.zarr', { codecs: [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'gzip', configuration: { level: 1 } }] }, {
      'c/0/0': gzipSync(u16(1, 2, 3, 4)),
      'c/1/1': new Uint8Array([1, 2, 3]),
    });
    expect(Array.from(openImage(root).readRegion([0, 0, 0], [1, 2, 3]))).toEqual([1, 2, 7, 3, 4, 7]);
    expect(formatError(() => openImage(root).readRegion([0, 2, 2], [1, 1, 1]))).toMatch(/partial\.zarr: chunk c\/1\/1 is corrupt \(gzip: .*\); write the store again$/);
  });

  it('names the chunk whose size is wrong', () => {
    const root = v3Store('short.zarr', {}, { 'c/0/1': u16(1, 2, 3) });
    expect(formatError(() => readImage(root))).toMatch(/short\.zarr: chunk c\/0\/1 holds 6 bytes, a chunk of 1x2x2 u16 needs 8; the store is corrupt/);
  });

  it('names an unknown codec, with the metadata key', () => {
    const root = v3Store('lz4.zarr', { codecs: [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'numcodecs.lz4', configuration: { acceleration: 1 } }] });
    expect(formatError(() => openImage(root))).toMatch(/lz4\.zarr: zarr\.json: codec 'numcodecs\.lz4' is not one voxelflow reads; write the array with gzip, zlib, zstd, blosc or no compression/);
  });

  it('names a data type it does not read', () => {
    const root = v3Store('int64.zarr', { data_type: 'int64' });
    expect(formatError(() => openImage(root))).toMatch(/int64\.zarr: zarr\.json: data type 'int64' is not one voxelflow reads/);
  });

  it('refuses chunks too large to allocate before reading any', () => {
    const root = v3Store('huge.zarr', { shape: [1 << 20, 1 << 20], chunk_grid: { name: 'regular', configuration: { chunk_shape: [1 << 20, 1 << 20] } } });
    expect(formatError(() => openImage(root))).toMatch(/huge\.zarr: zarr\.json: chunks of 1048576x1048576 hold 2199023255552 bytes/);
  });

  it('checks crc32c checksums, and reads big-endian chunks', () => {
    const codecs = [{ name: 'bytes', configuration: { endian: 'big' } }, { name: 'crc32c' }];
    const be = new Uint8Array([0, 1, 0, 2, 0, 3, 0, 4]);
    // CRC-32C of these eight bytes, little endian, as the crc32c codec appends it.
    const sum = Buffer.alloc(4);
    sum.writeUInt32LE(crc32cRef(be));
    const root = v3Store('crc.zarr', { codecs }, { 'c/0/0': Buffer.concat([be, sum]), 'c/0/1': Buffer.concat([be, Buffer.from([0, 0, 0, 0])]) });
    expect(Array.from(openImage(root).readRegion([0, 0, 0], [1, 2, 2]))).toEqual([1, 2, 3, 4]);
    expect(formatError(() => openImage(root).readRegion([0, 0, 2], [1, 1, 1]))).toMatch(/chunk c\/0\/1 is corrupt \(crc32c: crc32c checksum does not match\)/);
  });

  it('says what is wrong with a folder that is not a Zarr store', () => {
    mkdirSync(join(dir, 'empty.zarr'));
    expect(formatError(() => openImage(join(dir, 'empty.zarr')))).toMatch(/empty\.zarr: not a Zarr store: it has no zarr\.json, \.zarray or \.zgroup/);
  });
});

/** Bitwise CRC-32C, the textbook form (independent of the table in chunk-codecs.ts). */
function crc32cRef(bytes: Uint8Array): number {
  let c = ~0 >>> 0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

/**
 * A sharded v3 array written by hand: shard files holding inner chunks in a scrambled order, some inner
 * chunks left out, the index at the end (or start) with a crc32c, chunk codecs bytes + gzip.
 */
function shardedStore(name: string, vol: Uint16Array, shape: [number, number, number], shardShape: [number, number, number], inner: [number, number, number], indexAt: 'start' | 'end', skip: (i: number) => boolean): string {
  const chunkCodecs = [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'gzip', configuration: { level: 1 } }];
  const per = shardShape.map((s, a) => s / inner[a]!) as [number, number, number];
  const n = per[0] * per[1] * per[2];
  const chunks: Record<string, Uint8Array> = {};
  const grid = shape.map((s, a) => Math.ceil(s / shardShape[a]!));
  for (let sz = 0; sz < grid[0]!; sz++)
    for (let sy = 0; sy < grid[1]!; sy++)
      for (let sx = 0; sx < grid[2]!; sx++) {
        const index = Buffer.alloc(16 * n, 0xff);
        const bodies: Buffer[] = [];
        let offset = indexAt === 'start' ? 16 * n + 4 : 0;
        // Stored in reverse order, so that offsets do not follow the index order.
        for (let i = n - 1; i >= 0; i--) {
          if (skip(i)) continue;
          const iz = Math.floor(i / (per[1] * per[2])), iy = Math.floor(i / per[2]) % per[1], ix = i % per[2];
          const c = new Uint16Array(inner[0] * inner[1] * inner[2]);
          for (let z = 0; z < inner[0]; z++)
            for (let y = 0; y < inner[1]; y++)
              for (let x = 0; x < inner[2]; x++) {
                const gz = sz * shardShape[0] + iz * inner[0] + z, gy = sy * shardShape[1] + iy * inner[1] + y, gx = sx * shardShape[2] + ix * inner[2] + x;
                if (gz < shape[0] && gy < shape[1] && gx < shape[2]) c[(z * inner[1] + y) * inner[2] + x] = vol[(gz * shape[1] + gy) * shape[2] + gx]!;
              }
          const body = gzipSync(new Uint8Array(c.buffer));
          index.writeBigUInt64LE(BigInt(offset), 16 * i);
          index.writeBigUInt64LE(BigInt(body.length), 16 * i + 8);
          bodies.push(body);
          offset += body.length;
        }
        const sum = Buffer.alloc(4);
        sum.writeUInt32LE(crc32cRef(index));
        const idx = Buffer.concat([index, sum]);
        chunks[`c/${sz}/${sy}/${sx}`] = indexAt === 'start' ? Buffer.concat([idx, ...bodies]) : Buffer.concat([...bodies, idx]);
      }
  return v3Store(name, {
    shape,
    chunk_grid: { name: 'regular', configuration: { chunk_shape: shardShape } },
    fill_value: 0,
    codecs: [{ name: 'sharding_indexed', configuration: { chunk_shape: inner, codecs: chunkCodecs, index_codecs: [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'crc32c' }], index_location: indexAt } }],
  }, chunks);
}

describe('sharded Zarr v3 arrays (sharding_indexed)', () => {
  const shape: [number, number, number] = [6, 10, 12];
  const vol = Uint16Array.from({ length: 6 * 10 * 12 }, (_, i) => 1 + ((i * 7919) % 4093));

  /** The volume with the voxels of the inner chunks `skip` leaves out (numbered within their shard) at 0. */
  const withSkipped = (skip: (i: number) => boolean): Uint16Array =>
    vol.map((v, j) => {
      const z = Math.floor(j / 120), y = Math.floor(j / 12) % 10, x = j % 12;
      const i = ((Math.floor(z / 2) % 2) * 2 + (Math.floor(y / 2) % 2)) * 2 + (Math.floor(x / 4) % 2);
      return skip(i) ? 0 : v;
    });

  for (const indexAt of ['end', 'start'] as const) {
    it(`reads every box of it, inner chunks left out as the fill value (index at the ${indexAt})`, async () => {
      const skip = (i: number) => i === 3;
      const root = shardedStore(`sharded-${indexAt}.zarr`, vol, shape, [4, 4, 8], [2, 2, 4], indexAt, skip);
      const expected = withSkipped(skip);
      expect(expected.filter((v) => v === 0).length).toBeGreaterThan(0);
      expectArrayEqual(readImage(root).data, expected);
      const box = sliceBox({ data: expected, shape, dtype: 'u16' }, [1, 3, 5], [3, 4, 6]);
      expectArrayEqual(openImage(root).readRegion([1, 3, 5], [3, 4, 6]), box);
      expectArrayEqual((await ctx.images.read(root, { blockShape: [3, 5, 7] }).toArray()).data, expected);
    });
  }

  it('reads what zarrita, an independent reader, reads', async () => {
    const root = shardedStore('sharded-zarrita.zarr', vol, shape, [4, 4, 8], [2, 2, 4], 'end', (i) => i === 5);
    const theirs = await zarritaRead(root, '/');
    expect(theirs.shape).toEqual(shape);
    expectArrayEqual(readImage(root).data, theirs.data);
  });

  it('names a corrupt index and an entry outside the shard, with the shard key', () => {
    const root = shardedStore('sharded-bad.zarr', vol, shape, [4, 4, 8], [2, 2, 4], 'end', () => false);
    const key = join(root, 'c', '0', '0', '0');
    const bytes = readFileSync(key);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10]! + 1) & 0xff;
    writeFileSync(key, bytes);
    expect(formatError(() => openImage(root).readRegion([0, 0, 0], [1, 1, 1]))).toMatch(/sharded-bad\.zarr: the index of shard c\/0\/0\/0 is corrupt \(crc32c checksum does not match\)/);
    // A valid checksum over an entry that points past the end of the file.
    const n = 2 * 2 * 2;
    const index = Buffer.alloc(16 * n, 0xff);
    index.writeBigUInt64LE(1000n, 0);
    index.writeBigUInt64LE(5000n, 8);
    const sum = Buffer.alloc(4);
    sum.writeUInt32LE(crc32cRef(index));
    writeFileSync(key, Buffer.concat([Buffer.alloc(20), index, sum]));
    expect(formatError(() => openImage(root).readRegion([0, 0, 0], [1, 1, 1]))).toMatch(/chunk 0 of shard c\/0\/0\/0 is corrupt: its index entry \(offset 1000, 5000 bytes\) lies outside the 152-byte shard/);
    writeFileSync(key, Buffer.alloc(7));
    expect(formatError(() => openImage(root).readRegion([0, 0, 0], [1, 1, 1]))).toMatch(/shard c\/0\/0\/0 is truncated: 7 bytes, its index alone needs 132/);
  });

  it('refuses inner chunks that do not divide the shard, and index codecs it does not read', () => {
    const sharding = (config: Record<string, unknown>) => ({
      shape: [4, 4], chunk_grid: { name: 'regular', configuration: { chunk_shape: [4, 4] } },
      codecs: [{ name: 'sharding_indexed', configuration: { chunk_shape: [3, 2], codecs: [{ name: 'bytes', configuration: { endian: 'little' } }], ...config } }],
    });
    expect(formatError(() => openImage(v3Store('shard-divide.zarr', sharding({}))))).toMatch(/chunk_shape \[3,2\] does not divide the shard shape \[4,4\]/);
    const zstdIndex = { ...sharding({}), codecs: [{ name: 'sharding_indexed', configuration: { chunk_shape: [2, 2], codecs: [{ name: 'bytes', configuration: { endian: 'little' } }], index_codecs: [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'zstd' }] } }] };
    expect(formatError(() => openImage(v3Store('shard-index.zarr', zstdIndex)))).toMatch(/index_codecs \["bytes","zstd"\] are not read by voxelflow/);
  });
});

describe('zstd chunks (zarr-python 3\'s default codec)', () => {
  const zstd = (bytes: Uint8Array): Promise<Uint8Array> => Zstd.fromConfig({ level: 3 }).encode(bytes);

  it('reads v3 zstd chunks and v2 Zstd-compressed chunks, as zarrita does', async () => {
    const codecs = [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'zstd', configuration: { level: 3, checksum: false } }];
    const v3 = v3Store('zstd3.zarr', { codecs }, { 'c/0/0': await zstd(u16(1, 2, 3, 4)), 'c/1/1': await zstd(u16(5, 6, 7, 8)) });
    expect(Array.from(readImage(v3).data)).toEqual([1, 2, 7, 7, 3, 4, 7, 7, 7, 7, 5, 6, 7, 7, 7, 8]);
    expectArrayEqual(readImage(v3).data, (await zarritaRead(v3, '/')).data);
    const v2 = join(dir, 'zstd2.zarr');
    mkdirSync(v2, { recursive: true });
    writeFileSync(join(v2, '.zarray'), JSON.stringify({ zarr_format: 2, shape: [2, 4], chunks: [2, 2], dtype: '<u2', order: 'C', fill_value: 0, compressor: { id: 'zstd', level: 1 }, filters: null }));
    writeFileSync(join(v2, '0.0'), await zstd(u16(1, 2, 5, 6)));
    writeFileSync(join(v2, '0.1'), await zstd(u16(3, 4, 7, 8)));
    expect(Array.from(readImage(v2).data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expectArrayEqual(readImage(v2).data, (await zarritaRead(v2, '/')).data);
  });

  it('names a zstd chunk that is not zstd, or that claims more than a chunk, before allocating it', async () => {
    const codecs = [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'zstd', configuration: { level: 3 } }];
    const big = await zstd(new Uint8Array(4096));
    const root = v3Store('zstd-bad.zarr', { codecs }, { 'c/0/0': Buffer.from('not zstd at all'), 'c/0/1': big });
    expect(formatError(() => openImage(root).readRegion([0, 0, 0], [1, 1, 1]))).toMatch(/chunk c\/0\/0 is corrupt \(zstd: not a zstd frame \(bad magic number\)\)/);
    expect(formatError(() => openImage(root).readRegion([0, 0, 2], [1, 1, 1]))).toMatch(/chunk c\/0\/1 is corrupt \(zstd: zstd frame claims 4096 bytes, more than a chunk's 8\)/);
  });
});

/**
 * Corrupted and truncated files of every format: `readImage` either returns a volume or throws
 * `ImageFormatError`, never another error, never a hang. Mutations favour the first bytes, where the
 * headers, IFDs and lengths live.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ImageFormatError, isImageFormatError, readImage, writeImage, type OpenOptions } from '../../../imaging/io/index.js';
import { makeVolume, tempDir } from './helpers.js';
import { buildTiff, chunksOf, compressChunks } from './tiff-builder.js';

const dir = tempDir();
/** Runs per seed file; raise with VOXELFLOW_FUZZ_RUNS for a deeper search. */
const RUNS = Number(process.env['VOXELFLOW_FUZZ_RUNS'] ?? 150);

interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly options?: OpenOptions;
}

/** Writes a volume with `writeImage` and returns the file's bytes. */
function written(name: string, ...args: [Parameters<typeof writeImage>[1], Parameters<typeof writeImage>[2]?]): Seed {
  const path = join(dir, `seed-${name}`);
  writeImage(path, args[0], args[1] ?? {});
  return { name, bytes: new Uint8Array(readFileSync(path)) };
}

function tiffSeed(name: string, order: 'II' | 'MM', code: number, predictor: number, layout: { rowsPerStrip?: number; tile?: readonly [number, number] }, big = false): Seed {
  const v = makeVolume(predictor === 3 ? 'f32' : 'u16', [2, 9, 20]);
  const pages = [0, 1].map((z) => {
    const raw = chunksOf(v.data.subarray(z * 180, (z + 1) * 180), 20, 9, order === 'II', layout, predictor);
    const bits = predictor === 3 ? 32 : 16;
    return { width: 20, height: 9, bits, sampleFormat: predictor === 3 ? 3 : 1, compression: code, predictor, ...layout, chunks: compressChunks(raw, code, (layout.tile?.[0] ?? 20) * (bits / 8)) };
  });
  return { name, bytes: buildTiff(order, pages, big) };
}

function seeds(): Seed[] {
  const u16 = makeVolume('u16', [2, 9, 20]);
  const i16 = makeVolume('i16', [2, 3, 5]);
  const i16Bytes = Buffer.from(i16.data.buffer);
  const mhaHeader = 'ObjectType = Image\nNDims = 3\nDimSize = 5 3 2\nElementType = MET_SHORT\nElementSpacing = 1 1 2\n';
  const nrrdHeader = 'NRRD0004\ntype: short\ndimension: 3\nsizes: 5 3 2\nspacings: 1 1 2\nendian: little\n';
  writeFileSync(join(dir, 'detached.raw'), i16Bytes);
  return [
    written('a.npy', u16),
    written('b.npy', makeVolume('f64', [1, 4, 3])),
    written('a.tif', u16, { compression: 'none' }),
    written('b.tif', u16, { compression: 'lzw' }),
    written('c.tif', u16, { compression: 'deflate' }),
    written('d.tif', u16, { compression: 'packbits' }),
    written('i.tif', { ...u16, spacing: [2, 0.5, 0.25] }, { compression: 'none' }),
    tiffSeed('e.tif', 'MM', 5, 2, { rowsPerStrip: 2 }),
    tiffSeed('f.tif', 'MM', 8, 2, { tile: [16, 16] }),
    tiffSeed('g.tif', 'II', 8, 3, { rowsPerStrip: 4 }),
    tiffSeed('h.tif', 'II', 32773, 1, { rowsPerStrip: 3 }, true),
    { ...written('a.raw', i16), options: { shape: [5, 3, 2], dtype: 'i16' } },
    { name: 'a.mha', bytes: Buffer.concat([Buffer.from(`${mhaHeader}ElementDataFile = LOCAL\n`), i16Bytes]) },
    { name: 'b.mha', bytes: Buffer.concat([Buffer.from(`${mhaHeader}CompressedData = True\nElementDataFile = LOCAL\n`), deflateSync(i16Bytes)]) },
    { name: 'c.mhd', bytes: Buffer.from(`${mhaHeader}ElementDataFile = detached.raw\n`) },
    { name: 'a.nrrd', bytes: Buffer.concat([Buffer.from(`${nrrdHeader}encoding: raw\n\n`), i16Bytes]) },
    { name: 'b.nrrd', bytes: Buffer.concat([Buffer.from(`${nrrdHeader}encoding: gzip\n\n`), gzipSync(i16Bytes)]) },
    { name: 'c.nhdr', bytes: Buffer.from(`${nrrdHeader}encoding: raw\ndata file: detached.raw\n`) },
    written('a.png', makeVolume('u8', [1, 6, 7])),
    written('b.png', makeVolume('u16', [1, 6, 7])),
  ];
}

interface Mutation {
  readonly flips: ReadonlyArray<readonly [at: number, value: number, xorBit: boolean]>;
  readonly cut: number | null;
  readonly tail: Uint8Array | null;
}

/** Byte flips (mostly in the first 64 bytes), then an optional cut and an optional tail of junk. */
function mutation(length: number): fc.Arbitrary<Mutation> {
  const position = fc.oneof(fc.nat(Math.min(63, length - 1)), fc.nat(length - 1));
  const flip = fc.tuple(position, fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 0xff, 0x7f, 0x80)), fc.boolean());
  return fc.record({ flips: fc.array(flip, { maxLength: 6 }), cut: fc.option(fc.nat(length), { freq: 3 }), tail: fc.option(fc.uint8Array({ maxLength: 32 }), { freq: 5 }) });
}

function mutate(bytes: Uint8Array, { flips, cut, tail }: Mutation): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (const [at, value, xorBit] of flips) out[at] = xorBit ? out[at]! ^ (1 << (value & 7)) : value;
  const cutOut = cut === null ? out : out.subarray(0, cut);
  return tail === null ? cutOut : Uint8Array.from([...cutOut, ...tail]);
}

describe('fuzzed files', () => {
  const all = seeds();

  it.each(all.map((s) => [s.name, s] as const))('%s: reads or throws ImageFormatError', (name, seed) => {
    // The seed itself must read, or the mutations test nothing.
    const path = join(dir, `fuzz-${name}`);
    writeFileSync(path, seed.bytes);
    expect(readImage(path, seed.options ?? {}).data.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(mutation(seed.bytes.length), (m) => {
        writeFileSync(path, mutate(seed.bytes, m));
        const started = performance.now();
        try {
          readImage(path, seed.options ?? {});
        } catch (err) {
          if (!(err instanceof ImageFormatError) || !isImageFormatError(err)) throw err;
          expect(err.message).toMatch(/^\S.*: .+; .+$/);
        }
        expect(performance.now() - started).toBeLessThan(2000);
      }),
      { numRuns: RUNS },
    );
  });
});

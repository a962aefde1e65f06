/**
 * A TIFF page as the readers see it: size, dtype, coding, and the table of strips or tiles. Built from
 * an IFD's tags; everything a reader would trip over later (unsupported coding, chunks outside the
 * file, chunks that cannot decode to their size) fails here, at open, with the page named.
 */
import type { DType } from '../dtype.js';
import { bytesPer } from '../dtype.js';
import { checkRange } from './file-bytes.js';
import type { Fail } from './image-format-error.js';

/** One page (z slice) and where its strips or tiles lie. */
export interface TiffPage {
  /** The file holding the page, and the page's index among that file's full-resolution pages. */
  readonly file: string;
  readonly index: number;
  readonly width: number;
  readonly height: number;
  readonly dtype: DType;
  readonly littleEndian: boolean;
  readonly compression: number;
  readonly predictor: number;
  /** Strips are chunks `width` wide and `RowsPerStrip` tall (the last one shorter); tiles are padded. */
  readonly tiled: boolean;
  readonly chunkWidth: number;
  readonly chunkHeight: number;
  readonly offsets: Float64Array;
  readonly byteCounts: Float64Array;
}

/** Compressions the readers decode. */
export const TIFF_COMPRESSIONS: ReadonlySet<number> = new Set([1, 5, 8, 32946, 32773]);

const COMPRESSION_NAMES: Readonly<Record<number, string>> = {
  2: 'CCITT RLE', 3: 'CCITT Group 3', 4: 'CCITT Group 4', 6: 'old-style JPEG', 7: 'JPEG', 34712: 'JPEG 2000',
  34887: 'LERC', 34925: 'LZMA', 50000: 'Zstandard', 50001: 'WebP', 50002: 'JPEG XL',
};

/**
 * How far a compressed chunk can expand: deflate tops out near 1032:1, LZW near 2730:1, PackBits at
 * 64:1. A chunk that claims more is corrupt, and the bound keeps a fuzzed header from asking for
 * gigabytes out of a few bytes.
 */
const MAX_RATIO: Readonly<Record<number, number>> = { 1: 1, 5: 2800, 8: 1100, 32946: 1100, 32773: 65 };

/** The largest decoded chunk accepted (1 GiB); larger ones are corrupt or need another tool. */
const MAX_CHUNK_BYTES = 2 ** 30;

/** The tags the readers use. */
export const TAG = {
  NewSubfileType: 254, ImageDescription: 270, XResolution: 282, YResolution: 283, ImageWidth: 256, ImageLength: 257, BitsPerSample: 258, Compression: 259,
  Photometric: 262, StripOffsets: 273, SamplesPerPixel: 277, RowsPerStrip: 278, StripByteCounts: 279,
  Predictor: 317, TileWidth: 322, TileLength: 323, TileOffsets: 324, TileByteCounts: 325, SampleFormat: 339,
} as const;
/** Turns a page's tags into a `TiffPage`, failing with the page named when something is off. */
export function toPage(file: string, index: number, tags: ReadonlyMap<number, Float64Array>, le: boolean, size: number, fail: Fail): TiffPage {
  const one = (tag: number, fallback?: number): number => {
    const v = tags.get(tag)?.[0] ?? fallback;
    if (v === undefined) return fail(`page ${index} has no tag ${tag}`, 're-export the file');
    return v;
  };
  const width = one(TAG.ImageWidth);
  const height = one(TAG.ImageLength);
  if (width === 0 || height === 0) fail(`page ${index} is ${width}x${height} pixels`, 're-export the file');
  const { dtype, compression, predictor } = sampleCoding(one, index, fail);
  const tiled = tags.has(TAG.TileWidth);
  const chunkWidth = tiled ? one(TAG.TileWidth) : width;
  const chunkHeight = tiled ? one(TAG.TileLength) : Math.min(one(TAG.RowsPerStrip, height), height);
  if (chunkWidth === 0 || chunkHeight === 0) fail(`page ${index} has empty ${tiled ? 'tiles' : 'strips'}`, 're-export the file');
  const page = { file, index, width, height, dtype, littleEndian: le, compression, predictor, tiled, chunkWidth, chunkHeight };
  return { ...page, ...chunkTable(page, tags, size, fail) };
}

/** The dtype, compression and predictor of a page, or a failure saying which one is unsupported. */
function sampleCoding(one: (tag: number, fallback?: number) => number, index: number, fail: Fail): { dtype: DType; compression: number; predictor: number } {
  const samples = one(TAG.SamplesPerPixel, 1);
  const photometric = one(TAG.Photometric, 1);
  if (samples !== 1 || photometric === 2) {
    fail(`page ${index} has ${samples} samples per pixel (RGB or multichannel)`, 'save one grayscale channel per file or page');
  }
  if (photometric === 3) fail(`page ${index} is palette-colour`, 'save it as grayscale');
  const dtype = dtypeOf(one(TAG.BitsPerSample, 1), one(TAG.SampleFormat, 1), index, fail);
  const compression = one(TAG.Compression, 1);
  if (!TIFF_COMPRESSIONS.has(compression)) {
    const name = COMPRESSION_NAMES[compression] ?? 'unknown';
    fail(`page ${index} uses ${name} compression (${compression}), which voxelflow does not read`, 're-save it uncompressed or with LZW, Deflate or PackBits');
  }
  const predictor = one(TAG.Predictor, 1);
  if (predictor !== 1 && predictor !== 2 && predictor !== 3) fail(`page ${index} uses unknown predictor ${predictor}`, 're-save it without a predictor');
  if ((predictor === 2 && dtype === 'f64') || (predictor === 3 && dtype !== 'f32' && dtype !== 'f64')) {
    fail(`page ${index} uses predictor ${predictor} with ${dtype} data`, 're-save it without a predictor');
  }
  return { dtype, compression, predictor };
}

/** Decoded bytes of chunk `k` of a page (strips at the bottom may be short; tiles are padded). */
export function chunkBytes(page: Omit<TiffPage, 'offsets' | 'byteCounts'>, k: number): number {
  const across = Math.ceil(page.width / page.chunkWidth);
  const rows = page.tiled ? page.chunkHeight : Math.min(page.chunkHeight, page.height - Math.floor(k / across) * page.chunkHeight);
  return rows * page.chunkWidth * bytesPer(page.dtype);
}

/** The chunk offsets and byte counts, each checked against the file size and the decoded size. */
function chunkTable(page: Omit<TiffPage, 'offsets' | 'byteCounts'>, tags: ReadonlyMap<number, Float64Array>, size: number, fail: Fail): { offsets: Float64Array; byteCounts: Float64Array } {
  const { tiled, index, compression } = page;
  const chunks = Math.ceil(page.width / page.chunkWidth) * Math.ceil(page.height / page.chunkHeight);
  const offsets = tags.get(tiled ? TAG.TileOffsets : TAG.StripOffsets);
  if (offsets === undefined || offsets.length < chunks) {
    fail(`page ${index} has ${offsets?.length ?? 0} ${tiled ? 'tile' : 'strip'} offsets but needs ${chunks}`, 're-export the file');
  }
  let byteCounts = tags.get(tiled ? TAG.TileByteCounts : TAG.StripByteCounts);
  if (byteCounts === undefined && compression === 1) byteCounts = Float64Array.from({ length: chunks }, (_, k) => chunkBytes(page, k));
  if (byteCounts === undefined || byteCounts.length < chunks) fail(`page ${index} lacks ${tiled ? 'tile' : 'strip'} byte counts`, 're-export the file');
  const ratio = MAX_RATIO[compression]!;
  for (let k = 0; k < chunks; k++) {
    const what = `${tiled ? 'tile' : 'strip'} ${k} of page ${index}`;
    checkRange(size, offsets[k]!, byteCounts[k]!, what, fail);
    const need = chunkBytes(page, k);
    if (need > MAX_CHUNK_BYTES) fail(`${what} decodes to ${need} bytes`, 're-save it with smaller strips or tiles');
    if (compression === 1 ? byteCounts[k]! < need : byteCounts[k]! * ratio + 1024 < need) {
      fail(`corrupt: ${what} has ${byteCounts[k]} bytes but must decode to ${need}`, 're-export the file');
    }
  }
  return { offsets, byteCounts };
}

const SAMPLE_DTYPES: Readonly<Record<string, DType>> = {
  '1:8': 'u8', '1:16': 'u16', '2:16': 'i16', '1:32': 'u32', '2:32': 'i32', '3:32': 'f32', '3:64': 'f64',
};

/** The dtype of BitsPerSample + SampleFormat (1 unsigned, 2 signed, 3 float). */
function dtypeOf(bits: number, format: number, page: number, fail: Fail): DType {
  const dtype = SAMPLE_DTYPES[`${format}:${bits}`];
  if (dtype === undefined) {
    const kind = format === 2 ? 'signed' : format === 3 ? 'float' : 'unsigned';
    fail(`page ${page} has ${bits}-bit ${kind} samples; voxelflow reads u8, u16, i16, u32, i32, f32, f64`, 'convert it to one of those types');
  }
  return dtype;
}

/**
 * One Zarr array's metadata, v2 (`.zarray`) or v3 (`zarr.json`), parsed into the few facts a reader
 * needs: the volume's shape and chunk shape as `[z, y, x]`, the dtype, byte order, element order, fill
 * value, the bytes-to-bytes codecs and how chunk keys are spelled. Arrays of 2 to 5 dimensions are
 * read when every axis before the last three has size 1 (OME-Zarr's t and c of a single volume).
 */
import { bytesPer, type DType } from '../../dtype.js';
import type { Shape3 } from '../../volume.js';
import type { Fail } from '../image-format-error.js';
import { parseByteCodecV2, parseByteCodecV3, type ByteCodec } from './chunk-codecs.js';

/** What a reader needs to know of an array. */
export interface ZarrArrayMeta {
  readonly zarrFormat: 2 | 3;
  /** The array's folder relative to the store root, '' for an array at the root. */
  readonly arrayPath: string;
  /** Dimensions as stored (2 to 5). */
  readonly ndim: number;
  readonly shape: Shape3;
  readonly chunkShape: Shape3;
  readonly dtype: DType;
  readonly littleEndian: boolean;
  /** 'F' stores a chunk's first axis fastest (v2 `order: "F"`, v3 `transpose` with the axes reversed). */
  readonly order: 'C' | 'F';
  readonly fill: number;
  /** Applied in this order when writing, in reverse when reading. */
  readonly codecs: readonly ByteCodec[];
  /** `c/` for v3's default key encoding, '' for v2's. */
  readonly keyPrefix: string;
  readonly separator: '/' | '.';
  /**
   * Set for a sharded v3 array (`sharding_indexed`): chunks (`chunkShape`, the inner chunks) are stored
   * `perShard` to a shard file keyed like a chunk of the outer grid, found through the shard's index.
   */
  readonly shard?: ShardLayout;
}

/** Where a sharded array's inner chunks are. */
export interface ShardLayout {
  /** Inner chunks per shard along z, y, x. */
  readonly perShard: Shape3;
  /** The index (offset, nbytes as u64 little-endian per inner chunk, C order) is at the shard's start or end. */
  readonly indexAt: 'start' | 'end';
  /** The index ends with a crc32c checksum (index_codecs bytes + crc32c). */
  readonly indexCrc: boolean;
}

const V3_DTYPES: Readonly<Record<string, DType>> = {
  uint8: 'u8', uint16: 'u16', int16: 'i16', uint32: 'u32', int32: 'i32', float32: 'f32', float64: 'f64',
};
const V2_DTYPES: Readonly<Record<string, DType>> = { u1: 'u8', u2: 'u16', i2: 'i16', u4: 'u32', i4: 'i32', f4: 'f32', f8: 'f64' };

/** Chunks past this many bytes are refused before anything is allocated for them. */
export const MAX_CHUNK_BYTES = 2 ** 31;

/** Parses a v3 `zarr.json` of an array (`doc` is its parsed JSON). */
export function parseV3Array(doc: Record<string, unknown>, arrayPath: string, fail: Fail): ZarrArrayMeta {
  const where = `${arrayPath === '' ? '' : `${arrayPath}/`}zarr.json`;
  const dtypeName = String(doc.data_type);
  const dtype = V3_DTYPES[dtypeName];
  if (dtype === undefined) fail(`${where}: data type '${dtypeName}' is not one voxelflow reads`, `store ${Object.keys(V3_DTYPES).join(', ')}`);
  const grid = doc.chunk_grid as { name?: unknown; configuration?: { chunk_shape?: unknown } } | undefined;
  if (grid?.name !== 'regular') fail(`${where}: chunk grid '${String(grid?.name)}' is not regular`, 'write the array with a regular chunk grid');
  const shapeN = intArray(doc.shape, 0, `${where}: shape`, fail);
  const chunkN = intArray(grid.configuration?.chunk_shape, 1, `${where}: chunk_shape`, fail);
  const enc = doc.chunk_key_encoding as { name?: unknown; configuration?: { separator?: unknown } } | undefined;
  const encName = enc?.name ?? 'default';
  if (encName !== 'default' && encName !== 'v2') fail(`${where}: chunk key encoding '${String(encName)}' is not known`, "use 'default' or 'v2'");
  const separator = enc?.configuration?.separator ?? (encName === 'default' ? '/' : '.');
  if (separator !== '/' && separator !== '.') fail(`${where}: chunk key separator '${String(separator)}' is not '/' or '.'`, 'rewrite the array');
  let order: 'C' | 'F' = 'C';
  let littleEndian = true;
  const codecs: ByteCodec[] = [];
  let sawBytes = false;
  for (const c of (Array.isArray(doc.codecs) ? doc.codecs : []) as { name?: unknown; configuration?: Record<string, unknown> }[]) {
    const name = String(c?.name);
    const config = c?.configuration ?? {};
    if (name === 'transpose' && !sawBytes) order = transposeOrder(config.order, shapeN.length, where, fail);
    else if (name === 'bytes' && !sawBytes) {
      sawBytes = true;
      if (config.endian === 'big') littleEndian = false;
      else if (config.endian !== 'little' && !(config.endian === undefined && bytesPer(dtype) === 1)) fail(`${where}: bytes codec endian '${String(config.endian)}'`, "use 'little' or 'big'");
    } else if (name === 'sharding_indexed' && !sawBytes && codecs.length === 0 && order === 'C') {
      return sharded(doc, config, arrayPath, { shapeN, outerN: chunkN, dtype, encName, separator }, where, fail);
    } else if (sawBytes) codecs.push(parseByteCodecV3(name, config, where, fail));
    else fail(`${where}: codec '${name}' is not one voxelflow reads`, 'write the array with bytes, transpose, gzip, zlib or crc32c');
  }
  if (!sawBytes) fail(`${where}: no bytes codec`, 'the codecs must include bytes');
  return build({ zarrFormat: 3, arrayPath, shapeN, chunkN, dtype, littleEndian, order, fill: fillValue(doc.fill_value, where, fail), codecs, keyPrefix: encName === 'default' ? `c${separator}` : '', separator }, where, fail);
}

/**
 * A sharded array: the outer grid's chunks are shards; the sharding codec's own codecs describe the
 * inner chunks, which are what a reader reads. Only the usual index encoding is read (bytes little
 * endian, optionally followed by crc32c).
 */
function sharded(
  doc: Record<string, unknown>,
  config: Record<string, unknown>,
  arrayPath: string,
  outer: { shapeN: number[]; outerN: number[]; dtype: DType; encName: unknown; separator: '/' | '.' },
  where: string,
  fail: Fail,
): ZarrArrayMeta {
  const innerN = intArray(config.chunk_shape, 1, `${where}: sharding_indexed chunk_shape`, fail);
  if (innerN.length !== outer.outerN.length || innerN.some((c, i) => (outer.outerN[i] as number) % c !== 0)) {
    fail(`${where}: sharding_indexed chunk_shape ${JSON.stringify(innerN)} does not divide the shard shape ${JSON.stringify(outer.outerN)}`, 'rewrite the array');
  }
  const indexAt = config.index_location ?? 'end';
  if (indexAt !== 'start' && indexAt !== 'end') fail(`${where}: sharding_indexed index_location '${String(indexAt)}'`, "use 'start' or 'end'");
  const indexCodecs = (Array.isArray(config.index_codecs) ? config.index_codecs : [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'crc32c' }]) as { name?: unknown; configuration?: { endian?: unknown } }[];
  const names = indexCodecs.map((c) => String(c?.name));
  const littleIndex = indexCodecs[0]?.configuration?.endian === undefined || indexCodecs[0]?.configuration?.endian === 'little';
  if (names[0] !== 'bytes' || !littleIndex || names.length > 2 || (names.length === 2 && names[1] !== 'crc32c')) {
    fail(`${where}: sharding_indexed index_codecs ${JSON.stringify(names)} are not read by voxelflow`, 'write the shard index as little-endian bytes, optionally with crc32c');
  }
  // The inner chunks are an array of their own: parse the sharding codec's codecs as an array's.
  const inner = parseV3Array({ ...doc, chunk_grid: { name: 'regular', configuration: { chunk_shape: innerN } }, codecs: config.codecs }, arrayPath, fail);
  if (inner.shard !== undefined) fail(`${where}: nested sharding is not read by voxelflow`, 'write one level of shards');
  const ndim = outer.outerN.length;
  const ratio = outer.outerN.map((c, i) => c / (innerN[i] as number));
  const perShard: Shape3 = ndim === 2 ? [1, ratio[0]!, ratio[1]!] : [ratio[ndim - 3]!, ratio[ndim - 2]!, ratio[ndim - 1]!];
  if (ratio.slice(0, Math.max(0, ndim - 3)).some((r) => r !== 1)) fail(`${where}: shards span more than one chunk along an axis before z, y, x`, 'write one channel and time point per shard');
  return { ...inner, keyPrefix: outer.encName === 'default' ? `c${outer.separator}` : '', separator: outer.separator, shard: { perShard, indexAt: indexAt as 'start' | 'end', indexCrc: names.length === 2 } };
}

/** Parses a v2 `.zarray` (`doc` is its parsed JSON). */
export function parseV2Array(doc: Record<string, unknown>, arrayPath: string, fail: Fail): ZarrArrayMeta {
  const where = `${arrayPath === '' ? '' : `${arrayPath}/`}.zarray`;
  const typestr = String(doc.dtype);
  const m = /^([<>|])([a-z]\d+)$/.exec(typestr);
  const dtype = m === null ? undefined : V2_DTYPES[m[2]!];
  if (m === null || dtype === undefined) fail(`${where}: dtype '${typestr}' is not one voxelflow reads`, 'store |u1, <u2, <i2, <u4, <i4, <f4 or <f8 (or big-endian)');
  if (doc.order !== 'C' && doc.order !== 'F') fail(`${where}: order '${String(doc.order)}' is not 'C' or 'F'`, 'rewrite the array');
  if (Array.isArray(doc.filters) && doc.filters.length > 0) {
    const ids = (doc.filters as { id?: unknown }[]).map((f) => String(f?.id)).join(', ');
    fail(`${where}: filters (${ids}) are not read by voxelflow`, 'write the array without filters');
  }
  const separator = doc.dimension_separator ?? '.';
  if (separator !== '/' && separator !== '.') fail(`${where}: dimension_separator '${String(separator)}'`, "use '.' or '/'");
  const compressor = doc.compressor as { id?: unknown } | null | undefined;
  const codecs = compressor === null || compressor === undefined ? [] : [parseByteCodecV2(compressor as Record<string, unknown>, where, fail)];
  const shapeN = intArray(doc.shape, 0, `${where}: shape`, fail);
  const chunkN = intArray(doc.chunks, 1, `${where}: chunks`, fail);
  return build(
    { zarrFormat: 2, arrayPath, shapeN, chunkN, dtype, littleEndian: m[1] !== '>', order: doc.order, fill: fillValue(doc.fill_value ?? 0, where, fail), codecs, keyPrefix: '', separator },
    where,
    fail,
  );
}

interface Parsed extends Omit<ZarrArrayMeta, 'ndim' | 'shape' | 'chunkShape'> {
  readonly shapeN: number[];
  readonly chunkN: number[];
}

/** Checks the dimensions and reduces them to `[z, y, x]`. */
function build(p: Parsed, where: string, fail: Fail): ZarrArrayMeta {
  const { shapeN, chunkN, ...rest } = p;
  const ndim = shapeN.length;
  if (ndim !== chunkN.length) fail(`${where}: shape has ${ndim} dimensions but the chunks have ${chunkN.length}`, 'rewrite the array');
  if (ndim < 2 || ndim > 5) fail(`${where}: ${ndim} dimensions`, 'voxelflow reads arrays of 2 to 5 dimensions (a 2D image, a 3D volume, or t/c axes of size 1 before z, y, x)');
  for (let i = 0; i < ndim - 3; i++) {
    if (shapeN[i] !== 1) fail(`${where}: axis ${i} has size ${shapeN[i]}, only z, y, x may be larger than 1`, 'write one channel and time point per array');
  }
  const last3 = (a: number[]): Shape3 => (ndim === 2 ? [1, a[0]!, a[1]!] : [a[ndim - 3]!, a[ndim - 2]!, a[ndim - 1]!]);
  const chunkShape = last3(chunkN);
  const chunkBytes = chunkShape[0] * chunkShape[1] * chunkShape[2] * bytesPer(p.dtype);
  if (chunkBytes > MAX_CHUNK_BYTES) fail(`${where}: chunks of ${chunkN.join('x')} hold ${chunkBytes} bytes`, `voxelflow reads chunks up to ${MAX_CHUNK_BYTES} bytes; rechunk the array`);
  return { ...rest, ndim, shape: last3(shapeN), chunkShape };
}

/** The chunk key of chunk `[cz, cy, cx]`; axes before z are always chunk 0 (they have size 1). */
export function chunkKey(meta: ZarrArrayMeta, cz: number, cy: number, cx: number): string {
  const s = meta.separator;
  const lead = meta.ndim === 2 ? `${cy}${s}${cx}` : `${`0${s}`.repeat(meta.ndim - 3)}${cz}${s}${cy}${s}${cx}`;
  return `${meta.arrayPath === '' ? '' : `${meta.arrayPath}/`}${meta.keyPrefix}${lead}`;
}

function intArray(v: unknown, min: number, what: string, fail: Fail): number[] {
  if (!Array.isArray(v) || v.some((n) => !Number.isSafeInteger(n) || (n as number) < min)) {
    return fail(`${what} must be a list of integers >= ${min}, got ${JSON.stringify(v)}`, 'rewrite the array metadata');
  }
  return v as number[];
}

function transposeOrder(order: unknown, ndim: number, where: string, fail: Fail): 'C' | 'F' {
  const list = Array.isArray(order) ? order : [];
  if (list.length === ndim && list.every((a, i) => a === i)) return 'C';
  if (list.length === ndim && list.every((a, i) => a === ndim - 1 - i)) return 'F';
  return fail(`${where}: transpose order ${JSON.stringify(order)} is not read by voxelflow`, 'only the identity and the full reversal (F order) are read');
}

/** A JSON fill value: a number, null (0), or the v3 spellings of NaN and the infinities. */
function fillValue(v: unknown, where: string, fail: Fail): number {
  if (v === null) return 0;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return fail(`${where}: fill value ${JSON.stringify(v)} is not read by voxelflow`, 'use a number, NaN, Infinity or -Infinity');
}

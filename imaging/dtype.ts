/**
 * Voxel data types and their typed arrays. A dtype is named the short way (`u8`, `f32`); numpy's and
 * TIFF's spellings are parsed by `parseDType`.
 */

/** Every voxel type voxelflow handles. */
export const DTYPES = ['u8', 'u16', 'i16', 'u32', 'i32', 'f32', 'f64'] as const;
/** A voxel type: unsigned/signed integers of 8, 16 or 32 bits, or 32/64-bit floats. */
export type DType = (typeof DTYPES)[number];

/** The typed arrays that hold voxels, one per DType. */
export type TypedArray = Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** Maps a dtype to its typed-array type. */
export type ArrayOf<D extends DType> = D extends 'u8'
  ? Uint8Array
  : D extends 'u16'
    ? Uint16Array
    : D extends 'i16'
      ? Int16Array
      : D extends 'u32'
        ? Uint32Array
        : D extends 'i32'
          ? Int32Array
          : D extends 'f32'
            ? Float32Array
            : Float64Array;

const CTORS = {
  u8: Uint8Array,
  u16: Uint16Array,
  i16: Int16Array,
  u32: Uint32Array,
  i32: Int32Array,
  f32: Float32Array,
  f64: Float64Array,
} as const;

/** Bytes per voxel. */
export function bytesPer(dtype: DType): number {
  return CTORS[dtype].BYTES_PER_ELEMENT;
}

/** A zeroed array of `length` voxels; `shared` puts it in a SharedArrayBuffer. */
export function allocate<D extends DType>(dtype: D, length: number, shared = false): ArrayOf<D> {
  const Ctor = ctorOf(dtype);
  const bytes = length * bytesPer(dtype);
  return new Ctor(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

/** Whether `array` is an array of `dtype` exactly (not a view of another element type). */
export function isArrayOf<D extends DType>(dtype: D, array: unknown): array is ArrayOf<D> {
  return (array as { constructor?: unknown } | null)?.constructor === CTORS[dtype];
}

/** A typed-array view of `dtype` over bytes (must be aligned; copy first if not). */
export function viewAs<D extends DType>(dtype: D, buffer: ArrayBufferLike, byteOffset: number, length: number): ArrayOf<D> {
  const Ctor = ctorOf(dtype);
  return new Ctor(buffer, byteOffset, length);
}

/** The dtype of a typed array, or null for other arrays. */
export function dtypeOf(array: unknown): DType | null {
  if (array instanceof Uint8Array) return 'u8';
  if (array instanceof Uint16Array) return 'u16';
  if (array instanceof Int16Array) return 'i16';
  if (array instanceof Uint32Array) return 'u32';
  if (array instanceof Int32Array) return 'i32';
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Float64Array) return 'f64';
  return null;
}

const ALIASES: Readonly<Record<string, DType>> = {
  u8: 'u8', uint8: 'u8', ubyte: 'u8',
  u16: 'u16', uint16: 'u16', ushort: 'u16',
  i16: 'i16', int16: 'i16', short: 'i16',
  u32: 'u32', uint32: 'u32', uint: 'u32',
  i32: 'i32', int32: 'i32', int: 'i32',
  f32: 'f32', float32: 'f32', float: 'f32',
  f64: 'f64', float64: 'f64', double: 'f64',
};

/** Parses `u16`, `uint16`, `float32`, `double` ...; null when unknown. */
export function parseDType(name: string): DType | null {
  return ALIASES[name.trim().toLowerCase()] ?? null;
}

/** True for the floating-point dtypes. */
export function isFloat(dtype: DType): boolean {
  return dtype === 'f32' || dtype === 'f64';
}

/** The typed-array constructor of `dtype`. */
function ctorOf<D extends DType>(dtype: D): new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => ArrayOf<D> {
  // TypeScript cannot tie CTORS[dtype]'s union of constructors to ArrayOf<D> for a generic D.
  return CTORS[dtype] as unknown as new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => ArrayOf<D>;
}

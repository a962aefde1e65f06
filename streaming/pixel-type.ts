/**
 * Detector pixel type names (numpy-style, as SIMPLON and array-1.0 write them) and their bytes.
 */
import type { DType } from '../imaging/index.js';

const TYPES: Readonly<Record<string, DType>> = {
  uint8: 'u8',
  uint16: 'u16',
  int16: 'i16',
  uint32: 'u32',
  int32: 'i32',
  float32: 'f32',
  float64: 'f64',
};

const NAMES: Readonly<Record<DType, string>> = { u8: 'uint8', u16: 'uint16', i16: 'int16', u32: 'uint32', i32: 'int32', f32: 'float32', f64: 'float64' };

const SIZES: Readonly<Record<DType, number>> = { u8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, f64: 8 };

/** The dtype of a protocol type name ('uint16' → 'u16'), or null when unknown. */
export function pixelDType(name: unknown): DType | null {
  return typeof name === 'string' && Object.hasOwn(TYPES, name) ? (TYPES[name] as DType) : null;
}

/** The protocol type name of a dtype ('u16' → 'uint16'). */
export function pixelTypeName(dtype: DType): string {
  return NAMES[dtype];
}

/** Bytes per pixel. */
export function pixelBytes(dtype: DType): number {
  return SIZES[dtype];
}

/** Byte-swaps elements of `size` bytes into a new array (big-endian frames become little-endian). */
export function swapBytes(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += size) {
    for (let b = 0; b < size; b++) out[i + b] = src[i + size - 1 - b] as number;
  }
  return out;
}

/** True for `[a, b]` / `[a, b, c]` of positive integers with at most `max` entries. */
export function isShape(v: unknown, lengths: readonly number[]): v is number[] {
  return Array.isArray(v) && lengths.includes(v.length) && v.every((n) => Number.isInteger(n) && n > 0 && n <= 1 << 20);
}

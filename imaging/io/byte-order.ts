/**
 * Byte order of voxel data. Files say little or big endian; typed arrays are in the host's order
 * (little endian on every platform Node ships for, but nothing here assumes it).
 */
import type { TypedArray } from '../dtype.js';

/** True when typed arrays on this machine are little endian. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A byte view of a typed array's elements (no copy). */
export function bytesOf(array: TypedArray): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Reverses every `width`-byte group of `bytes` in place (width 1 is a no-op). */
export function swapInPlace(bytes: Uint8Array, width: number): void {
  const n = bytes.length - (bytes.length % width);
  if (width === 2) {
    for (let i = 0; i < n; i += 2) {
      const t = bytes[i]!;
      bytes[i] = bytes[i + 1]!;
      bytes[i + 1] = t;
    }
  } else if (width === 4) {
    for (let i = 0; i < n; i += 4) {
      const a = bytes[i]!;
      const b = bytes[i + 1]!;
      bytes[i] = bytes[i + 3]!;
      bytes[i + 1] = bytes[i + 2]!;
      bytes[i + 2] = b;
      bytes[i + 3] = a;
    }
  } else if (width === 8) {
    for (let i = 0; i < n; i += 8) {
      for (let j = 0; j < 4; j++) {
        const t = bytes[i + j]!;
        bytes[i + j] = bytes[i + 7 - j]!;
        bytes[i + 7 - j] = t;
      }
    }
  }
}

/** Brings bytes stored with `littleEndian` order into host order, in place. */
export function toHostOrder(bytes: Uint8Array, width: number, littleEndian: boolean): void {
  if (littleEndian !== HOST_LITTLE_ENDIAN) swapInPlace(bytes, width);
}

/** The array's bytes in little-endian order: the array's own memory on little-endian hosts, else a copy. */
export function littleEndianBytes(array: TypedArray): Uint8Array {
  const bytes = bytesOf(array);
  if (HOST_LITTLE_ENDIAN) return bytes;
  const copy = bytes.slice();
  swapInPlace(copy, array.BYTES_PER_ELEMENT);
  return copy;
}

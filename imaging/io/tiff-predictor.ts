/**
 * Undoing TIFF predictors on a decoded chunk, row by row. Predictor 2 (horizontal differencing) adds
 * each sample to its left neighbour with wrap-around, on the unsigned view of the sample bits, after
 * the bytes are in host order. Predictor 3 (floating point, Adobe Photoshop TIFF technote 3) differences
 * bytes, after splitting each row into byte planes most significant first, so it works on raw bytes
 * and yields host order itself. libtiff's tif_predict.c (horAcc*, fpAcc) is the reference.
 */
import type { TypedArray } from '../dtype.js';
import { HOST_LITTLE_ENDIAN } from './byte-order.js';

/** Undoes `predictor` (2 or 3) in place over `rows` rows of `width` samples. */
export function undoPredictor(values: TypedArray, bytes: Uint8Array, predictor: number, width: number, rows: number): void {
  if (predictor === 3) {
    undoFloatPredictor(bytes, values.BYTES_PER_ELEMENT, width, rows);
    return;
  }
  const bpe = values.BYTES_PER_ELEMENT;
  // Signed and float samples are differenced as their unsigned bit patterns.
  const unsigned =
    bpe === 1 ? bytes : bpe === 2 ? new Uint16Array(bytes.buffer, bytes.byteOffset, values.length) : new Uint32Array(bytes.buffer, bytes.byteOffset, values.length);
  for (let r = 0; r < rows; r++) {
    const start = r * width;
    const end = start + width;
    for (let i = start + 1; i < end; i++) unsigned[i] = unsigned[i]! + unsigned[i - 1]!;
  }
}

/** Predictor 3: per row, a running byte sum, then the byte planes woven back into host-order floats. */
function undoFloatPredictor(bytes: Uint8Array, bpe: number, width: number, rows: number): void {
  const rowBytes = width * bpe;
  const tmp = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const row = bytes.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = 1; i < rowBytes; i++) row[i] = row[i]! + row[i - 1]!;
    tmp.set(row);
    for (let i = 0; i < width; i++) {
      for (let b = 0; b < bpe; b++) {
        // Plane b holds byte b of every sample, most significant first.
        row[i * bpe + (HOST_LITTLE_ENDIAN ? bpe - 1 - b : b)] = tmp[b * width + i]!;
      }
    }
  }
}

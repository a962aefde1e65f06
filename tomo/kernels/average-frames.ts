/** Averaging a stack of dark or flat frames into one, pixel by pixel: mean or median. */

/** How a stack of dark or flat frames becomes one frame. */
export type FrameAverage = 'mean' | 'median';

/** The averaging methods, for messages and flag parsing. */
export const FRAME_AVERAGES: readonly FrameAverage[] = ['mean', 'median'];

/**
 * Writes into `out` (length `size`) the per-pixel mean or median of `count` frames of `size` pixels
 * stored one after the other in `frames`. The median of an even count is the mean of the two middle
 * values (numpy's `median`). NaN pixels sort last, as in numpy's sort.
 *
 * @example
 *   const out = new Float32Array(2);
 *   averageFrames(new Float32Array([1, 10, 3, 20, 2, 30]), 3, 2, 'median', out); // out = [2, 20]
 */
export function averageFrames(frames: Float32Array, count: number, size: number, method: FrameAverage, out: Float32Array): void {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(size) || size < 0 || frames.length < count * size || out.length < size) {
    throw new RangeError(`averageFrames: ${count} frames of ${size} pixels need frames.length >= ${count * size} (got ${frames.length}) and out.length >= ${size} (got ${out.length})`);
  }
  if (method === 'mean') {
    // Summed in f64: thousands of 16-bit frames would lose precision in f32.
    const sum = new Float64Array(size);
    for (let f = 0; f < count; f++) {
      const base = f * size;
      for (let p = 0; p < size; p++) sum[p] = sum[p]! + frames[base + p]!;
    }
    for (let p = 0; p < size; p++) out[p] = sum[p]! / count;
    return;
  }
  const column = new Float64Array(count);
  const mid = count >> 1;
  for (let p = 0; p < size; p++) {
    for (let f = 0; f < count; f++) column[f] = frames[f * size + p]!;
    column.sort(); // typed-array sort: numeric, NaN last
    out[p] = count % 2 === 1 ? column[mid]! : (column[mid - 1]! + column[mid]!) / 2;
  }
}

/**
 * `mapLabels(src, table, out)`: out[i] = table[src[i]] (or src[i] when `table` is null) wherever
 * src[i] != 0, into an `out` that is zero already (fresh memory, or cleared). Background is skipped a
 * 32-bit word of `src` at a time and never written, so the pages of a block's empty regions are never
 * touched: fresh memory costs a page fault per 4 KiB. What the relabel pass does with a block's kept
 * local labels and its lookup table, and what keeping them does (u32 scratch into 1 or 2 bytes a voxel).
 * `out` must hold the values written (a Uint8Array labels below 256). Twin of native/src/map_labels.h.
 *
 * @example
 *   const out = new Uint32Array(6);
 *   mapLabels(new Uint8Array([0, 1, 1, 0, 2, 0]), new Uint32Array([0, 7, 9]), out); // out = [0, 7, 7, 0, 9, 0]
 */
export type LabelArray = Uint8Array | Uint16Array | Uint32Array;

export function mapLabels(src: LabelArray, table: Uint32Array | null, out: LabelArray): LabelArray {
  if (out.length < src.length) throw new RangeError(`mapLabels: out has ${out.length} elements, src ${src.length}`);
  if (table !== null) {
    const max = maxLabel(src);
    if (max >= table.length) throw new RangeError(`mapLabels: label ${max} is past the table's ${table.length} entries`);
  }
  // One loop per source type keeps each loop monomorphic.
  if (src instanceof Uint8Array) return mapWords(src, 4, table, out);
  if (src instanceof Uint16Array) return mapWords(src, 2, table, out);
  for (let i = 0; i < src.length; i++) {
    const l = src[i] as number;
    if (l !== 0) out[i] = table === null ? l : (table[l] as number);
  }
  return out;
}

function mapWords(src: Uint8Array | Uint16Array, per: 2 | 4, table: Uint32Array | null, out: LabelArray): LabelArray {
  let i = 0;
  if (src.byteOffset % 4 === 0) {
    const words = new Uint32Array(src.buffer, src.byteOffset, (src.length / per) | 0);
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      for (let j = per * w; j < per * w + per; j++) {
        const l = src[j] as number;
        if (l !== 0) out[j] = table === null ? l : (table[l] as number);
      }
    }
    i = per * words.length;
  }
  for (; i < src.length; i++) {
    const l = src[i] as number;
    if (l !== 0) out[i] = table === null ? l : (table[l] as number);
  }
  return out;
}

/** The largest label in `src` (0 when empty). */
export function maxLabel(src: LabelArray): number {
  let max = 0;
  for (let i = 0; i < src.length; i++) if ((src[i] as number) > max) max = src[i] as number;
  return max;
}

/**
 * PackBits run-length coding (TIFF compression 32773): a signed header byte n, then n + 1 literal
 * bytes (0..127) or one byte repeated 1 - n times (-127..-1); -128 is a no-op. Rows are packed
 * separately, as the TIFF spec asks. Spec: TIFF 6.0 section 9.
 */

/** Decodes into exactly `expected` bytes, or returns null when the stream is too short or overruns. */
export function packBitsDecode(src: Uint8Array, expected: number): Uint8Array | null {
  const out = new Uint8Array(expected);
  let at = 0;
  let pos = 0;
  while (at < expected && pos < src.length) {
    const n = src[pos++]!;
    if (n < 128) {
      const count = n + 1;
      if (pos + count > src.length || at + count > expected) return null;
      out.set(src.subarray(pos, pos + count), at);
      pos += count;
      at += count;
    } else if (n > 128) {
      const count = 257 - n;
      if (pos >= src.length || at + count > expected) return null;
      out.fill(src[pos++]!, at, at + count);
      at += count;
    }
  }
  return at === expected ? out : null;
}

/** Encodes `rows` rows of `rowBytes` bytes each, every row packed on its own. */
export function packBitsEncode(src: Uint8Array, rowBytes: number): Uint8Array {
  // Worst case: one header byte per 128 literals, per row.
  const rows = rowBytes === 0 ? 0 : src.length / rowBytes;
  const out = new Uint8Array(src.length + rows * Math.ceil(rowBytes / 128) + 1);
  let at = 0;
  for (let r = 0; r < rows; r++) at = packRow(src, r * rowBytes, (r + 1) * rowBytes, out, at);
  return out.slice(0, at);
}

/** Packs `src[start, end)` into `out` at `at`, returning the new end. */
function packRow(src: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  let i = start;
  while (i < end) {
    // A run of 3 or more equal bytes is worth a repeat packet; shorter ones go into literals.
    let run = 1;
    while (i + run < end && run < 128 && src[i + run] === src[i]) run++;
    if (run >= 3) {
      out[at++] = 257 - run;
      out[at++] = src[i]!;
      i += run;
      continue;
    }
    let lit = i;
    while (lit < end && lit - i < 128) {
      if (lit + 2 < end && src[lit] === src[lit + 1] && src[lit] === src[lit + 2]) break;
      lit++;
    }
    out[at++] = lit - i - 1;
    out.set(src.subarray(i, lit), at);
    at += lit - i;
    i = lit;
  }
  return at;
}

/**
 * TIFF's LZW (compression 5): codes are written MSB first, start at 9 bits, and widen one code
 * *early* (at 511, 1023, 2047 entries), code 256 clears the table and 257 ends the strip.
 * Spec: TIFF 6.0 section 13; libtiff's tif_lzw.c is the reference decoder for the early change.
 */

const CLEAR = 256;
const EOI = 257;
const FIRST = 258;
const MAX_CODES = 4096;

/** Why a decode stopped early, for the caller's error message. */
export type LzwResult = { readonly state: 'ok'; readonly bytes: Uint8Array } | { readonly state: 'corrupt'; readonly reason: string };

/**
 * Decodes `src` into exactly `expected` bytes. Output past `expected` is dropped (some writers pad);
 * a stream that ends early, or uses a code not yet in the table, is reported as corrupt.
 */
export function lzwDecode(src: Uint8Array, expected: number): LzwResult {
  if (src.length >= 2 && src[0] === 0 && (src[1]! & 1) === 1) {
    return { state: 'corrupt', reason: 'old-style (pre-TIFF 6.0) LZW is not supported' };
  }
  const out = new Uint8Array(expected);
  // A code's string always occurs in the output already: the previous code's string plus the next
  // byte. So the table stores where (start, length), and emitting a code is a forward copy.
  const start = new Int32Array(MAX_CODES);
  const length = new Int32Array(MAX_CODES);
  let next = FIRST;
  let width = 9;
  let oldStart = -1;
  let oldLength = 0;
  let at = 0;
  let bits = 0;
  let nbits = 0;
  let pos = 0;
  while (at < expected) {
    while (nbits < width && pos < src.length) {
      bits = ((bits << 8) | src[pos++]!) & 0xffffff;
      nbits += 8;
    }
    if (nbits < width) break;
    const code = (bits >>> (nbits - width)) & ((1 << width) - 1);
    nbits -= width;
    if (code === EOI) break;
    if (code === CLEAR) {
      next = FIRST;
      width = 9;
      oldStart = -1;
      continue;
    }
    if (code >= next || (oldStart === -1 && code > 255)) {
      // code === next is the KwKwK case: the previous string plus its own first byte.
      if (code !== next || oldStart === -1 || next >= MAX_CODES) {
        return { state: 'corrupt', reason: `code ${code} is not in the table (${next} entries)` };
      }
    }
    if (oldStart !== -1 && next < MAX_CODES) {
      start[next] = oldStart;
      length[next] = oldLength + 1;
      next++;
      if (next + 1 >= 1 << width && width < 12) width++;
    }
    const here = at;
    if (code < 256) {
      out[at++] = code;
    } else {
      const from = start[code]!;
      const end = Math.min(expected, at + length[code]!);
      for (let i = from; at < end; i++) out[at++] = out[i]!;
    }
    oldStart = here;
    oldLength = at - here;
  }
  if (at < expected) return { state: 'corrupt', reason: `stream ends after ${at} of ${expected} bytes` };
  return { state: 'ok', bytes: out };
}

/** Open-addressing table of (prefix code, next byte) -> code for the encoder; twice the codes, a power of 2. */
const HASH_SIZE = 8192;

/** Encodes `src` as TIFF LZW (a clear code first, a clear whenever the table fills, EOI last). */
export function lzwEncode(src: Uint8Array): Uint8Array {
  // Worst case is 12 bits per input byte plus the clear/EOI codes.
  const out = new Uint8Array(Math.ceil((src.length * 12 + 64 + (src.length / 2000) * 12) / 8) + 8);
  const keys = new Int32Array(HASH_SIZE).fill(-1);
  const codes = new Uint16Array(HASH_SIZE);
  let at = 0;
  let bits = 0;
  let nbits = 0;
  let width = 9;
  let next = FIRST;
  const put = (code: number): void => {
    bits = (bits << width) | code;
    nbits += width;
    while (nbits >= 8) {
      out[at++] = (bits >>> (nbits - 8)) & 0xff;
      nbits -= 8;
    }
    bits &= (1 << nbits) - 1;
  };
  put(CLEAR);
  if (src.length > 0) {
    let current = src[0]!;
    for (let i = 1; i < src.length; i++) {
      const byte = src[i]!;
      const key = (current << 8) | byte;
      let h = Math.imul(key, 0x9e3779b1) >>> 19;
      while (keys[h] !== -1 && keys[h] !== key) h = (h + 1) & (HASH_SIZE - 1);
      if (keys[h] === key) {
        current = codes[h]!;
        continue;
      }
      put(current);
      keys[h] = key;
      codes[h] = next++;
      // The decoder widens when its table reaches 2^width - 1 entries, one entry behind us.
      if (next >= 1 << width && width < 12) width++;
      if (next === MAX_CODES - 2) {
        put(CLEAR);
        keys.fill(-1);
        next = FIRST;
        width = 9;
      }
      current = byte;
    }
    put(current);
  }
  put(EOI);
  if (nbits > 0) out[at++] = (bits << (8 - nbits)) & 0xff;
  return out.slice(0, at);
}

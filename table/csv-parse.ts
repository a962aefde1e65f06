/**
 * The CSV kernel: bytes of one file → one record batch, in a single pass over the bytes with no
 * per-row objects. Numbers are parsed inline while the field is scanned (Clinger's fast path: up to
 * 15 significant digits and a power of ten up to 1e22 give the correctly rounded double, the same as
 * `Number(text)`); anything else (long mantissas, `1e300`, `Infinity`) goes through `Number`.
 * RFC 4180 quoting: a quoted field may hold the delimiter, newlines and `""` for a quote. Blank lines
 * are skipped. Missing numbers (empty, NA, NaN, null, N/A) become NaN; missing strings null.
 *
 * Every error names the file and the 1-based line, and says how to fix it.
 */
import { makeBatch, type Batch, type Column, type ColumnType, type Field } from './batch.js';
import { TableError } from './table-error.js';

/** What the driver decided for every file of a read: which file columns to keep, and their types. */
export interface CsvPlan {
  readonly delimiter: string;
  readonly header: boolean;
  /** Number of columns in each row of the file. */
  readonly width: number;
  /** For each file column, its output column or -1 to skip it. */
  readonly keep: readonly number[];
  /** The output fields (kept columns, in output order). */
  readonly fields: readonly Field[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const MISSING = new Set(['', 'NA', 'NaN', 'nan', 'null', 'NULL', 'N/A', 'n/a']);

/** Parses one CSV file's bytes into a batch following `plan`. */
export function parseCsv(bytes: Uint8Array, file: string, plan: CsvPlan): Batch {
  // A plain Uint8Array (not a Buffer) keeps element reads monomorphic; `text` decodes slices.
  const buf = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const delim = plan.delimiter.charCodeAt(0);
  const capacity = countLines(text) + 1;
  const types: ColumnType[] = plan.fields.map((f) => f.type);
  const isText = Uint8Array.from(types, (t) => (t === 'string' ? 1 : 0));
  // Numbers land in Float64Arrays (narrowed to f32 at the end) and string codes in Int32Arrays, so
  // each store site sees one array type. Strings are dictionary-encoded as they are read.
  const numbers: Float64Array[] = types.map((t) => new Float64Array(t === 'string' ? 0 : capacity));
  const codes: Int32Array[] = types.map((t) => new Int32Array(t === 'string' ? capacity : 0));
  const dicts: Dictionary[] = types.map(() => ({ index: new Map(), dict: [] }));
  const keep = Int32Array.from(plan.keep);
  const width = plan.width;
  const end = buf.length;
  let pos = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0; // UTF-8 byte order mark
  let line = 1;
  let rows = 0;
  let skipRow = plan.header;
  while (pos < end) {
    const c0 = buf[pos] as number;
    if (c0 === LF || c0 === CR) {
      // A blank line.
      pos += c0 === CR && buf[pos + 1] === LF ? 2 : 1;
      line++;
      continue;
    }
    let col = 0;
    const rowLine = line;
    for (;;) {
      const out = col < width ? (keep[col] as number) : -2;
      if (out === -2) fail(file, line, `row has more than the ${width} columns of the header`, 'fix the row, or check the delimiter (--delimiter)');
      let c = pos < end ? (buf[pos] as number) : LF;
      if (c === QUOTE) {
        // Quoted field: scan to the closing quote, unescaping "" only when present.
        let quoted = '';
        let start = pos + 1;
        let i = start;
        for (;;) {
          if (i >= end) {
            fail(file, rowLine, 'a quoted field is not closed', 'close the quote, or double quotes inside a field ("")');
          }
          const q = buf[i] as number;
          if (q === QUOTE) {
            if (buf[i + 1] === QUOTE) {
              quoted += text.toString('utf8', start, i + 1);
              i += 2;
              start = i;
              continue;
            }
            break;
          }
          if (q === LF) line++;
          i++;
        }
        quoted += text.toString('utf8', start, i);
        pos = i + 1;
        c = pos < end ? (buf[pos] as number) : LF;
        if (c !== delim && c !== LF && c !== CR) fail(file, line, `text after the closing quote of column ${col + 1}`, 'quote the whole field');
        if (!skipRow && out >= 0) {
          if (isText[out] === 1) (codes[out] as Int32Array)[rows] = code(dicts[out] as Dictionary, quoted);
          else (numbers[out] as Float64Array)[rows] = parseNumber(quoted, col, file, line, plan);
        }
      } else if (out < 0 || skipRow || isText[out] === 1) {
        const start = pos;
        while (c !== delim && c !== LF && c !== CR) c = ++pos < end ? (buf[pos] as number) : LF;
        if (!skipRow && out >= 0) (codes[out] as Int32Array)[rows] = pos === start ? -1 : code(dicts[out] as Dictionary, text.toString('utf8', start, pos));
      } else {
        // Unquoted number, parsed as it is scanned; odd shapes fall back to Number().
        const start = pos;
        let neg = false;
        if (c === 45 || c === 43) {
          neg = c === 45;
          c = ++pos < end ? (buf[pos] as number) : LF;
        }
        let mant = 0;
        let sig = 0;
        let exp = 0;
        let digits = 0;
        let fast = true;
        while (c >= 48 && c <= 57) {
          if (mant !== 0 || c !== 48) sig++;
          mant = mant * 10 + (c - 48);
          digits++;
          c = ++pos < end ? (buf[pos] as number) : LF;
        }
        if (c === 46) {
          c = ++pos < end ? (buf[pos] as number) : LF;
          while (c >= 48 && c <= 57) {
            if (mant !== 0 || c !== 48) sig++;
            mant = mant * 10 + (c - 48);
            exp--;
            digits++;
            c = ++pos < end ? (buf[pos] as number) : LF;
          }
        }
        if ((c === 101 || c === 69) && digits > 0) {
          c = ++pos < end ? (buf[pos] as number) : LF;
          let eneg = false;
          if (c === 45 || c === 43) {
            eneg = c === 45;
            c = ++pos < end ? (buf[pos] as number) : LF;
          }
          let e = 0;
          let edigits = 0;
          while (c >= 48 && c <= 57) {
            e = e * 10 + (c - 48);
            edigits++;
            c = ++pos < end ? (buf[pos] as number) : LF;
          }
          if (edigits === 0) fast = false;
          exp += eneg ? -e : e;
        }
        let v: number;
        if (fast && digits > 0 && sig <= 15 && (c === delim || c === LF || c === CR) && exp >= -22 && exp <= 22) {
          v = exp < 0 ? mant / (POW10[-exp] as number) : mant * (POW10[exp] as number);
          if (neg) v = -v;
        } else {
          while (c !== delim && c !== LF && c !== CR) c = ++pos < end ? (buf[pos] as number) : LF;
          v = parseNumber(text.toString('utf8', start, pos), col, file, line, plan);
        }
        (numbers[out] as Float64Array)[rows] = v;
      }
      col++;
      if (c === delim) {
        pos++;
        continue;
      }
      // End of the row.
      pos += c === CR && buf[pos + 1] === LF ? 2 : 1;
      break;
    }
    if (col !== width) {
      fail(file, rowLine, `row has ${col} column${col === 1 ? '' : 's'}, the header has ${width}`, 'fix the row, or check the delimiter (--delimiter)');
    }
    line++;
    if (skipRow) skipRow = false;
    else rows++;
  }
  const out = types.map((t, i): Column => {
    // Views, not copies: the capacity was one row per line (the header and blank lines included).
    if (t === 'string') return { codes: (codes[i] as Int32Array).subarray(0, rows), dict: (dicts[i] as Dictionary).dict };
    const values = (numbers[i] as Float64Array).subarray(0, rows);
    return t === 'f32' ? Float32Array.from(values) : values;
  });
  return makeBatch(plan.fields, out, rows);
}

interface Dictionary {
  readonly index: Map<string, number>;
  readonly dict: string[];
}

function code(d: Dictionary, s: string): number {
  let c = d.index.get(s);
  if (c === undefined) {
    c = d.dict.length;
    d.dict.push(s);
    d.index.set(s, c);
  }
  return c;
}

function fail(file: string, line: number, problem: string, fix: string): never {
  throw new TableError(`${file}:${line}`, problem, fix);
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(LF); i >= 0; i = buf.indexOf(LF, i + 1)) n++;
  return n;
}

function parseNumber(text: string, col: number, file: string, line: number, plan: CsvPlan): number {
  const t = text.trim();
  if (MISSING.has(t)) return Number.NaN;
  const v = Number(t);
  if (Number.isNaN(v)) {
    const name = (plan.fields[plan.keep[col] as number] as Field).name;
    throw new TableError(
      `${file}:${line}`,
      `column '${name}' holds ${JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}…` : t)}, not a number`,
      `fix the value, or read the column as text with types: { ${JSON.stringify(name)}: 'string' }`,
    );
  }
  return v;
}

/**
 * A record batch: the unit a table partition holds. Numeric columns are typed arrays (NaN for a
 * missing value); string columns are dictionary-encoded (Int32Array codes into a small array of
 * distinct strings, -1 for missing), as Arrow's dictionary vectors are. Column arrays are stored as
 * the batch's own properties `c0`, `c1`, ... (dictionaries as `d0`, ...) so that core's record codec
 * lays them out raw in shared memory when a partition is cached or shipped: a cached table is read
 * by workers as views, never decoded row by row.
 * The layout is Arrow's (one contiguous buffer per column); `arrow-convert.ts` goes to and from
 * `apache-arrow` tables without copying numeric columns.
 */
import { TableError } from './table-error.js';

/** Column types: 64- or 32-bit floats (NaN = missing) and strings (dictionary-encoded, null = missing). */
export type ColumnType = 'f64' | 'f32' | 'string';

/** A named, typed column. */
export interface Field {
  /** The column's name, as expressions and verbs refer to it. */
  readonly name: string;
  /** Its value type. */
  readonly type: ColumnType;
}

/** A numeric column: NaN marks a missing value. */
export type NumericColumn = Float64Array | Float32Array;
/** A dictionary-encoded string column: row r holds `dict[codes[r]]`, or null when the code is -1. */
export interface StringColumn {
  /** One code per row: an index into `dict`, or -1 for missing. */
  readonly codes: Int32Array;
  /** The distinct strings of the column. */
  readonly dict: readonly string[];
}
/** Any column, as `columnAt` returns it. */
export type Column = NumericColumn | StringColumn;

/** A batch of rows, column-major. Column `i` is the property `c${i}` (and `d${i}` for a dictionary). */
export interface Batch {
  /** Rows in the batch. */
  readonly length: number;
  /** The columns' names and types, in column order. */
  readonly fields: readonly Field[];
  readonly [column: `c${number}`]: NumericColumn | Int32Array;
  readonly [dictionary: `d${number}`]: readonly string[] | undefined;
}

/** Builds a batch from fields and equally long columns. */
export function makeBatch(fields: readonly Field[], columns: readonly Column[], length: number): Batch {
  const b: Record<string, unknown> = { length, fields };
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i] as Column;
    if (isStringColumn(c)) {
      b[`c${i}`] = c.codes;
      b[`d${i}`] = c.dict;
    } else b[`c${i}`] = c;
  }
  // A Batch's columns are the fields c0, d0, c1, ... that this loop names; the type cannot list them.
  return b as unknown as Batch;
}

/** True for a dictionary-encoded string column. */
export function isStringColumn(c: Column): c is StringColumn {
  return !ArrayBuffer.isView(c);
}

/** Column `i` of a batch. */
export function columnAt(batch: Batch, i: number): Column {
  const values = batch[`c${i}`];
  const dict = batch[`d${i}`];
  return dict === undefined ? (values as NumericColumn) : { codes: values as Int32Array, dict };
}

/** The string at row `r` of a string column. */
export function stringAt(c: StringColumn, r: number): string | null {
  const code = c.codes[r] as number;
  return code < 0 ? null : (c.dict[code] as string);
}

/** Dictionary-encodes strings. */
export function encodeStrings(values: readonly (string | null)[]): StringColumn {
  const index = new Map<string, number>();
  const dict: string[] = [];
  const codes = new Int32Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (v === null || v === undefined) {
      codes[r] = -1;
      continue;
    }
    let code = index.get(v);
    if (code === undefined) {
      code = dict.length;
      dict.push(v);
      index.set(v, code);
    }
    codes[r] = code;
  }
  return { codes, dict };
}

/** All columns of a batch, in field order. */
export function columnsOf(batch: Batch): Column[] {
  return batch.fields.map((_, i) => columnAt(batch, i));
}

/** The index of column `name`, or a TableError listing the columns there are. */
export function fieldIndex(fields: readonly Field[], name: string, what: string): number {
  const i = fields.findIndex((f) => f.name === name);
  if (i < 0) throw new TableError(what, `no column '${name}'`, `use one of: ${fields.map((f) => f.name).join(', ')}`);
  return i;
}

/** Like fieldIndex, and the column must be numeric. */
export function numericIndex(fields: readonly Field[], name: string, what: string): number {
  const i = fieldIndex(fields, name, what);
  if ((fields[i] as Field).type === 'string') {
    throw new TableError(what, `column '${name}' holds strings`, `choose a numeric column, or read it with types: { ${JSON.stringify(name)}: 'f64' }`);
  }
  return i;
}

/** Names of the numeric columns. */
export function numericNames(fields: readonly Field[]): string[] {
  return fields.filter((f) => f.type !== 'string').map((f) => f.name);
}

/** A numeric array of `type` (f64 or f32) with `n` rows. */
export function allocNumeric(type: ColumnType, n: number): NumericColumn {
  return type === 'f32' ? new Float32Array(n) : new Float64Array(n);
}

/** The rows of `batch` whose mask byte is non-zero, as a new batch. */
export function filterBatch(batch: Batch, mask: Uint8Array): Batch {
  let kept = 0;
  for (let r = 0; r < batch.length; r++) kept += mask[r] === 0 ? 0 : 1;
  if (kept === batch.length) return batch;
  const columns = batch.fields.map((f, i): Column => {
    const src = columnAt(batch, i);
    const values = isStringColumn(src) ? src.codes : src;
    const out = isStringColumn(src) ? new Int32Array(kept) : allocNumeric(f.type, kept);
    let k = 0;
    for (let r = 0; r < batch.length; r++) if (mask[r] !== 0) out[k++] = values[r] as number;
    return isStringColumn(src) ? { codes: out as Int32Array, dict: src.dict } : (out as NumericColumn);
  });
  return makeBatch(batch.fields, columns, kept);
}

/** The batch restricted to the named columns, in that order; shares the column arrays. */
export function selectBatch(batch: Batch, names: readonly string[]): Batch {
  const idx = names.map((n) => fieldIndex(batch.fields, n, 'select'));
  return makeBatch(
    idx.map((i) => batch.fields[i] as Field),
    idx.map((i) => columnAt(batch, i)),
    batch.length,
  );
}

/** The batch with column `field` replaced (same name) or appended. */
export function withColumnBatch(batch: Batch, field: Field, column: Column): Batch {
  const fields = batch.fields.slice();
  const columns = columnsOf(batch);
  const at = fields.findIndex((f) => f.name === field.name);
  if (at >= 0) {
    fields[at] = field;
    columns[at] = column;
  } else {
    fields.push(field);
    columns.push(column);
  }
  return makeBatch(fields, columns, batch.length);
}

/** Concatenates batches with the same fields. */
export function concatBatches(fields: readonly Field[], batches: readonly Batch[]): Batch {
  let n = 0;
  for (const b of batches) n += b.length;
  const columns = fields.map((f, i): Column => {
    if (f.type === 'string') {
      const strings: (string | null)[] = [];
      for (const b of batches) {
        const src = columnAt(b, i) as StringColumn;
        for (let r = 0; r < b.length; r++) strings.push(stringAt(src, r));
      }
      return encodeStrings(strings);
    }
    const out = allocNumeric(f.type, n);
    let at = 0;
    for (const b of batches) {
      out.set(columnAt(b, i) as NumericColumn, at);
      at += b.length;
    }
    return out;
  });
  return makeBatch(fields, columns, n);
}

/**
 * The selected numeric columns as one row-major matrix (n × d), for the machine-learning kernels
 * that visit a row at a time; rows with a missing value are left out.
 */
export function rowMatrix(batch: Batch, indices: readonly number[]): { readonly n: number; readonly d: number; readonly x: Float64Array } {
  const d = indices.length;
  const cols = indices.map((i) => columnAt(batch, i) as NumericColumn);
  const x = new Float64Array(batch.length * d);
  let n = 0;
  for (let r = 0; r < batch.length; r++) {
    let ok = true;
    for (let j = 0; j < d; j++) {
      const v = (cols[j] as NumericColumn)[r] as number;
      if (v !== v) ok = false;
      x[n * d + j] = v;
    }
    if (ok) n++;
  }
  return { n, d, x: n * d === x.length ? x : x.slice(0, n * d) };
}

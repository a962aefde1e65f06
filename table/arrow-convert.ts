/**
 * Record batches ↔ `apache-arrow`. Numeric columns become Float64/Float32 vectors over the same
 * buffer (no copy); string columns become Arrow dictionary vectors (Int32 codes → Utf8). Reading,
 * integer and boolean columns widen to f64, null numbers become NaN, strings (plain or dictionary)
 * become dictionary-encoded string columns.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Dictionary, Float32, Float64, Int32, Table as ArrowTable, Type, Utf8, makeVector, tableFromIPC, tableToIPC, vectorFromArray, type RecordBatch, type Vector } from 'apache-arrow';
import { columnAt, concatBatches, encodeStrings, isStringColumn, makeBatch, stringAt, type Batch, type Column, type Field, type StringColumn } from './batch.js';
import { TableError } from './table-error.js';

/**
 * An Arrow table holding `batches`. With string columns the batches are joined first: Arrow's file
 * format allows one dictionary per column, not one per record batch.
 */
export function toArrow(fields: readonly Field[], batches: readonly Batch[]): ArrowTable {
  const joined = batches.length > 1 && fields.some((f) => f.type === 'string') ? [concatBatches(fields, batches)] : batches;
  const tables = joined.map((b) => {
    const vectors: Record<string, Vector> = {};
    fields.forEach((f, i) => {
      const c = columnAt(b, i);
      if (isStringColumn(c)) {
        const strings = Array.from({ length: b.length }, (_, r) => stringAt(c, r));
        vectors[f.name] = vectorFromArray(strings, new Dictionary(new Utf8(), new Int32()));
      } else vectors[f.name] = makeVector(c);
    });
    return new ArrowTable(vectors);
  });
  if (tables.length === 0) return emptyArrow(fields);
  return tables.length === 1 ? (tables[0] as ArrowTable) : (tables[0] as ArrowTable).concat(...tables.slice(1));
}

function emptyArrow(fields: readonly Field[]): ArrowTable {
  const vectors: Record<string, Vector> = {};
  for (const f of fields) {
    vectors[f.name] =
      f.type === 'string'
        ? vectorFromArray([], new Dictionary(new Utf8(), new Int32()))
        : vectorFromArray([], f.type === 'f32' ? new Float32() : new Float64());
  }
  return new ArrowTable(vectors);
}

/** The fields of an Arrow table, or a TableError naming the file and the column Arrow type it cannot hold. */
export function fieldsOfArrow(t: ArrowTable, file: string): Field[] {
  return t.schema.fields.map((f) => {
    const id = f.type.typeId as Type;
    if (id === Type.Float && (f.type as Float32 | Float64).precision === 1) return { name: f.name, type: 'f32' };
    if (id === Type.Float || id === Type.Int || id === Type.Bool || id === Type.Decimal) return { name: f.name, type: 'f64' };
    if (id === Type.Utf8 || id === Type.LargeUtf8 || (id === Type.Dictionary && [Type.Utf8, Type.LargeUtf8].includes((f.type as Dictionary).dictionary.typeId as Type))) {
      return { name: f.name, type: 'string' };
    }
    throw new TableError(file, `column '${f.name}' has Arrow type ${String(f.type)}, which tables do not hold`, 'store it as a float, integer or string column');
  });
}

/** One Arrow record batch as a table batch with `fields`. */
export function fromArrowBatch(rb: RecordBatch, fields: readonly Field[]): Batch {
  const n = rb.numRows;
  const columns = fields.map((f, i): Column => {
    const v = rb.getChildAt(i) as Vector;
    if (f.type === 'string') return stringColumn(v, n);
    const data = v.data[0];
    if (data !== undefined && v.data.length === 1 && data.nullCount === 0 && (data.values instanceof Float64Array || data.values instanceof Float32Array)) {
      return data.values.length === n ? data.values : data.values.subarray(0, n);
    }
    const out = f.type === 'f32' ? new Float32Array(n) : new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const x = v.get(r) as number | bigint | boolean | null;
      out[r] = x === null ? Number.NaN : Number(x);
    }
    return out;
  });
  return makeBatch(fields, columns, n);
}

function stringColumn(v: Vector, n: number): StringColumn {
  const strings: (string | null)[] = new Array(n);
  for (let r = 0; r < n; r++) strings[r] = (v.get(r) as string | null) ?? null;
  return encodeStrings(strings);
}

/** Reads an Arrow IPC file (or stream) into batches, one per Arrow record batch. */
export function readArrowFile(file: string): { fields: Field[]; batches: Batch[] } {
  let t: ArrowTable;
  try {
    t = tableFromIPC(readFileSync(file));
  } catch (err) {
    throw new TableError(file, `is not an Arrow IPC file (${(err as Error).message})`, 'write it with Arrow (pyarrow.feather / ipc) or table.write("x.arrow")', { cause: err });
  }
  const fields = fieldsOfArrow(t, file);
  return { fields, batches: t.batches.map((rb) => fromArrowBatch(rb, fields)) };
}

/** Writes batches as one Arrow IPC file. */
export function writeArrowFile(file: string, fields: readonly Field[], batches: readonly Batch[]): void {
  writeFileSync(file, tableToIPC(toArrow(fields, batches), 'file'));
}

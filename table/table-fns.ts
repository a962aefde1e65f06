/**
 * The per-partition steps of the Table verbs, shipped to workers by name (they import the batch
 * kernels): select, filter and withColumn by expression, the mask and values steps of row-function
 * verbs (the user's row function travels in their env), and row counts.
 */
import { namedFunction } from '../core/index.js';
import { columnAt, filterBatch, isStringColumn, selectBatch, stringAt, withColumnBatch, type Batch, type Field } from './batch.js';
import { evaluate, type ExprNode } from './expr.js';
import type { Row, RowFn } from './table.js';

/** The named columns of each batch. */
export const selectColumns = namedFunction(
  'table.select',
  (it: IterableIterator<Batch>, env: { readonly names: readonly string[] }): Batch[] => Array.from(it, (b) => selectBatch(b, env.names)),
  import.meta.url,
);

/** The rows of each batch where the expression is non-zero (and not missing). */
export const filterByExpr = namedFunction(
  'table.filterByExpr',
  (it: IterableIterator<Batch>, env: { readonly expr: ExprNode }): Batch[] =>
    Array.from(it, (b) => {
      const v = evaluate(env.expr, b);
      const mask = new Uint8Array(b.length);
      for (let r = 0; r < b.length; r++) mask[r] = (v[r] as number) !== 0 && v[r] === v[r] ? 1 : 0;
      return filterBatch(b, mask);
    }),
  import.meta.url,
);

/** Each batch with the expression's values as column `env.name`. */
export const withColumnExpr = namedFunction(
  'table.withColumnExpr',
  (it: IterableIterator<Batch>, env: { readonly name: string; readonly expr: ExprNode }): Batch[] =>
    Array.from(it, (b) => withColumnBatch(b, { name: env.name, type: 'f64' }, evaluate(env.expr, b))),
  import.meta.url,
);

/** The user's row function of a row-function verb, and the values it reads. */
interface RowFnEnv<R> {
  readonly fn: RowFn<R, unknown>;
  readonly env: unknown;
}

/** First half of a row-predicate filter: each batch with a mask of the rows where the function holds. */
export const rowMask = namedFunction(
  'table.rowMask',
  (b: Batch, e: RowFnEnv<unknown>): { readonly batch: Batch; readonly mask: Uint8Array } => {
    const mask = new Uint8Array(b.length);
    visitRows(b, (row, r) => (mask[r] = e.fn(row, e.env) ? 1 : 0));
    return { batch: b, mask };
  },
  import.meta.url,
);

/** First half of a row-function withColumn: each batch with the function's value per row (NaN for a non-number). */
export const rowValues = namedFunction(
  'table.rowValues',
  (b: Batch, e: RowFnEnv<number>): { readonly batch: Batch; readonly values: Float64Array } => {
    const values = new Float64Array(b.length);
    visitRows(b, (row, r) => {
      const out = e.fn(row, e.env);
      values[r] = typeof out === 'number' ? out : Number.NaN;
    });
    return { batch: b, values };
  },
  import.meta.url,
);

/** Calls `visit` with each row of a batch as an object (one object, refilled per row). */
function visitRows(b: Batch, visit: (row: Row, r: number) => void): void {
  const names = b.fields.map((f) => f.name);
  const cols = names.map((_, i) => columnAt(b, i));
  const row: Row = {};
  for (let r = 0; r < b.length; r++) {
    for (let j = 0; j < names.length; j++) {
      const c = cols[j]!;
      row[names[j]!] = isStringColumn(c) ? stringAt(c, r) : (c[r] as number);
    }
    visit(row, r);
  }
}

/** Second half of a row-predicate filter: keep the rows the mask marks. */
export const applyMask = namedFunction(
  'table.applyMask',
  (it: IterableIterator<{ readonly batch: Batch; readonly mask: Uint8Array }>): Batch[] => Array.from(it, (m) => filterBatch(m.batch, m.mask)),
  import.meta.url,
);

/** Second half of a row-function withColumn: attach the computed values. */
export const attachValues = namedFunction(
  'table.attachValues',
  (it: IterableIterator<{ readonly batch: Batch; readonly values: Float64Array }>, env: { readonly field: Field }): Batch[] =>
    Array.from(it, (m) => withColumnBatch(m.batch, env.field, m.values)),
  import.meta.url,
);

/** Rows per partition. */
export const batchLengths = namedFunction(
  'table.batchLengths',
  (it: IterableIterator<Batch>): number[] => {
    let n = 0;
    for (const b of it) n += b.length;
    return [n];
  },
  import.meta.url,
);

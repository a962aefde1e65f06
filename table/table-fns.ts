/**
 * The per-partition steps of the Table verbs, shipped to workers by name (they import the batch
 * kernels): select, filter and withColumn by expression, the mask and values steps of row-function
 * verbs, and row counts.
 */
import { namedFunction } from '../core/index.js';
import { filterBatch, selectBatch, withColumnBatch, type Batch, type Field } from './batch.js';
import { evaluate, type ExprNode } from './expr.js';

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

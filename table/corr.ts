/**
 * `table.corr()` and `table.cov()`: Pearson correlation and sample covariance matrices of numeric
 * columns from one co-moments pass (complete cases: a row with a missing value in any of the
 * columns is left out, as Spark's Statistics.corr requires and pandas' pairwise default does not).
 */
import { numericIndex } from './batch.js';
import { mergeComomentsFn, partitionComoments } from './comoments.js';
import type { Table } from './table.js';
import { TableError } from './table-error.js';

/** A square matrix over named columns. */
export interface ColumnMatrix {
  /** The columns, in row (and column) order of the matrix. */
  readonly columns: string[];
  /** `matrix[i][j]` relates columns[i] and columns[j]; symmetric. */
  readonly matrix: number[][];
  /** Rows used (complete cases). */
  readonly count: number;
}

/** Count, means and the centred cross-product matrix of `columns`, in one distributed pass. */
export async function comoments(table: Table, columns: readonly string[], what: string): Promise<{ n: number; mean: Float64Array; c: Float64Array }> {
  if (columns.length === 0) throw new TableError(what, 'no numeric columns', 'name at least one numeric column');
  const indices = columns.map((c) => numericIndex(table.fields, c, what));
  const d = indices.length;
  // Typed as the plain (any-buffer) Float64Array the merge function takes and returns.
  const zero: Float64Array = new Float64Array(1 + d + d * d);
  const acc = await table.rdd.mapPartitions(partitionComoments, { indices }).treeAggregate(
    zero,
    (a, b, e) => e.merge(a, b),
    (a, b, e) => e.merge(a, b),
    2,
    { merge: mergeComomentsFn },
  );
  return { n: acc[0] as number, mean: acc.slice(1, 1 + d), c: acc.slice(1 + d) };
}

/** Sample covariance (n − 1). */
export async function cov(table: Table, columns: readonly string[] = table.numericColumns): Promise<ColumnMatrix> {
  const { n, c } = await comoments(table, columns, 'cov');
  const d = columns.length;
  return { columns: columns.slice(), count: n, matrix: rows(d, (i, j) => (c[i * d + j] as number) / (n - 1)) };
}

/** Pearson correlation; NaN where a column is constant. */
export async function corr(table: Table, columns: readonly string[] = table.numericColumns): Promise<ColumnMatrix> {
  const { n, c } = await comoments(table, columns, 'corr');
  const d = columns.length;
  return {
    columns: columns.slice(),
    count: n,
    matrix: rows(d, (i, j) => (i === j && (c[i * d + i] as number) > 0 ? 1 : (c[i * d + j] as number) / Math.sqrt((c[i * d + i] as number) * (c[j * d + j] as number)))),
  };
}

function rows(d: number, f: (i: number, j: number) => number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => f(i, j)));
}

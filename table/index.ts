/**
 * voxelflow tables: measurement tables of millions of rows (cells from shapeStats, CSV files,
 * Arrow IPC files) as RDDs of columnar record batches, with Spark DataFrame-style verbs, describe,
 * correlations, the within/between-sample comparison, MLlib-style k-means and PCA, and approximate
 * answers within a time limit.
 *
 * @example
 *   import { Context, col } from 'voxelflow';
 *   const ctx = await Context.create({ master: 'local[2]' });
 *   const cells = ctx.readCsv('cells/*.csv').cache();
 *   console.log(await cells.describe(['volume', 'surface']));
 *   const big = cells.filter(col('volume').gt(100));
 *   const perSample = await big.groupBy('sample').agg({ volume: ['mean', 'std'] }).take(10);
 *   const model = await cells.kmeans({ k: 5, columns: ['volume', 'surface', 'sphericity'], seed: 1 });
 *   const m = await cells.meanApprox('volume', { timeoutMs: 5000, confidence: 0.95 });
 *   await ctx.stop();
 */
import { defineContextMembers, registerErrorClasses, type Context } from '../core/index.js';
import { readArrow, tableFromColumns, tableFromShapeStats, type ColumnValues, type ShapeStatsRow } from './sources.js';
import { readCsv, type ReadCsvOptions } from './read-csv.js';
import type { Table } from './table.js';
import { TableError } from './table-error.js';

declare module '../core/context.js' {
  interface Context {
    /** A table over CSV files: a file, a directory, a glob or a comma list; one partition per file. */
    readCsv(pathOrGlob: string, options?: ReadCsvOptions): Table;
    /** A table over Arrow IPC files; one partition per file. */
    readArrow(pathOrGlob: string): Table;
    /** A table from columns held by the driver. */
    createTable(columns: Readonly<Record<string, ColumnValues>>, numPartitions?: number): Table;
    /** A table of `labels.shapeStats()` rows, one per label. */
    tableFromShapeStats(rows: readonly ShapeStatsRow[], options?: { sample?: string; numPartitions?: number }): Table;
  }
}

// ---- what this entry adds -----------------------------------------------------------------------
defineContextMembers({
  readCsv: {
    value(this: Context, pathOrGlob: string, options?: ReadCsvOptions): Table {
      return readCsv(this, pathOrGlob, options);
    },
  },
  readArrow: {
    value(this: Context, pathOrGlob: string): Table {
      return readArrow(this, pathOrGlob);
    },
  },
  createTable: {
    value(this: Context, columns: Readonly<Record<string, ColumnValues>>, numPartitions?: number): Table {
      return tableFromColumns(this, columns, numPartitions);
    },
  },
  tableFromShapeStats: {
    value(this: Context, rows: readonly ShapeStatsRow[], options?: { sample?: string; numPartitions?: number }): Table {
      return tableFromShapeStats(this, rows, options);
    },
  },
});
// Tasks that parse rows raise TableError: the driver rebuilds it as that class, and the job rejects with it.
registerErrorClasses({ TableError });

export { Table, type Row, type RowFn } from './table.js';
export { GroupedTable, type AggName, type AggSpec } from './group-by.js';
export { Expr, col, lit, type ExprNode } from './expr.js';
export { TableError, isTableError } from './table-error.js';
export type { Batch, Field, ColumnType, Column, NumericColumn, StringColumn } from './batch.js';
export type { ReadCsvOptions } from './read-csv.js';
export type { ColumnValues, ShapeStatsRow } from './sources.js';
export type { ColumnSummary } from './describe.js';
export type { ColumnMatrix } from './corr.js';
export type { WithinBetween } from './within-between.js';
export type { KMeansModel, KMeansOptions } from './kmeans.js';
export type { PcaModel, PcaOptions } from './pca.js';
export type { ApproxOptions, Estimate, TableApprox } from './table-approx.js';
export type { WriteTableOptions } from './write-table.js';

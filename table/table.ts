/**
 * A Table: an RDD of record batches with a schema, Spark's DataFrame for measurement tables. Verbs
 * return new lazy Tables that share columns (select copies nothing); actions run jobs. Per-row
 * JavaScript objects appear only where a user function asks for rows (filter/withColumn with a row
 * function); expressions (`col('a').gt(1)`) run a whole column at a time.
 */
import type { Table as ArrowTable } from 'apache-arrow';
import type { RDD } from '../core/index.js';
import { concatBatches, fieldIndex, numericIndex, numericNames, type Batch, type Field } from './batch.js';
import { corr, cov, type ColumnMatrix } from './corr.js';
import { describe, type ColumnSummary } from './describe.js';
import { Expr, type ExprNode } from './expr.js';
import { GroupedTable } from './group-by.js';
import { kmeans, type KMeansModel, type KMeansOptions } from './kmeans.js';
import { pca, type PcaModel, type PcaOptions } from './pca.js';
import { countApprox, meanApprox, type ApproxOptions, type TableApprox } from './table-approx.js';
import { writeTable, type WriteTableOptions } from './write-table.js';
import { withinBetween, type WithinBetween } from './within-between.js';
import { partitionMoments, mergeMomentsFn, momentsOf } from './moments.js';
import { applyMask, attachValues, batchLengths, filterByExpr, rowMask, rowValues, selectColumns, withColumnExpr } from './table-fns.js';
import { TableError } from './table-error.js';

/** A row as user functions see it: column name → number, string, or null (missing string). */
export type Row = Record<string, number | string | null>;

/** A function of one row; free variables go in `env` (see core's closure rules). */
export type RowFn<R, E> = (row: Row, env: E) => R;

/** A distributed table of record batches with a fixed schema (`fields`). */
export class Table {
  constructor(
    /** The record batches, one or more per partition. */
    readonly rdd: RDD<Batch>,
    /** The schema: every column's name and type, in order. */
    readonly fields: readonly Field[],
  ) {}

  /** Column names, in order. */
  get columns(): string[] {
    return this.fields.map((f) => f.name);
  }

  /** Names of the numeric columns. */
  get numericColumns(): string[] {
    return numericNames(this.fields);
  }

  /** Partitions of the underlying RDD. */
  get numPartitions(): number {
    return this.rdd.getNumPartitions();
  }

  /** Keeps the batches in the executors' block stores after the next job (columns stay raw bytes). */
  cache(): this {
    this.rdd.cache();
    return this;
  }

  /** Stops keeping the batches and frees those kept. */
  unpersist(): this {
    this.rdd.unpersist();
    return this;
  }

  /** The named columns, in that order. */
  select(...names: string[]): Table {
    const flat = names.flat();
    if (flat.length === 0) throw new TableError('select', 'no columns named', `name some of: ${this.columns.join(', ')}`);
    const fields = flat.map((n) => this.fields[fieldIndex(this.fields, n, 'select')] as Field);
    return new Table(this.rdd.mapPartitions(selectColumns, { names: flat }, true), fields);
  }

  /**
   * Rows where `predicate` holds: a column expression (`col('volume').gt(100)`, evaluated a column
   * at a time) or a row function (`(row, env) => row.volume > env.min`, with its free values in `env`).
   */
  filter<E = undefined>(predicate: Expr | RowFn<unknown, E>, env?: E): Table {
    if (predicate instanceof Expr) {
      checkColumns(predicate.node, this.fields, 'filter');
      return new Table(this.rdd.mapPartitions(filterByExpr, { expr: predicate.node }, true), this.fields);
    }
    const masks = this.rdd.map(rowMask, { fn: predicate as RowFn<unknown, unknown>, env });
    return new Table(masks.mapPartitions(applyMask, undefined, true), this.fields);
  }

  /**
   * Adds (or replaces) a numeric column computed from an expression or a row function.
   * `t.withColumn('density', col('mass').div(col('volume')))`.
   */
  withColumn<E = undefined>(name: string, value: Expr | RowFn<number, E>, env?: E): Table {
    if (typeof name !== 'string' || name === '') throw new TableError('withColumn', `bad column name ${JSON.stringify(name)}`, 'give a non-empty name');
    const field: Field = { name, type: 'f64' };
    const fields = this.fields.some((f) => f.name === name) ? this.fields.map((f) => (f.name === name ? field : f)) : [...this.fields, field];
    if (value instanceof Expr) {
      checkColumns(value.node, this.fields, 'withColumn');
      return new Table(this.rdd.mapPartitions(withColumnExpr, { name, expr: value.node }, true), fields);
    }
    const computed = this.rdd.map(rowValues, { fn: value as RowFn<number, unknown>, env });
    return new Table(computed.mapPartitions(attachValues, { field }, true), fields);
  }

  /** A table over `rdd` with this table's fields plus `added` (a field of the same name is replaced). */
  withBatches(rdd: RDD<Batch>, ...added: Field[]): Table {
    let fields = this.fields.slice();
    for (const f of added) fields = fields.some((g) => g.name === f.name) ? fields.map((g) => (g.name === f.name ? f : g)) : [...fields, f];
    return new Table(rdd, fields);
  }

  /** Groups rows by the values of `column`; `.agg({ volume: 'mean' })` says what to compute. */
  groupBy(column: string): GroupedTable {
    return new GroupedTable(this, column, (rdd, fields) => new Table(rdd, fields));
  }

  /** count, mean, std, min, quartiles, max of numeric columns (default: all), like pandas' describe(). */
  describe(columns?: readonly string[]): Promise<ColumnSummary[]> {
    return describe(this, columns);
  }

  /** Pearson correlation matrix of numeric columns (default: all). */
  corr(columns?: readonly string[]): Promise<ColumnMatrix> {
    return corr(this, columns);
  }

  /** Sample covariance matrix of numeric columns (default: all). */
  cov(columns?: readonly string[]): Promise<ColumnMatrix> {
    return cov(this, columns);
  }

  /** Within-sample vs between-sample standard deviation of each column, samples named by column `by`. */
  withinBetween(by: string, columns?: readonly string[]): Promise<WithinBetween[]> {
    return withinBetween(this, by, columns);
  }

  /** k-means (k-means|| or random init), distributed like MLlib's. */
  kmeans(options: KMeansOptions): Promise<KMeansModel> {
    return kmeans(this, options);
  }

  /** Principal components of numeric columns. */
  pca(options: PcaOptions): Promise<PcaModel> {
    return pca(this, options);
  }

  /** The mean of `column` within `timeoutMs`, with a confidence interval (see table-approx.ts). */
  meanApprox(column: string, options: ApproxOptions = {}): Promise<TableApprox> {
    return meanApprox(this, column, options);
  }

  /** The row count within `timeoutMs`, with a confidence interval. */
  countApprox(options: ApproxOptions = {}): Promise<TableApprox> {
    return countApprox(this, options);
  }

  /**
   * Writes the table: one CSV file for `*.csv`, one Arrow IPC file for `*.arrow` / `*.feather`. An
   * existing file is replaced only with `{ overwrite: true }`.
   */
  write(path: string, options: WriteTableOptions = {}): Promise<void> {
    return writeTable(this, path, options);
  }

  /** Number of rows. */
  async count(): Promise<number> {
    return (await this.rdd.mapPartitions(batchLengths).collect()).reduce((a, b) => a + b, 0);
  }

  /** Every batch, in partition order (the rows come to the driver: for small tables and results). */
  async collectBatches(): Promise<Batch[]> {
    return this.rdd.collect();
  }

  /** The whole table as one batch on the driver. */
  async collectBatch(): Promise<Batch> {
    return concatBatches(this.fields, await this.collectBatches());
  }

  /** The whole table as an Arrow table on the driver. */
  async collect(): Promise<ArrowTable> {
    const { toArrow } = await import('./arrow-convert.js');
    return toArrow(this.fields, await this.collectBatches());
  }

  /** The first `n` rows as objects (for printing and tests). */
  async take(n: number): Promise<Row[]> {
    const { batchRows } = await import('./rows.js');
    const rows: Row[] = [];
    for (const b of await this.rdd.take(Math.max(1, n))) {
      rows.push(...batchRows(b, n - rows.length));
      if (rows.length >= n) break;
    }
    return rows.slice(0, n);
  }

  /** Count, mean, std (sample), min, max and sum of numeric column `name` in one pass. */
  async stats(name: string): Promise<{
    /** Values that are not missing. */
    count: number;
    /** Their mean (NaN for none). */
    mean: number;
    /** Sample standard deviation (n − 1; NaN below 2 values). */
    std: number;
    /** Sample variance (n − 1; NaN below 2 values). */
    variance: number;
    /** Smallest value (NaN for none). */
    min: number;
    /** Largest value (NaN for none). */
    max: number;
    /** Sum of the values. */
    sum: number;
  }> {
    const i = numericIndex(this.fields, name, 'stats');
    const m = await this.rdd.mapPartitions(partitionMoments, { indices: [i] }).reduce(mergeMomentsFn);
    return momentsOf(m, 0);
  }

  /** Mean of numeric column `name` (missing values skipped); NaN for no values. */
  async mean(name: string): Promise<number> {
    return (await this.stats(name)).mean;
  }
}

/** Every column an expression names must exist (checked on the driver, before any task runs). */
function checkColumns(node: ExprNode, fields: readonly Field[], what: string): void {
  if ('col' in node) fieldIndex(fields, node.col, what);
  else if ('args' in node) for (const a of node.args) checkColumns(a, fields, what);
}

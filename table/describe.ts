/**
 * `table.describe()`: count, mean, std, min, quartiles and max of each numeric column, as pandas'
 * describe() gives them (std with n − 1; quartiles interpolated linearly, numpy's default), from
 * one moments pass and the exact distributed quantile search (quantiles.ts). No row is collected.
 */
import { numericIndex } from './batch.js';
import { mergeMomentsFn, momentsOf, partitionMoments } from './moments.js';
import { exactQuantiles } from './quantiles.js';
import type { Table } from './table.js';

/** The summary of one column. */
export interface ColumnSummary {
  /** The column's name. */
  readonly column: string;
  /** Values that are not missing (NaN). */
  readonly count: number;
  /** Mean of those values. */
  readonly mean: number;
  /** Sample standard deviation (n − 1), as pandas gives it. */
  readonly std: number;
  /** Smallest value. */
  readonly min: number;
  /** First quartile (linear interpolation, numpy's default). */
  readonly q25: number;
  /** Median. */
  readonly median: number;
  /** Third quartile. */
  readonly q75: number;
  /** Largest value. */
  readonly max: number;
}

/** Summaries of `columns` (default: every numeric column): one moments pass and an exact distributed quantile search; no row is collected. */
export async function describe(table: Table, columns: readonly string[] = table.numericColumns): Promise<ColumnSummary[]> {
  if (columns.length === 0) return [];
  const indices = columns.map((c) => numericIndex(table.fields, c, 'describe'));
  const m = await table.rdd.mapPartitions(partitionMoments, { indices }).reduce(mergeMomentsFn);
  const stats = columns.map((_, j) => momentsOf(m, j));
  const q = await exactQuantiles(table.rdd, indices, stats, [0.25, 0.5, 0.75]);
  return columns.map((column, j) => {
    const s = stats[j]!;
    const [q25, median, q75] = q[j] as [number, number, number];
    return { column, count: s.count, mean: s.mean, std: s.std, min: s.min, q25, median, q75, max: s.max };
  });
}

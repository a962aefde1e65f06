/**
 * The comparison the original bone-cell study asked for: is a measurement more variable within a
 * sample than between samples? Per column, from per-sample moments (one groupBy pass):
 *   within  = pooled within-sample standard deviation, sqrt(Σ_s M2_s / (N − S))
 *   between = standard deviation of the S sample means (n − 1)
 *   ratio   = within / between  (> 1: cells of one sample differ more than samples do)
 * Rows whose sample is missing are left out; a sample with no value of a column does not count for it.
 */
import { fieldIndex, numericIndex } from './batch.js';
import { groupMoments, mergeMomentsFn, momentsOf } from './moments.js';
import type { Table } from './table.js';
import { TableError } from './table-error.js';

/** One column's comparison. */
export interface WithinBetween {
  /** The column compared. */
  readonly column: string;
  /** Samples S with at least one value of the column. */
  readonly samples: number;
  /** Values N used, over all those samples. */
  readonly count: number;
  /** Pooled within-sample standard deviation, sqrt(Σ_s M2_s / (N − S)); NaN when N <= S. */
  readonly within: number;
  /** Standard deviation of the S sample means (n − 1); NaN with fewer than 2 samples. */
  readonly between: number;
  /** within / between: above 1, values of one sample differ more than samples do. */
  readonly ratio: number;
}

/** The comparison for each numeric column (default: all but `by`), samples named by column `by`. */
export async function withinBetween(table: Table, by: string, columns?: readonly string[]): Promise<WithinBetween[]> {
  const byIndex = fieldIndex(table.fields, by, 'withinBetween');
  const cols = (columns ?? table.numericColumns).filter((c) => c !== by);
  if (cols.length === 0) throw new TableError('withinBetween', 'no numeric columns besides the sample column', 'name the columns to compare');
  const indices = cols.map((c) => numericIndex(table.fields, c, 'withinBetween'));
  const groups = await table.rdd.mapPartitions(groupMoments, { by: byIndex, indices }).reduceByKey(mergeMomentsFn).collect();
  const present = groups.filter(([k]) => k !== null);
  return cols.map((column, j) => {
    let n = 0;
    let m2 = 0;
    const means: number[] = [];
    for (const [, m] of present) {
      const s = momentsOf(m, j);
      if (s.count === 0) continue;
      n += s.count;
      m2 += m[j * 5 + 2] as number;
      means.push(s.mean);
    }
    const S = means.length;
    const within = n > S ? Math.sqrt(m2 / (n - S)) : Number.NaN;
    const grand = means.reduce((a, b) => a + b, 0) / S;
    const between = S > 1 ? Math.sqrt(means.reduce((a, x) => a + (x - grand) * (x - grand), 0) / (S - 1)) : Number.NaN;
    return { column, samples: S, count: n, within, between, ratio: within / between };
  });
}

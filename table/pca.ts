/**
 * PCA on numeric columns, as MLlib's RowMatrix.computePrincipalComponentsAndExplainedVariance: the
 * covariance matrix from one distributed co-moments pass (treeAggregate of per-partition partials),
 * then the eigen-decomposition of that d × d matrix on the driver. With `standardize`, columns are
 * scaled to unit variance first (PCA of the correlation matrix). Each component's sign is fixed so
 * that its largest-magnitude loading is positive, so results are deterministic.
 */
import { namedFunction } from '../core/index.js';
import { columnAt, numericIndex, withColumnBatch, type Batch, type NumericColumn } from './batch.js';
import { comoments } from './corr.js';
import { symmetricEigen } from './eigen.js';
import type { Table } from './table.js';
import { TableError } from './table-error.js';

/** Options of `table.pca`. */
export interface PcaOptions {
  /** Number of components to keep (at most the number of columns). */
  readonly k: number;
  /** Numeric columns to decompose (default: all numeric columns). */
  readonly columns?: readonly string[];
  /** Scale each column to unit variance before the decomposition (default false). */
  readonly standardize?: boolean;
}

/** What `table.pca` returns; `project` adds the component scores to a table. */
export interface PcaModel {
  /** The columns decomposed, in the order of each component's loadings. */
  readonly columns: readonly string[];
  /** components[i] is the i-th principal axis (length d, unit norm), in decreasing variance. */
  readonly components: number[][];
  /** Variance along each component (eigenvalues of the covariance, n − 1). */
  readonly explainedVariance: number[];
  /** Share of the total variance along each component. */
  readonly explainedVarianceRatio: number[];
  /** Mean of each column over the complete rows (subtracted before projecting). */
  readonly mean: number[];
  /** Per-column divisor applied after centring (the std with standardize, else 1). */
  readonly scale: number[];
  /** Rows used (complete cases). */
  readonly count: number;
  /** `table` with columns `${prefix}1..${prefix}k`: the centred (and scaled) rows projected on the components. */
  project(table: Table, prefix?: string): Table;
}

/** Adds the projections of each row as k new columns. */
export const projectRows = namedFunction(
  'table.pcaProject',
  (it: IterableIterator<Batch>, env: { readonly indices: readonly number[]; readonly mean: Float64Array; readonly scale: Float64Array; readonly components: Float64Array; readonly k: number; readonly prefix: string }): Batch[] =>
    Array.from(it, (b) => {
      const d = env.indices.length;
      const cols = env.indices.map((i) => columnAt(b, i) as NumericColumn);
      const outs = Array.from({ length: env.k }, () => new Float64Array(b.length));
      const z = new Float64Array(d);
      for (let r = 0; r < b.length; r++) {
        for (let j = 0; j < d; j++) z[j] = (((cols[j] as NumericColumn)[r] as number) - (env.mean[j] as number)) / (env.scale[j] as number);
        for (let c = 0; c < env.k; c++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += (z[j] as number) * (env.components[c * d + j] as number);
          (outs[c] as Float64Array)[r] = s;
        }
      }
      let out = b;
      outs.forEach((values, c) => (out = withColumnBatch(out, { name: `${env.prefix}${c + 1}`, type: 'f64' }, values)));
      return out;
    }),
  import.meta.url,
);

/** Principal components of the complete rows of `options.columns` (see the module comment). */
export async function pca(table: Table, options: PcaOptions): Promise<PcaModel> {
  const columns = options.columns ?? table.numericColumns;
  const d = columns.length;
  const { k, standardize = false } = options;
  if (!Number.isInteger(k) || k < 1 || k > d) throw new TableError('pca', `k must be an integer in 1..${d} (the number of columns), got ${String(k)}`, 'pass e.g. { k: 2 }');
  const { n, mean, c } = await comoments(table, columns, 'pca');
  if (n < 2) throw new TableError('pca', `needs at least 2 complete rows, got ${n}`, 'use columns with fewer missing values');
  const cov = Float64Array.from(c, (x) => x / (n - 1));
  const scale = new Float64Array(d).fill(1);
  if (standardize) {
    for (let j = 0; j < d; j++) {
      const s = Math.sqrt(cov[j * d + j] as number);
      if (!(s > 0)) throw new TableError('pca', `column '${columns[j]}' is constant, it cannot be standardized`, 'leave it out, or pass standardize: false');
      scale[j] = s;
    }
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] = (cov[i * d + j] as number) / ((scale[i] as number) * (scale[j] as number));
  }
  const { values, vectors } = symmetricEigen(cov, d);
  const components: number[][] = [];
  for (let i = 0; i < k; i++) {
    const v = Array.from({ length: d }, (_, j) => vectors[j * d + i] as number);
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(v[j] as number) > Math.abs(v[big] as number)) big = j;
    components.push((v[big] as number) < 0 ? v.map((x) => -x) : v);
  }
  const total = values.reduce((a, b) => a + Math.max(0, b), 0);
  const explainedVariance = Array.from(values.subarray(0, k), (x) => Math.max(0, x));
  const flat = Float64Array.from(components.flat());
  return {
    columns: columns.slice(),
    components,
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((x) => x / total),
    mean: Array.from(mean),
    scale: Array.from(scale),
    count: n,
    project: (t: Table, prefix = 'pc') => {
      const indices = columns.map((name) => numericIndex(t.fields, name, 'project'));
      const rdd = t.rdd.mapPartitions(projectRows, { indices, mean, scale, components: flat, k, prefix }, true);
      let out = t;
      for (let i = 1; i <= k; i++) out = out.withBatches(rdd, { name: `${prefix}${i}`, type: 'f64' });
      return out;
    },
  };
}

/**
 * k-means on numeric columns, distributed as MLlib does it: points are cached once as row-major
 * arrays; every Lloyd iteration is one pass that returns per-center sums and counts per partition,
 * combined with treeAggregate; no row reaches the driver. Initialization is k-means|| (Bahmani et
 * al. 2012: `initSteps` rounds that each keep every point with probability ∝ its cost, oversampling
 * l = 2k, then a weighted k-means++ on the driver over the few candidates) or 'random' (k distinct
 * rows). Seeded: the same seed and partitioning give the same centers on any master.
 * Rows with a missing value in a chosen column are left out.
 */
import { makeRng, type RDD } from '../core/index.js';
import { numericIndex } from './batch.js';
import { assignClusters, candidateWeights, costPartials, lloydPartials, pickRows, pointCounts, sampleCandidates } from './kmeans-steps.js';
import { addArrays, squaredDistance, toPoints, type Points } from './points.js';
import type { Table } from './table.js';
import { TableError } from './table-error.js';

/** Options of `table.kmeans`. */
export interface KMeansOptions {
  /** Number of clusters (at most the number of complete rows). */
  readonly k: number;
  /** Numeric columns to cluster on (default: all numeric columns). */
  readonly columns?: readonly string[];
  /** Most Lloyd iterations (default 20). */
  readonly maxIter?: number;
  /** Converged when no center moves farther than this (default 1e-4, MLlib's epsilon). */
  readonly tol?: number;
  /** Seed of the initialization (default 1): the same seed and partitioning give the same centers. */
  readonly seed?: number;
  /** 'k-means||' (default, MLlib's) or 'random' (k distinct rows). */
  readonly init?: 'k-means||' | 'random';
  /** k-means|| rounds (default 2, as MLlib). */
  readonly initSteps?: number;
}

/** What kmeans returns; `assign` adds the cluster column to a table. */
export interface KMeansModel {
  /** The columns clustered on, in the order of each center's coordinates. */
  readonly columns: readonly string[];
  /** Number of clusters. */
  readonly k: number;
  /** The final centers, one array of coordinates per cluster. */
  readonly centers: number[][];
  /** The centers the initialization chose, before the Lloyd iterations. */
  readonly initialCenters: number[][];
  /** Cost (sum of squared distances to the nearest center) of each iteration, before its update. */
  readonly costs: number[];
  /** Wall time of each Lloyd iteration, ms (a job each: one pass over the cached points). */
  readonly iterationMs: number[];
  /** Lloyd iterations run. */
  readonly iterations: number;
  /** Whether no center moved farther than `tol` before maxIter was reached. */
  readonly converged: boolean;
  /** Rows used (complete cases). */
  readonly count: number;
  /** `table` with column `name` (default 'cluster'): the index of each row's nearest center. */
  assign(table: Table, name?: string): Table;
}

/** Clusters the complete rows of `options.columns` into k groups (see the module comment). */
export async function kmeans(table: Table, options: KMeansOptions): Promise<KMeansModel> {
  const o = checkOptions(table, options);
  const indices = o.columns.map((c) => numericIndex(table.fields, c, 'kmeans'));
  const d = indices.length;
  const points = table.rdd.mapPartitions(toPoints, { indices }).cache();
  try {
    const counts = await points.mapPartitions(pointCounts).collect();
    const count = counts.reduce((a, b) => a + b, 0);
    if (count < o.k) throw new TableError('kmeans', `k = ${o.k} but only ${count} complete rows`, 'choose a smaller k, or columns with fewer missing values');
    const rand = makeRng(o.seed);
    const initial = o.init === 'random' ? await pick(points, counts, distinctIndices(count, o.k, rand), d) : await kMeansParallel(points, counts, o, d, rand);
    const { centers, costs, converged, iterationMs } = await lloyd(points, initial, o, d);
    const model: KMeansModel = {
      columns: o.columns,
      k: o.k,
      centers: toRows(centers, d),
      initialCenters: toRows(initial, d),
      costs,
      iterationMs,
      iterations: costs.length,
      converged,
      count,
      assign: (t: Table, name = 'cluster') => {
        const idx = o.columns.map((c) => numericIndex(t.fields, c, 'assign'));
        return t.withBatches(t.rdd.mapPartitions(assignClusters, { centers, k: o.k, d, indices: idx, name }, true), { name, type: 'f64' });
      },
    };
    return model;
  } finally {
    points.unpersist();
  }
}

type Checked = Required<Omit<KMeansOptions, 'columns'>> & { readonly columns: readonly string[] };

function checkOptions(table: Table, options: KMeansOptions): Checked {
  const { k, maxIter = 20, tol = 1e-4, seed = 1, init = 'k-means||', initSteps = 2 } = options;
  const columns = options.columns ?? table.numericColumns;
  if (!Number.isInteger(k) || k < 1) throw new TableError('kmeans', `k must be a positive integer, got ${String(k)}`, 'pass e.g. { k: 5 }');
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new TableError('kmeans', `maxIter must be a positive integer, got ${String(maxIter)}`, 'pass e.g. { maxIter: 20 }');
  if (!(tol >= 0)) throw new TableError('kmeans', `tol must be >= 0, got ${String(tol)}`, 'pass e.g. { tol: 1e-4 }');
  if (init !== 'k-means||' && init !== 'random') throw new TableError('kmeans', `init must be 'k-means||' or 'random', got ${JSON.stringify(init)}`, "pass { init: 'random' } or leave it out");
  if (!Number.isInteger(initSteps) || initSteps < 1) throw new TableError('kmeans', `initSteps must be a positive integer, got ${String(initSteps)}`, 'pass e.g. { initSteps: 2 }');
  if (columns.length === 0) throw new TableError('kmeans', 'no numeric columns', 'name the columns to cluster with { columns: [...] }');
  return { k, maxIter, tol, seed, init, initSteps, columns };
}

async function lloyd(points: RDD<Points>, initial: Float64Array, o: Checked, d: number): Promise<{ centers: Float64Array; costs: number[]; converged: boolean; iterationMs: number[] }> {
  const k = o.k;
  let centers = initial;
  const costs: number[] = [];
  const iterationMs: number[] = [];
  let converged = false;
  for (let iter = 0; iter < o.maxIter && !converged; iter++) {
    const t0 = performance.now();
    const acc = await points.mapPartitions(lloydPartials, { centers, k, d }).treeAggregate(new Float64Array(k * d + k + 1), addArrays, addArrays);
    costs.push(acc[k * d + k] as number);
    iterationMs.push(performance.now() - t0);
    const next = centers.slice();
    converged = true;
    for (let c = 0; c < k; c++) {
      const n = acc[k * d + c] as number;
      if (n === 0) continue; // an empty cluster keeps its center, as MLlib's does
      for (let j = 0; j < d; j++) next[c * d + j] = (acc[c * d + j] as number) / n;
      if (squaredDistance(next, c, centers, c, d) > o.tol * o.tol) converged = false;
    }
    centers = next;
  }
  return { centers, costs, converged, iterationMs };
}

/** k-means||: candidates by cost-proportional sampling, then weighted k-means++ on the driver. */
async function kMeansParallel(points: RDD<Points>, counts: readonly number[], o: Checked, d: number, rand: () => number): Promise<Float64Array> {
  const first = await pick(points, counts, [Math.floor(rand() * counts.reduce((a, b) => a + b, 0))], d);
  const candidates = Array.from(first);
  const l = 2 * o.k;
  for (let round = 0; round < o.initSteps; round++) {
    const centers = Float64Array.from(candidates);
    const k = centers.length / d;
    const total = (await points.mapPartitions(costPartials, { centers, k, d }).treeAggregate(new Float64Array(1), addArrays, addArrays))[0] as number;
    if (!(total > 0)) break; // every point is a candidate already
    const picked = await points.mapPartitionsWithIndex(sampleCandidates, { centers, k, d, l, total, seed: o.seed, round }).collect();
    for (const p of picked) candidates.push(...p);
  }
  const cands = Float64Array.from(candidates);
  const m = cands.length / d;
  if (m <= o.k) return pad(cands, o.k, d, rand);
  const weights = await points.mapPartitions(candidateWeights, { centers: cands, k: m, d }).treeAggregate(new Float64Array(m), addArrays, addArrays);
  return localKMeansPlusPlus(cands, weights, o.k, d, rand, 30);
}

/** Fewer candidates than k (tiny or duplicate-heavy data): every candidate, then random repeats. */
function pad(cands: Float64Array, k: number, d: number, rand: () => number): Float64Array {
  const out = new Float64Array(k * d);
  const m = cands.length / d;
  for (let c = 0; c < k; c++) {
    const src = c < m ? c : Math.floor(rand() * m);
    out.set(cands.subarray(src * d, src * d + d), c * d);
  }
  return out;
}

/** Weighted k-means++ seeding followed by weighted Lloyd iterations (MLlib's LocalKMeans). */
export function localKMeansPlusPlus(points: Float64Array, weights: Float64Array, k: number, d: number, rand: () => number, maxIter: number): Float64Array {
  const m = points.length / d;
  const centers = new Float64Array(k * d);
  const choose = (w: (i: number) => number): number => {
    let total = 0;
    for (let i = 0; i < m; i++) total += w(i);
    let r = rand() * total;
    for (let i = 0; i < m; i++) {
      r -= w(i);
      if (r < 0) return i;
    }
    return m - 1;
  };
  const firstIdx = choose((i) => weights[i] as number);
  centers.set(points.subarray(firstIdx * d, firstIdx * d + d), 0);
  const cost = new Float64Array(m);
  for (let i = 0; i < m; i++) cost[i] = squaredDistance(points, i, centers, 0, d);
  for (let c = 1; c < k; c++) {
    const idx = choose((i) => (weights[i] as number) * (cost[i] as number));
    centers.set(points.subarray(idx * d, idx * d + d), c * d);
    for (let i = 0; i < m; i++) cost[i] = Math.min(cost[i] as number, squaredDistance(points, i, centers, c, d));
  }
  for (let iter = 0; iter < maxIter; iter++) {
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    let moved = false;
    for (let i = 0; i < m; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const dist = squaredDistance(points, i, centers, c, d);
        if (dist < bestD) {
          bestD = dist;
          best = c;
        }
      }
      const w = weights[i] as number;
      counts[best] = (counts[best] as number) + w;
      for (let j = 0; j < d; j++) sums[best * d + j] = (sums[best * d + j] as number) + w * (points[i * d + j] as number);
    }
    for (let c = 0; c < k; c++) {
      if ((counts[c] as number) === 0) {
        // An empty cluster takes a random candidate (MLlib does the same).
        const idx = Math.floor(rand() * m);
        centers.set(points.subarray(idx * d, idx * d + d), c * d);
        continue;
      }
      for (let j = 0; j < d; j++) {
        const v = (sums[c * d + j] as number) / (counts[c] as number);
        if (v !== centers[c * d + j]) moved = true;
        centers[c * d + j] = v;
      }
    }
    if (!moved) break;
  }
  return centers;
}

/** The rows at global positions `wanted` (in the order given), from cached points. */
async function pick(points: RDD<Points>, counts: readonly number[], wanted: readonly number[], d: number): Promise<Float64Array> {
  const byPartition: Record<number, number[]> = {};
  const keys = wanted.map((g) => {
    let p = 0;
    let base = 0;
    while (g >= base + (counts[p] as number)) base += counts[p++] as number;
    (byPartition[p] ??= []).push(g - base);
    return `${p}:${g - base}`;
  });
  const found = new Map<string, Float64Array>();
  for (const [p, r, row] of await points.mapPartitionsWithIndex(pickRows, { wanted: byPartition }).collect()) found.set(`${p}:${r}`, row);
  const out = new Float64Array(wanted.length * d);
  keys.forEach((key, i) => out.set(found.get(key) as Float64Array, i * d));
  return out;
}

function distinctIndices(n: number, k: number, rand: () => number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(Math.floor(rand() * n));
  return [...chosen];
}

function toRows(a: Float64Array, d: number): number[][] {
  return Array.from({ length: a.length / d }, (_, c) => Array.from(a.subarray(c * d, c * d + d)));
}

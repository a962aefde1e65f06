/**
 * The distributed steps of k-means, as MLlib runs them (org.apache.spark.mllib.clustering.KMeans):
 * each is one pass over cached points returning a small partial per partition, combined with
 * treeAggregate. Centers travel in the task's env as one Float64Array (k × d).
 */
import { makeRng, namedFunction } from '../core/index.js';
import { columnAt, withColumnBatch, type Batch, type NumericColumn } from './batch.js';
import { mixSeed, nearest, squaredDistance, type Points } from './points.js';

interface CentersEnv {
  readonly centers: Float64Array;
  readonly k: number;
  readonly d: number;
}

/** One Lloyd pass: per center the coordinate sums and count, then the total cost: k·d + k + 1 numbers. */
export const lloydPartials = namedFunction(
  'table.kmeansLloyd',
  (it: IterableIterator<Points>, env: CentersEnv): Float64Array[] => {
    const { centers, k, d } = env;
    const acc = new Float64Array(k * d + k + 1);
    const dist = new Float64Array(1);
    for (const p of it) {
      const x = p.x;
      for (let r = 0; r < p.n; r++) {
        const c = nearest(x, r, centers, k, d, dist);
        const o = c * d;
        const q = r * d;
        for (let j = 0; j < d; j++) acc[o + j] = (acc[o + j] as number) + (x[q + j] as number);
        acc[k * d + c] = (acc[k * d + c] as number) + 1;
        acc[k * d + k] = (acc[k * d + k] as number) + (dist[0] as number);
      }
    }
    return [acc];
  },
  import.meta.url,
);

/** Sum over points of the squared distance to the nearest center (k-means|| normalizer). */
export const costPartials = namedFunction(
  'table.kmeansCost',
  (it: IterableIterator<Points>, env: CentersEnv): Float64Array[] => {
    const dist = new Float64Array(1);
    let cost = 0;
    for (const p of it) for (let r = 0; r < p.n; r++) cost += (nearest(p.x, r, env.centers, env.k, env.d, dist), dist[0] as number);
    return [Float64Array.of(cost)];
  },
  import.meta.url,
);

/**
 * One k-means|| round: each point joins the candidates with probability min(1, l · cost / total),
 * drawn from a generator seeded by (seed, round, partition), so the result does not depend on which
 * thread ran the partition.
 */
export const sampleCandidates = namedFunction(
  'table.kmeansSample',
  (index: number, it: IterableIterator<Points>, env: CentersEnv & { readonly l: number; readonly total: number; readonly seed: number; readonly round: number }): Float64Array[] => {
    const rand = makeRng(mixSeed(env.seed, env.round, index));
    const dist = new Float64Array(1);
    const picked: number[] = [];
    for (const p of it) {
      for (let r = 0; r < p.n; r++) {
        nearest(p.x, r, env.centers, env.k, env.d, dist);
        if (rand() < (env.l * (dist[0] as number)) / env.total) for (let j = 0; j < env.d; j++) picked.push(p.x[r * env.d + j] as number);
      }
    }
    return [Float64Array.from(picked)];
  },
  import.meta.url,
);

/** How many points are nearest to each candidate (the weights of the local k-means++). */
export const candidateWeights = namedFunction(
  'table.kmeansWeights',
  (it: IterableIterator<Points>, env: CentersEnv): Float64Array[] => {
    const w = new Float64Array(env.k);
    const dist = new Float64Array(1);
    for (const p of it) for (let r = 0; r < p.n; r++) {
      const c = nearest(p.x, r, env.centers, env.k, env.d, dist);
      w[c] = (w[c] as number) + 1;
    }
    return [w];
  },
  import.meta.url,
);

/** [partition, local position, row] for the wanted positions of each partition (random init, the first k-means|| center). */
export const pickRows = namedFunction(
  'table.pickRows',
  (index: number, it: IterableIterator<Points>, env: { readonly wanted: Readonly<Record<number, readonly number[]>> }): [number, number, Float64Array][] => {
    const want = env.wanted[index] ?? [];
    const out: [number, number, Float64Array][] = [];
    let base = 0;
    for (const p of it) {
      for (const r of want) if (r >= base && r < base + p.n) out.push([index, r, p.x.slice((r - base) * p.d, (r - base + 1) * p.d)]);
      base += p.n;
    }
    return out;
  },
  import.meta.url,
);

/** Points per partition. */
export const pointCounts = namedFunction(
  'table.pointCounts',
  (it: IterableIterator<Points>): number[] => {
    let n = 0;
    for (const p of it) n += p.n;
    return [n];
  },
  import.meta.url,
);

/** Adds the nearest center's index as column `name` (NaN for a row with a missing value). */
export const assignClusters = namedFunction(
  'table.kmeansAssign',
  (it: IterableIterator<Batch>, env: CentersEnv & { readonly indices: readonly number[]; readonly name: string }): Batch[] =>
    Array.from(it, (b) => {
      const cols = env.indices.map((i) => columnAt(b, i) as NumericColumn);
      const row = new Float64Array(env.d);
      const out = new Float64Array(b.length);
      for (let r = 0; r < b.length; r++) {
        let ok = true;
        for (let j = 0; j < env.d; j++) {
          const v = (cols[j] as NumericColumn)[r] as number;
          row[j] = v;
          if (v !== v) ok = false;
        }
        let best = Number.NaN;
        if (ok) {
          let bestD = Infinity;
          for (let c = 0; c < env.k; c++) {
            const dist = squaredDistance(row, 0, env.centers, c, env.d);
            if (dist < bestD) {
              bestD = dist;
              best = c;
            }
          }
        }
        out[r] = best;
      }
      return withColumnBatch(b, { name: env.name, type: 'f64' }, out);
    }),
  import.meta.url,
);


/**
 * k-means and PCA against brute-force single-thread implementations on the same data (Lloyd's
 * iterations from the same initial centers; the covariance matrix summed row by row and its
 * eigenpairs checked by definition), against numpy where python3 and numpy exist, and for
 * determinism across masters.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '../../index.js';
import { normal, numpyMissing, python, rng, tempFiles } from './helpers.js';

const files = tempFiles();
const missing = numpyMissing();

/** Three Gaussian clusters in 4 dimensions, 1500 points, seeded. */
function clusters(seed: number): number[][] {
  const rand = rng(seed);
  const centers = [
    [0, 0, 0, 0],
    [8, 8, 0, 2],
    [-6, 5, 9, -3],
  ];
  return Array.from({ length: 1500 }, (_, i) => (centers[i % 3] as number[]).map((c, j) => c + normal(rand) * (1 + j * 0.3)));
}

function columns(points: number[][]): Record<string, number[]> {
  return Object.fromEntries(['a', 'b', 'c', 'd'].map((name, j) => [name, points.map((p) => p[j] as number)]));
}

/** Lloyd's algorithm, one point at a time, as the textbook writes it. */
function bruteLloyd(points: number[][], initial: number[][], maxIter: number, tol: number): { centers: number[][]; costs: number[] } {
  let centers = initial.map((c) => c.slice());
  const costs: number[] = [];
  for (let iter = 0; iter < maxIter; iter++) {
    const sums = centers.map((c) => c.map(() => 0));
    const counts = centers.map(() => 0);
    let cost = 0;
    for (const p of points) {
      const dists = centers.map((c) => c.reduce((a, x, j) => a + (x - (p[j] as number)) ** 2, 0));
      const best = dists.indexOf(Math.min(...dists));
      cost += dists[best] as number;
      counts[best]!++;
      p.forEach((x, j) => (sums[best]![j]! += x));
    }
    costs.push(cost);
    const next = centers.map((c, k) => (counts[k] === 0 ? c : sums[k]!.map((s) => s / counts[k]!)));
    const moved = next.some((c, k) => c.reduce((a, x, j) => a + (x - centers[k]![j]!) ** 2, 0) > tol * tol);
    centers = next;
    if (!moved) break;
  }
  return { centers, costs };
}

function expectMatrixClose(got: number[][], want: number[][], digits: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(want[i]![j]!, digits)));
}

let local2: Context;
let local1: Context;
beforeAll(async () => {
  local2 = await Context.create({ master: 'local[2]' });
  local1 = await Context.create({ master: 'local[1]' });
});
afterAll(async () => {
  await local2.stop();
  await local1.stop();
});

describe('kmeans', () => {
  const points = clusters(3);

  it.each(['k-means||', 'random'] as const)('with %s init equals Lloyd from the same initial centers', async (init) => {
    const t = local2.createTable(columns(points), 6);
    const model = await t.kmeans({ k: 3, columns: ['a', 'b', 'c', 'd'], seed: 7, init, maxIter: 30 });
    const brute = bruteLloyd(points, model.initialCenters, 30, 1e-4);
    expectMatrixClose(model.centers, brute.centers, 9);
    expect(model.costs.length).toBe(brute.costs.length);
    model.costs.forEach((c, i) => expect(c).toBeCloseTo(brute.costs[i]!, 6));
    expect(model.count).toBe(1500);
  });

  it('k-means|| finds well-separated clusters: each true cluster maps to one center', async () => {
    const t = local2.createTable(columns(points), 6);
    const model = await t.kmeans({ k: 3, columns: ['a', 'b', 'c', 'd'], seed: 1 });
    expect(model.converged).toBe(true);
    const assigned = await model.assign(t).select('cluster').collectBatch();
    const labels = Array.from(assigned.c0 as Float64Array);
    for (let truth = 0; truth < 3; truth++) {
      const mine = new Set(labels.filter((_, i) => i % 3 === truth));
      expect(mine.size).toBe(1);
    }
    expect(new Set(labels).size).toBe(3);
  });

  it('is deterministic for a seed, on local[1] and local[2] alike', async () => {
    const a = await local2.createTable(columns(points), 5).kmeans({ k: 4, seed: 42 });
    const b = await local1.createTable(columns(points), 5).kmeans({ k: 4, seed: 42 });
    expect(b.centers).toEqual(a.centers);
    expect(b.costs).toEqual(a.costs);
  });

  it('rejects k larger than the number of complete rows, naming both', async () => {
    const t = local2.createTable({ a: [1, 2, Number.NaN] }, 1);
    await expect(t.kmeans({ k: 3 })).rejects.toThrow('kmeans: k = 3 but only 2 complete rows; choose a smaller k, or columns with fewer missing values');
  });

  it.skipIf(missing !== null)(`agrees with numpy Lloyd iterations from the same start${missing === null ? '' : ` (skipped: ${missing} is missing)`}`, async () => {
    const t = local2.createTable(columns(points), 4);
    const model = await t.kmeans({ k: 3, seed: 9, maxIter: 10, tol: 0 });
    const file = join(files.dir, 'km.json');
    writeFileSync(file, JSON.stringify({ points, init: model.initialCenters, iters: model.iterations }));
    const numpy = python(
      `import json, sys
import numpy as np
d = json.load(open(sys.argv[1]))
x = np.array(d['points']); c = np.array(d['init'])
for _ in range(d['iters']):
    dist = ((x[:, None, :] - c[None, :, :]) ** 2).sum(axis=2)
    a = dist.argmin(axis=1)
    c = np.array([x[a == k].mean(axis=0) if (a == k).any() else c[k] for k in range(len(c))])
print(json.dumps(c.tolist()))`,
      [file],
    ) as number[][];
    expectMatrixClose(model.centers, numpy, 9);
  });
});

describe('pca', () => {
  const points = clusters(5);

  /** Sample covariance summed row by row. */
  function bruteCov(rows: number[][]): number[][] {
    const d = rows[0]!.length;
    const mean = Array.from({ length: d }, (_, j) => rows.reduce((a, r) => a + r[j]!, 0) / rows.length);
    return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => rows.reduce((a, r) => a + (r[i]! - mean[i]!) * (r[j]! - mean[j]!), 0) / (rows.length - 1)));
  }

  it('components are unit eigenvectors of the brute-force covariance, in decreasing variance', async () => {
    const t = local2.createTable(columns(points), 5);
    const model = await t.pca({ k: 4 });
    const cov = bruteCov(points);
    model.components.forEach((v, i) => {
      const cv = cov.map((row) => row.reduce((a, x, j) => a + x * v[j]!, 0));
      cv.forEach((x, j) => expect(x).toBeCloseTo(model.explainedVariance[i]! * v[j]!, 8));
      expect(v.reduce((a, x) => a + x * x, 0)).toBeCloseTo(1, 12);
    });
    const trace = cov.reduce((a, row, i) => a + row[i]!, 0);
    expect(model.explainedVariance.reduce((a, b) => a + b, 0)).toBeCloseTo(trace, 8);
    expect([...model.explainedVariance].sort((a, b) => b - a)).toEqual(model.explainedVariance);
    expect(model.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('projects rows onto the components (centred, and scaled with standardize)', async () => {
    const t = local2.createTable(columns(points), 3);
    const model = await t.pca({ k: 2, standardize: true });
    const projected = await model.project(t).take(3);
    projected.forEach((row, r) => {
      const z = ['a', 'b', 'c', 'd'].map((_c, j) => ((points[r]![j] as number) - model.mean[j]!) / model.scale[j]!);
      expect(row['pc1']).toBeCloseTo(z.reduce((a, x, j) => a + x * model.components[0]![j]!, 0), 10);
      expect(row['pc2']).toBeCloseTo(z.reduce((a, x, j) => a + x * model.components[1]![j]!, 0), 10);
    });
    expect(model.scale[0]).toBeCloseTo(Math.sqrt(bruteCov(points)[0]![0]!), 10);
  });

  it.skipIf(missing !== null)(`agrees with numpy's eigendecomposition of np.cov${missing === null ? '' : ` (skipped: ${missing} is missing)`}`, async () => {
    const t = local2.createTable(columns(points), 4);
    const model = await t.pca({ k: 4 });
    const file = join(files.dir, 'pca.json');
    writeFileSync(file, JSON.stringify(points));
    const numpy = python(
      `import json, sys
import numpy as np
x = np.array(json.load(open(sys.argv[1])))
w, v = np.linalg.eigh(np.cov(x, rowvar=False))
order = np.argsort(w)[::-1]
print(json.dumps({'values': w[order].tolist(), 'vectors': v[:, order].T.tolist()}))`,
      [file],
    ) as { values: number[]; vectors: number[][] };
    model.explainedVariance.forEach((x, i) => expect(x).toBeCloseTo(numpy.values[i]!, 8));
    // Eigenvectors are defined up to sign.
    model.components.forEach((v, i) => {
      const w = numpy.vectors[i]!;
      const sign = Math.sign(v.reduce((a, x, j) => a + x * w[j]!, 0));
      v.forEach((x, j) => expect(x).toBeCloseTo(sign * w[j]!, 8));
    });
  });
});

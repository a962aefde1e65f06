/**
 * Issue 9 benchmarks: the original bone-cell study's table at this machine's scale (200 CSV files ×
 * 56 columns × 25,000 rows = 5 M rows, ~2.5 GB, written to a temporary directory and deleted
 * after): load, one column mean, describe, one k-means iteration (k = 5, 10 columns) and PCA on
 * local[1] and local[2], against numpy on the same files when python3 + numpy are present
 * (np.loadtxt; mean, percentiles, one vectorised Lloyd step, np.cov + eigh). The sizes can be
 * scaled down with VOXELFLOW_TABLE_BENCH_FILES (files) and VOXELFLOW_TABLE_BENCH_ROWS (rows per file).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context } from '../core/index.js';
import '../table/index.js';
import { median, type BenchRow } from './harness.js';

const FILES = Number(process.env['VOXELFLOW_TABLE_BENCH_FILES'] ?? 200);
const ROWS = Number(process.env['VOXELFLOW_TABLE_BENCH_ROWS'] ?? 25_000);
const NUMERIC = 55;
const SAMPLES = 20;
const KM_COLUMNS = Array.from({ length: 10 }, (_, j) => `m${j}`);

/** Writes the files: a sample column and 55 measurements whose level depends on the sample. */
function generate(dir: string): number {
  let seed = 12345;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  // Rows are drawn from per-sample pools of formatted rows: formatting 275 M numbers one toFixed at
  // a time would take longer than the benchmark. The parser still reads every byte.
  const POOL = 2048;
  const pools = Array.from({ length: SAMPLES }, (_, s) =>
    Array.from({ length: POOL }, () => {
      let line = `S${String(s).padStart(2, '0')}`;
      for (let j = 0; j < NUMERIC; j++) line += `,${((1 + j) * (10 + s) * (0.5 + rand())).toFixed(4)}`;
      return line;
    }),
  );
  const header = ['sample', ...Array.from({ length: NUMERIC }, (_, j) => `m${j}`)].join(',');
  let bytes = 0;
  for (let f = 0; f < FILES; f++) {
    const pool = pools[Math.floor((f * SAMPLES) / FILES)] as string[];
    const lines: string[] = [header];
    for (let r = 0; r < ROWS; r++) lines.push(pool[(rand() * POOL) | 0] as string);
    const file = join(dir, `cells-${String(f).padStart(4, '0')}.csv`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    bytes += statSync(file).size;
  }
  return bytes;
}

interface Timings {
  load: number;
  /** Process CPU time (driver and worker threads) during the load, ms; NaN for numpy. */
  loadCpu?: number;
  mean: number;
  describe: number;
  kmeansIteration: number;
  pca: number;
}

async function measure(master: string, dir: string, log: (l: string) => void): Promise<Timings> {
  const ctx = await Context.create({ master, memory: '8g' });
  try {
    const t = ctx.readCsv(join(dir, '*.csv')).cache();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const n = await t.count();
    const load = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const loadCpu = (cpu.user + cpu.system) / 1000;
    if (n !== FILES * ROWS) throw new Error(`table benchmark read ${n} rows, expected ${FILES * ROWS}`);
    log(`${master}: loaded ${n} rows in ${(load / 1000).toFixed(1)} s (process CPU ${(loadCpu / 1000).toFixed(1)} s, load average ${loadavg()[0]?.toFixed(1)})`);
    const mean = await median(() => t.mean('m0'), 5, 1);
    const describe = await median(() => t.describe(), 1);
    const model = await t.kmeans({ k: 5, columns: KM_COLUMNS, maxIter: 4, tol: 0, init: 'random', seed: 1 });
    const kmeansIteration = median0(model.iterationMs);
    const pca = await median(() => t.pca({ k: 3, columns: KM_COLUMNS }), 3);
    log(`${master}: mean ${mean.toFixed(0)} ms, describe ${describe.toFixed(0)} ms, k-means iteration ${kmeansIteration.toFixed(0)} ms, pca ${pca.toFixed(0)} ms`);
    return { load, loadCpu, mean, describe, kmeansIteration, pca };
  } finally {
    await ctx.stop();
  }
}

function median0(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const NUMPY = `
import glob, json, sys, time
import numpy as np
files = sorted(glob.glob(sys.argv[1] + '/*.csv'))
t = time.perf_counter()
x = np.concatenate([np.loadtxt(f, delimiter=',', skiprows=1, usecols=range(1, 56)) for f in files])
load = time.perf_counter() - t
def best(f, runs=3):
    times = []
    for _ in range(runs):
        t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]
mean = best(lambda: x[:, 0].mean(), 5)
describe = best(lambda: (x.mean(0), x.std(0, ddof=1), x.min(0), np.percentile(x, [25, 50, 75], axis=0), x.max(0)), 1)
p = x[:, :10]
c = p[np.random.default_rng(1).choice(len(p), 5, replace=False)]
def lloyd():
    d = (p * p).sum(1)[:, None] - 2 * p @ c.T + (c * c).sum(1)[None, :]
    a = d.argmin(1)
    return np.array([p[a == k].mean(0) for k in range(5)])
kmeans = best(lloyd)
pca = best(lambda: np.linalg.eigh(np.cov(p, rowvar=False)))
print(json.dumps({'load': load * 1000, 'mean': mean * 1000, 'describe': describe * 1000, 'kmeansIteration': kmeans * 1000, 'pca': pca * 1000}))
`;

function numpyTimings(dir: string, log: (l: string) => void): Timings | null {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    log('numpy baseline skipped: python3 with numpy is not available');
    return null;
  }
  const r = spawnSync('python3', ['-c', NUMPY, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`numpy baseline failed: ${r.stderr}`);
  const t = JSON.parse(r.stdout) as Timings;
  log(`numpy: load ${(t.load / 1000).toFixed(1)} s, mean ${t.mean.toFixed(1)} ms, describe ${t.describe.toFixed(0)} ms, k-means iteration ${t.kmeansIteration.toFixed(0)} ms, pca ${t.pca.toFixed(0)} ms`);
  return t;
}

export async function tableBenchmarks(log: (line: string) => void): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'voxelflow-table-bench-'));
  try {
    const t0 = performance.now();
    const bytes = generate(dir);
    const mb = bytes / 1e6;
    log(`generated ${FILES} files × ${NUMERIC + 1} columns × ${ROWS} rows (${mb.toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const one = await measure('local[1]', dir, log);
    const two = await measure('local[2]', dir, log);
    const np = numpyTimings(dir, log);
    const base = (k: keyof Timings): number | null => (np === null ? null : (np[k] ?? null));
    const baseline = np === null ? 'numpy absent' : 'numpy';
    const rows = `${((FILES * ROWS) / 1e6).toFixed(1)} M rows`;
    const out: BenchRow[] = [];
    for (const [master, t] of [['local[1]', one], ['local[2]', two]] as const) {
      const two = master === 'local[2]';
      out.push(
        {
          suite: 'table',
          name: `load ${mb.toFixed(0)} MB CSV, ${master}`,
          ms: t.load,
          baselineMs: base('load'),
          baseline: `${baseline} loadtxt`,
          value: { amount: mb / (t.load / 1000), unit: 'MB/s' },
          target: two ? '≥ 100 MB/s' : '—',
          met: !two || mb / (t.load / 1000) >= 100,
          note: `${(mb / ((t.loadCpu ?? Number.NaN) / 1000)).toFixed(0)} MB per CPU-second; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`,
        },
        { suite: 'table', name: `column mean, ${rows}, ${master}`, ms: t.mean, baselineMs: base('mean'), baseline, target: '< 200 ms', met: t.mean < 200 },
        { suite: 'table', name: `describe 55 columns, ${master}`, ms: t.describe, baselineMs: base('describe'), baseline, target: '—', met: true },
        { suite: 'table', name: `k-means iteration k=5, 10 columns, ${master}`, ms: t.kmeansIteration, baselineMs: base('kmeansIteration'), baseline, target: '< 1 s', met: t.kmeansIteration < 1000 },
        { suite: 'table', name: `PCA 10 columns, ${master}`, ms: t.pca, baselineMs: base('pca'), baseline, target: '—', met: true },
      );
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `npm run bench -- scale`: the seed's scan on one box. A 2560x2560x2160 u16 raw file (14.2 GVx, 28 GB)
 * of the known-answer phantom is written first (by the tasks, with `img.write`), then
 * `voxelflow analyze` runs on it as a user would — threshold, 26-labeling, statistics CSV, labels as
 * OME-Zarr — with `--memory 8g` on local[2], as a fresh process whose peak RSS is measured. Every
 * component is checked against `knownComponents`. A second row runs the 512^3 pipeline with
 * `--memory 256m` and compares it with the default budget.
 *
 * VOXELFLOW_SCALE_DIR (default: the OS temp dir) holds the data; VOXELFLOW_SCALE_SHAPE=XxYxZ changes the
 * size. The raw file is kept for the next run (delete it to free the disk); outputs are removed.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Context, knownComponents, type KnownComponent } from '../index.js';
import { median, runVoxelflow as voxelflow, type BenchRow, type VoxelflowRun as Run } from './harness.js';

const GiB = 1024 ** 3;

function shapeFromEnv(): [number, number, number] {
  const text = process.env['VOXELFLOW_SCALE_SHAPE'] ?? '2560x2560x2160';
  const m = /^(\d+)x(\d+)x(\d+)$/.exec(text);
  if (m === null) throw new Error(`VOXELFLOW_SCALE_SHAPE must be XxYxZ, got '${text}'`);
  return [Number(m[3]), Number(m[2]), Number(m[1])];
}

/** Writes the phantom as raw u16 with the tasks, unless a file of the right size is already there. */
async function ensureRaw(file: string, shape: [number, number, number], log: (l: string) => void): Promise<number> {
  const bytes = shape[0] * shape[1] * shape[2] * 2;
  if (existsSync(file) && statSync(file).size === bytes) {
    log(`reusing ${file} (${(bytes / GiB).toFixed(1)} GiB)`);
    return 0;
  }
  const dir = dirname(file);
  const free = Number(statfsSync(dir).bavail) * Number(statfsSync(dir).bsize);
  const need = bytes + 4 * GiB; // the labels store and the spill folder need room too
  if (free < need) throw new Error(`the scale benchmark needs ${(need / GiB).toFixed(0)} GiB free in ${dir}, which has ${(free / GiB).toFixed(0)} GiB; set VOXELFLOW_SCALE_DIR to a larger disk or VOXELFLOW_SCALE_SHAPE to a smaller size`);
  log(`writing the known-answer phantom ${shape[2]}x${shape[1]}x${shape[0]} u16 to ${file} ...`);
  const ctx = await Context.create({ master: 'local[2]' });
  try {
    const t = performance.now();
    await ctx.images.synthetic({ kind: 'known', shape }).write(file, { overwrite: true }); // one of another size may be there
    return performance.now() - t;
  } finally {
    await ctx.stop();
  }
}

/** Rows of the stats CSV that differ from the known components (first few), or [] when all agree. */
function mismatches(csv: string, known: readonly KnownComponent[]): string[] {
  const rows = csv.trim().split('\n').slice(1);
  const out: string[] = [];
  if (rows.length !== known.length) out.push(`${rows.length} rows, ${known.length} known components`);
  for (let i = 0; i < Math.min(rows.length, known.length) && out.length < 5; i++) {
    const r = (rows[i] as string).split(',').map(Number);
    const k = known[i] as KnownComponent;
    const centroidOk = k.centroid.every((c, a) => Math.abs((r[2 + a] as number) - c) <= 1e-6 * Math.max(1, c));
    if (r[0] !== k.label || r[1] !== k.voxels || !centroidOk) out.push(`label ${k.label}: got ${r.slice(0, 5).join(',')}, known ${k.voxels} voxels at ${k.centroid.join(',')}`);
  }
  return out;
}

async function scanRow(dir: string, log: (l: string) => void): Promise<BenchRow> {
  const shape = shapeFromEnv();
  const voxels = shape[0] * shape[1] * shape[2];
  const raw = join(dir, `known-${shape[2]}x${shape[1]}x${shape[0]}-u16.raw`);
  const genMs = await ensureRaw(raw, shape, log);
  const stats = join(dir, 'scan-stats.csv');
  const labels = join(dir, 'scan-labels.zarr');
  log('analyze (threshold, 26-label, stats, OME-Zarr labels), --memory 8g, local[2] ...');
  const r = await voxelflow(['analyze', raw, '--shape', `${shape[2]},${shape[1]},${shape[0]}`, '--dtype', 'u16', '--above', '500', '--connectivity', '26',
    '--stats', stats, '--labels', labels, '--overwrite', '--memory', '8g', '--master', 'local[2]', '--json', '--quiet']);
  const name = `analyze ${(voxels / 1e9).toFixed(1)} GVx raw u16 (known phantom): threshold, 26-label, stats, OME-Zarr labels; --memory 8g, local[2]`;
  const target = '< 15 min, peak RSS <= 8.5 GiB, every component exact';
  if (r.code !== 0) {
    return { suite: 'scale', name, ms: r.ms, baselineMs: null, baseline: 'absolute', target, met: false, note: `failed: ${r.stderr.trim().split('\n').pop() ?? ''}` };
  }
  const bad = mismatches(readFileSync(stats, 'utf8'), knownComponents(shape));
  const summary = JSON.parse(r.stdout) as { components: number; timings_ms: Record<string, number> };
  rmSync(labels, { recursive: true, force: true });
  rmSync(stats, { force: true });
  const rssGiB = r.peakRssBytes / GiB;
  const parts = Object.entries(summary.timings_ms).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ');
  return {
    suite: 'scale',
    name,
    ms: r.ms,
    baselineMs: null,
    baseline: 'absolute',
    value: { amount: voxels / (r.ms / 1000), unit: 'voxels/s' },
    target,
    met: r.ms < 15 * 60_000 && rssGiB <= 8.5 && bad.length === 0,
    note: `${summary.components} components, ${bad.length === 0 ? 'all exact' : `MISMATCH: ${bad.join('; ')}`}; peak RSS ${rssGiB.toFixed(2)} GiB; ${parts}${genMs > 0 ? `; writing the raw file took ${(genMs / 1000).toFixed(0)} s` : ''}`,
  };
}

async function budgetRow(dir: string, log: (l: string) => void): Promise<BenchRow> {
  const shape = 'synthetic:known:512x512x512';
  const run = async (memory: string | null, tag: string): Promise<Run & { stats: string; labels: Buffer }> => {
    const stats = join(dir, `budget-${tag}.csv`), labels = join(dir, `budget-${tag}.npy`);
    const r = await voxelflow(['analyze', shape, '--box', '1', '--above', '500', '--stats', stats, '--labels', labels, '--master', 'local[2]', '--quiet', ...(memory === null ? [] : ['--memory', memory])]);
    const out = { ...r, stats: r.code === 0 ? readFileSync(stats, 'utf8') : '', labels: r.code === 0 ? readFileSync(labels) : Buffer.alloc(0) };
    rmSync(stats, { force: true });
    rmSync(labels, { force: true });
    return out;
  };
  log('512^3 with the default budget and with --memory 256m ...');
  const big = await run(null, 'default');
  const small = await run('256m', 'small');
  const same = big.code === 0 && small.code === 0 && big.stats === small.stats && big.labels.equals(small.labels);
  const rssMiB = small.peakRssBytes / 1024 ** 2;
  return {
    suite: 'scale',
    name: 'analyze 512^3 (box 1, threshold, label 26, stats, labels .npy), --memory 256m vs the default budget, local[2]',
    ms: small.ms,
    baselineMs: big.ms,
    baseline: 'default --memory',
    target: 'same labels and CSV; peak RSS <= 600 MiB',
    met: same && rssMiB <= 600,
    note: `${same ? 'identical outputs' : `outputs DIFFER or failed (${small.stderr.trim().split('\n').pop() ?? ''})`}; peak RSS ${rssMiB.toFixed(0)} MiB (default budget: ${(big.peakRssBytes / 1024 ** 2).toFixed(0)} MiB)`,
  };
}

/**
 * Reading a .npy from the page cache and writing one, on local[2]: 1024x1024x512 u16 (1 GiB), median
 * of 3 after a warm-up. The write is of a cached image, so it times the tasks' positional writes and
 * the commit (fsync, rename), not the computation.
 */
async function ioRows(dir: string, log: (l: string) => void): Promise<BenchRow[]> {
  const shape: [number, number, number] = [512, 1024, 1024];
  const bytes = shape[0] * shape[1] * shape[2] * 2;
  const file = join(dir, 'io-1024x1024x512-u16.npy');
  const ctx = await Context.create({ master: 'local[2]' });
  try {
    log('read and write of a 1 GiB .npy, local[2] ...');
    const cached = ctx.images.synthetic({ kind: 'known', shape }).cache();
    await cached.blocks.count();
    await cached.write(file, { overwrite: true });
    const read = await median(() => ctx.images.read(file).blocks.count(), 3, 1);
    const write = await median(() => cached.write(file, { overwrite: true }), 3, 1);
    cached.unpersist();
    const row = (name: string, ms: number): BenchRow => ({
      suite: 'scale', name, ms, baselineMs: null, baseline: 'absolute', value: { amount: bytes / (ms / 1000) / 1e6, unit: 'MB/s' },
      target: '>= 1 GB/s on 2 cores', met: bytes / (ms / 1000) >= 1e9,
    });
    return [row('read 1 GiB .npy from the page cache (tasks read their blocks), local[2]', read), row('write 1 GiB .npy (tasks write their blocks, fsync, rename), local[2]', write)];
  } finally {
    await ctx.stop();
    rmSync(file, { force: true });
  }
}

export async function scaleBenchmarks(log: (line: string) => void): Promise<BenchRow[]> {
  const dir = process.env['VOXELFLOW_SCALE_DIR'] ?? join(tmpdir(), 'voxelflow-scale');
  mkdirSync(dir, { recursive: true });
  const rows = [...(await ioRows(dir, log)), await budgetRow(dir, log)];
  rows.push(await scanRow(dir, log));
  return rows;
}

/**
 * Issue 4 benchmarks: every kernel on one thread, native (C++ addon) against its TypeScript twin against
 * numpy/scipy, in the same run on the same data; then the whole `voxelflow analyze` command on 512^3 with
 * local[2] against the same pipeline written with scipy (load, filter, threshold, label, statistics, save).
 *
 * Data: 384^3 random binary (50% foreground, seeded) and the 512^3 blobs phantom (u16; the mask is
 * `v > 300`). Both go to one python3 process as .npy files; it times each baseline with
 * time.perf_counter (median after a warm-up) and prints JSON. Without python3/numpy/scipy the
 * comparison rows say so; without the addon the native rows say why (`voxelflow doctor`).
 *
 * Sizes can be lowered for a quick look: VOXELFLOW_BENCH_NATIVE=RANDOM_SIDE,BLOB_SIDE (default 384,512).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Vec3 } from '../imaging/box.js';
import { writeImage } from '../imaging/io/index.js';
import { boxFilterScratchLength, labelScratchLength, shapeFromPartials } from '../imaging/kernels/index.js';
import { kernels, typescriptKernels } from '../imaging/kernels/dispatch.js';
import { nativeStatus } from '../native/index.js';
import { median, type BenchRow } from './harness.js';
import { runPython, SCIPY_PRELUDE } from './python-baseline.js';
import { BLOB_THRESHOLD, blobVolume } from './imaging-bench.js';

const RUNS = 3;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Kernels = typeof kernels;

/** What the python process measured (ms), or why it could not. */
type Baseline =
  | {
      readonly state: 'ok';
      readonly threshold: number;
      readonly uniformFilter: number;
      readonly labelBlobs: number;
      readonly labelRandom: number;
      readonly stats: number;
      readonly componentsBlobs: number;
      readonly componentsRandom: number;
      readonly versions: string;
    }
  | { readonly state: 'absent'; readonly reason: string };

// The kernel baselines. `v > t` compares u16 with an int, as one writes it; the filter includes the cast to
// float32 (the kernels convert u16 too); statistics are scipy's centroid and intensity sum per label.
const PYTHON_KERNELS = SCIPY_PRELUDE + String.raw`
blobs_path, random_path, t, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
vol = np.load(blobs_path)
rnd = np.load(random_path).astype(bool)
structure = np.ones((3, 3, 3), dtype=bool)
mask = vol > t
labels, n = ndimage.label(mask, structure)
_, n_random = ndimage.label(rnd, structure)
idx = np.arange(1, n + 1)
print(json.dumps({
    "state": "ok",
    "threshold": med(lambda: vol > t, runs),
    "uniformFilter": med(lambda: ndimage.uniform_filter(vol.astype(np.float32), 3, mode="constant", cval=0.0), runs),
    "labelBlobs": med(lambda: ndimage.label(mask, structure), runs),
    "labelRandom": med(lambda: ndimage.label(rnd, structure), runs),
    "stats": med(lambda: (ndimage.center_of_mass(mask, labels, idx), ndimage.sum_labels(vol, labels, idx)), runs),
    "componentsBlobs": int(n),
    "componentsRandom": int(n_random),
    "versions": "numpy %s, scipy %s" % (np.__version__, scipy.__version__),
}))
`;

// The analyze pipeline in scipy: what `voxelflow analyze --box 1 --above T --labels L --stats S` does,
// with scipy's per-label measurements (voxel count, centroid, bounding box, intensity sum and mean).
const PYTHON_PIPELINE = String.raw`
import json, sys, time
import numpy as np
from scipy import ndimage
src, out, t, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def run():
    vol = np.load(src)
    filtered = ndimage.uniform_filter(vol.astype(np.float32), 3, mode="constant", cval=0.0)
    mask = filtered > t
    labels, n = ndimage.label(mask, np.ones((3, 3, 3), dtype=bool))
    idx = np.arange(1, n + 1)
    voxels = np.bincount(labels.ravel(), minlength=n + 1)[1:]
    centroid = np.array(ndimage.center_of_mass(mask, labels, idx)).reshape(-1, 3)
    total = ndimage.sum_labels(filtered, labels, idx)
    boxes = ndimage.find_objects(labels)
    bounds = np.array([[s.start for s in b] + [s.stop - 1 for s in b] for b in boxes]).reshape(-1, 6)
    np.save(out + "/labels.npy", labels.astype(np.uint32))
    rows = np.column_stack([idx, voxels, centroid[:, ::-1], bounds, total, total / voxels])
    np.savetxt(out + "/stats.csv", rows, delimiter=",", fmt="%.10g",
               header="label,voxels,cx,cy,cz,z0,y0,x0,z1,y1,x1,intensity_sum,intensity_mean", comments="")
    return n
n = run()
ts = []
for _ in range(runs):
    s = time.perf_counter(); run(); ts.append((time.perf_counter() - s) * 1000)
ts.sort()
print(json.dumps({"ms": ts[len(ts) // 2], "components": int(n)}))
`;

/** A seeded 50% random binary volume (xorshift32, one bit per voxel). */
function randomBinary(count: number, seed: number): Uint8Array {
  const out = new Uint8Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i += 32) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const end = Math.min(count, i + 32);
    for (let j = i, bits = s; j < end; j++, bits >>>= 1) out[j] = bits & 1;
  }
  return out;
}

/** Median times of one backend's kernels on the benchmark data. */
interface KernelTimes {
  readonly threshold: number;
  readonly box: number;
  readonly labelBlobs: number;
  readonly labelRandom: number;
  readonly stats: number;
  readonly componentsBlobs: number;
  readonly componentsRandom: number;
}

interface Data {
  readonly blobs: Uint16Array;
  readonly blobShape: Vec3;
  readonly random: Uint8Array;
  readonly randomShape: Vec3;
}

/** Times `k` on the data, one thread; buffers are allocated once, outside the timed runs. */
async function timeKernels(k: Kernels, d: Data): Promise<KernelTimes> {
  const origin: Vec3 = [0, 0, 0];
  const mask = new Uint8Array(d.blobs.length);
  const threshold = await median(() => k.threshold(d.blobs, BLOB_THRESHOLD, null, mask), RUNS, 1);
  let box: number;
  {
    const filtered = new Float32Array(d.blobs.length);
    const scratch = new Float32Array(boxFilterScratchLength(d.blobShape));
    box = await median(() => k.boxFilter(d.blobs, d.blobShape, origin, d.blobShape, origin, d.blobShape, 1, 'constant', filtered, scratch), RUNS, 1);
  }
  const labels = new Uint32Array(Math.max(d.blobs.length, d.random.length));
  const scratch = new Uint32Array(Math.max(labelScratchLength(d.blobShape), labelScratchLength(d.randomShape)));
  let componentsRandom = 0;
  const labelRandom = await median(() => (componentsRandom = k.labelBlock(d.random, d.randomShape, 26, labels, scratch)), RUNS, 1);
  let componentsBlobs = 0;
  const labelBlobs = await median(() => (componentsBlobs = k.labelBlock(mask, d.blobShape, 26, labels, scratch)), RUNS, 1);
  const stats = await median(() => {
    const partials = k.labelStats(labels, componentsBlobs, d.blobShape, origin, d.blobShape, d.blobs);
    for (let l = 1; l <= componentsBlobs; l++) shapeFromPartials(partials, l);
  }, RUNS, 1);
  return { threshold, box, labelBlobs, labelRandom, stats, componentsBlobs, componentsRandom };
}

type Field = 'threshold' | 'box' | 'labelBlobs' | 'labelRandom' | 'stats';
const PY_FIELD: Record<Field, 'threshold' | 'uniformFilter' | 'labelBlobs' | 'labelRandom' | 'stats'> = {
  threshold: 'threshold', box: 'uniformFilter', labelBlobs: 'labelBlobs', labelRandom: 'labelRandom', stats: 'stats',
};

interface KernelSpec {
  readonly field: Field;
  readonly name: string;
  readonly baseline: string;
  /** Target as a speed multiple of the baseline (native rows); the TypeScript rows are reported. */
  readonly speedup: number;
}

function specs(d: Data): KernelSpec[] {
  const b = `${d.blobShape[0]}^3 blobs`;
  const r = `${d.randomShape[0]}^3 random binary`;
  return [
    { field: 'labelBlobs', name: `26-connected labeling, ${b}`, baseline: 'scipy ndimage.label', speedup: 4 },
    { field: 'labelRandom', name: `26-connected labeling, ${r} (50%)`, baseline: 'scipy ndimage.label', speedup: 2.5 },
    { field: 'box', name: `box filter r=1 constant, ${b} u16 → f32`, baseline: 'scipy uniform_filter(float32)', speedup: 6 },
    { field: 'threshold', name: `threshold v > ${BLOB_THRESHOLD}, ${b} u16`, baseline: 'numpy v > t', speedup: 1 },
    { field: 'stats', name: `statistics, ${b} (labelStats + shapeFromPartials)`, baseline: 'scipy center_of_mass + sum_labels', speedup: 5 },
  ];
}

function kernelRows(d: Data, native: KernelTimes | string, ts: KernelTimes, base: Baseline): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const s of specs(d)) {
    const target = `>= ${s.speedup}x ${s.baseline.split(' ')[0]} speed`;
    const against = (): Pick<BenchRow, 'baselineMs' | 'baseline'> =>
      base.state === 'ok' ? { baselineMs: base[PY_FIELD[s.field]], baseline: s.baseline } : { baselineMs: null, baseline: `${s.baseline}: skipped (${base.reason})` };
    const speed = (ms: number): string => (base.state === 'ok' ? `${(base[PY_FIELD[s.field]] / ms).toFixed(2)}x ${s.baseline.split(' ')[0]} speed` : '');
    if (typeof native === 'string') {
      rows.push({ suite: 'native', name: `${s.name}, native, 1 thread`, ms: NaN, baselineMs: null, baseline: 'skipped', target, met: false, note: native });
    } else {
      const ms = native[s.field];
      const met = base.state === 'ok' && ms * s.speedup <= base[PY_FIELD[s.field]];
      rows.push({ suite: 'native', name: `${s.name}, native, 1 thread`, ms, ...against(), target, met, note: `${speed(ms)}; ${(ts[s.field] / ms).toFixed(1)}x TypeScript` });
    }
    rows.push({ suite: 'native', name: `${s.name}, TypeScript, 1 thread`, ms: ts[s.field], ...against(), target: 'reported', met: true, note: speed(ts[s.field]) });
  }
  return rows;
}

/** Component counts of every backend must agree with each other and with scipy, or the rows mean nothing. */
function agreement(native: KernelTimes | string, ts: KernelTimes, base: Baseline): string | null {
  const counts: string[] = [];
  const sets: [string, number, number][] = [['TypeScript', ts.componentsBlobs, ts.componentsRandom]];
  if (typeof native !== 'string') sets.push(['native', native.componentsBlobs, native.componentsRandom]);
  if (base.state === 'ok') sets.push(['scipy', base.componentsBlobs, base.componentsRandom]);
  for (const [who, b, r] of sets) counts.push(`${who} ${b}/${r}`);
  const same = sets.every(([, b, r]) => b === sets[0]![1] && r === sets[0]![2]);
  return same ? null : `component counts (blobs/random) differ: ${counts.join(', ')}`;
}

interface AnalyzeTiming {
  readonly ms: number;
  readonly components: number;
  readonly parts: Record<string, number>;
}

/** Median wall time of `voxelflow analyze` (a fresh process per run, as a user runs it), after a warm-up. */
function timeAnalyze(npy: string, out: string, master = 'local[2]'): AnalyzeTiming | string {
  const bin = join(root, 'bin', 'voxelflow.js');
  const args = [bin, 'analyze', npy, '--box', '1', '--above', String(BLOB_THRESHOLD), '--connectivity', '26',
    '--labels', join(out, 'labels.npy'), '--stats', join(out, 'stats.csv'), '--master', master, '--json', '--quiet', '--overwrite'];
  const runs: AnalyzeTiming[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
    const ms = performance.now() - t;
    if (r.status !== 0) return `voxelflow analyze failed: ${r.stderr.trim().split('\n').pop() ?? ''}`;
    const summary = JSON.parse(r.stdout) as { components: number; timings_ms: Record<string, number> };
    if (i > 0) runs.push({ ms, components: summary.components, parts: summary.timings_ms });
  }
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)]!;
}

function pipelineRow(side: number, ours: AnalyzeTiming | string, scipy: { ms: number; components: number } | string): BenchRow {
  const name = `voxelflow analyze ${side}^3 blobs (load, box r=1, threshold, label 26, stats, save), local[2]`;
  // Issue 14: a fresh process on local[2] at least 3x one-thread scipy at 256^3, 4x at 512^3.
  const goal = side >= 512 ? 4 : 3;
  const target = `>= ${goal}x the numpy/scipy pipeline's speed (whole process)`;
  if (typeof ours === 'string') return { suite: 'native', name, ms: NaN, baselineMs: null, baseline: 'skipped', target, met: false, note: ours };
  const voxels = side ** 3;
  const parts = Object.entries(ours.parts).filter(([k]) => k !== 'total' && k !== 'roi').map(([k, v]) => `${k} ${Math.round(v)}`).join(', ');
  const value = { amount: voxels / (ours.ms / 1000) / 2, unit: 'voxels/s/core' };
  if (typeof scipy === 'string') return { suite: 'native', name, ms: ours.ms, baselineMs: null, baseline: `scipy pipeline: skipped (${scipy})`, value, target, met: true, note: `ms: ${parts}` };
  const agree = scipy.components === ours.components;
  const speed = `${(scipy.ms / ours.ms).toFixed(2)}x scipy speed`;
  return {
    suite: 'native', name, ms: ours.ms, baselineMs: scipy.ms, baseline: 'same pipeline in numpy/scipy, 1 thread', value, target, met: agree && scipy.ms / ours.ms >= goal,
    note: `${speed}; ms: ${parts}${agree ? '' : `; components differ: ${ours.components} vs scipy ${scipy.components}`}`,
  };
}

/** The speed of local[2] against local[1] on the same analyze command. */
function scalingRow(side: number, two: AnalyzeTiming | string, one: AnalyzeTiming | string): BenchRow {
  const name = `voxelflow analyze ${side}^3 blobs, local[2] against local[1] (whole process)`;
  const target = '>= 1.7x local[1] speed';
  if (typeof two === 'string' || typeof one === 'string') return { suite: 'native', name, ms: NaN, baselineMs: null, baseline: 'skipped', target, met: false, note: typeof two === 'string' ? two : (one as string) };
  const speedup = one.ms / two.ms;
  return { suite: 'native', name, ms: two.ms, baselineMs: one.ms, baseline: 'the same command on local[1]', target, met: speedup >= 1.7, note: `speedup ${speedup.toFixed(2)}x` };
}

/** A new folder `name` in `dir`, for one pipeline's outputs. */
function subdir(dir: string, name: string): string {
  const path = join(dir, name);
  mkdirSync(path);
  return path;
}

/** Sides from VOXELFLOW_BENCH_NATIVE=RANDOM,BLOBS (default 384,512). */
function sides(): [number, number] {
  const spec = process.env.VOXELFLOW_BENCH_NATIVE ?? '384,512';
  const s = spec.split(',').map((v) => Number(v.trim()));
  if (s.length !== 2 || s.some((v) => !Number.isInteger(v) || v < 8)) {
    throw new TypeError(`VOXELFLOW_BENCH_NATIVE must be two cube sides >= 8, random then blobs (e.g. 384,512), got '${spec}'`);
  }
  return [s[0]!, s[1]!];
}

/** The native suite: kernel rows (native, TypeScript, baseline) and the analyze pipeline row. */
export async function nativeBenchmarks(log: (line: string) => void): Promise<BenchRow[]> {
  const [randomSide, blobSide] = sides();
  const dir = mkdtempSync(join(tmpdir(), 'voxelflow-bench-native-'));
  try {
    log(`${blobSide}^3 blobs phantom, ${randomSide}^3 random binary ...`);
    const blobShape: Vec3 = [blobSide, blobSide, blobSide];
    const randomShape: Vec3 = [randomSide, randomSide, randomSide];
    const d: Data = { blobs: await blobVolume(blobSide), blobShape, random: randomBinary(randomSide ** 3, 4), randomShape };
    const status = nativeStatus();
    log(`native addon: ${status.state}${status.state === 'loaded' ? '' : ` (${status.reason})`}`);
    const native = status.state === 'loaded' ? await timeKernels(kernels, d) : `addon ${status.state}: ${status.reason}`;
    log('TypeScript kernels ...');
    const ts = await timeKernels(typescriptKernels, d);
    const blobsNpy = join(dir, 'blobs.npy');
    const randomNpy = join(dir, 'random.npy');
    writeImage(blobsNpy, { data: d.blobs, shape: blobShape, dtype: 'u16' });
    writeImage(randomNpy, { data: d.random, shape: randomShape, dtype: 'u8' });
    log('numpy/scipy kernels ...');
    const py = runPython(PYTHON_KERNELS, [blobsNpy, randomNpy, String(BLOB_THRESHOLD), String(RUNS)]);
    const base: Baseline = py.ok ? (py.json as Baseline) : { state: 'absent', reason: py.reason };
    log(base.state === 'ok' ? `  ${base.versions}` : `  skipped: ${base.reason}`);
    const rows = kernelRows(d, native, ts, base);
    const mismatch = agreement(native, ts, base);
    if (mismatch !== null) for (const [i, r] of rows.entries()) if (r.name.includes('labeling')) rows[i] = { ...r, met: false, note: mismatch };
    rmSync(randomNpy);
    log(`voxelflow analyze ${blobSide}^3, local[2] ...`);
    const ours = timeAnalyze(blobsNpy, subdir(dir, 'voxelflow'));
    log('the same pipeline in scipy ...');
    const sp = base.state !== 'ok' ? base.reason : runPython(PYTHON_PIPELINE, [blobsNpy, subdir(dir, 'scipy'), String(BLOB_THRESHOLD), String(RUNS)]);
    const scipy = typeof sp === 'string' ? sp : sp.ok ? (sp.json as { ms: number; components: number }) : sp.reason;
    rows.push(pipelineRow(blobSide, ours, scipy));
    // Issue 14: local[2] at least 1.7x local[1] on the 512^3 pipeline, both as fresh processes.
    log(`voxelflow analyze ${blobSide}^3, local[1] ...`);
    rows.push(scalingRow(blobSide, ours, timeAnalyze(blobsNpy, subdir(dir, 'voxelflow-1'), 'local[1]')));
    // Issue 14 also sets a target at 256^3, where the fixed costs weigh more.
    if (blobSide !== 256 && base.state === 'ok') {
      const small = join(dir, 'blobs-256.npy');
      writeImage(small, { data: await blobVolume(256), shape: [256, 256, 256], dtype: 'u16' });
      log('voxelflow analyze 256^3, local[2], and the same in scipy ...');
      const ours256 = timeAnalyze(small, subdir(dir, 'voxelflow-256'));
      const sp256 = runPython(PYTHON_PIPELINE, [small, subdir(dir, 'scipy-256'), String(BLOB_THRESHOLD), String(RUNS)]);
      rows.push(pipelineRow(256, ours256, sp256.ok ? (sp256.json as { ms: number; components: number }) : sp256.reason));
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Issue 3 benchmarks: the imaging kernels on one thread against numpy/scipy, measured in the same run
 * on the same blob volume, then the whole `analyze` pipeline (box filter → threshold → label → shape
 * statistics on an ImageRDD with caching) on local[1] and local[2].
 *
 * The volume is `ctx.images.synthetic({ kind: 'blobs' })` (u16), written to a temporary .npy that one
 * python3 process loads; it times each baseline with time.perf_counter (median of several runs after a
 * warm-up) and prints JSON. Without python3, numpy or scipy the comparison rows say so.
 *
 * The suite ends with the labeling step of `analyze` on 384^3 (labeling-bench.ts) and the OME-Zarr
 * write of u32 labels (zarr-bench.ts).
 *
 * Sizes: 256^3 by default; VOXELFLOW_BENCH_SIZES=256,512 adds 512^3 (about 4 more minutes on 2 cores,
 * several GB of memory), so that `npm run bench` stays within a few minutes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context } from '../core/index.js';
import '../imaging/index.js';
import type { Vec3 } from '../imaging/box.js';
import type { PhantomKind } from '../imaging/nodes/synthetic.js';
import { writeImage } from '../imaging/io/index.js';
import { shapeFromPartials } from '../imaging/kernels/index.js';
import { kernels as loaderKernels, typescriptKernels } from '../imaging/kernels/dispatch.js';
import { median, type BenchRow } from './harness.js';
import { labelingStepRows } from './labeling-bench.js';
import { zarrWriteRows } from './zarr-bench.js';
import { runPython, SCIPY_PRELUDE } from './python-baseline.js';

/** Blob intensities: background 100..140, blobs up to ~1100; the mask keeps the blobs. */
export const BLOB_THRESHOLD = 300;
const SEED = 1;

/** Timed runs per figure (after one warm-up): fewer for the larger volumes, to bound the run time. */
function runsFor(side: number): number {
  return side <= 256 ? 5 : 3;
}

/** What the python process measured (ms), or why it could not. */
type Baseline =
  | {
      readonly state: 'ok';
      readonly threshold: number;
      readonly uniformFilter: number;
      readonly label: number;
      readonly stats: number;
      readonly components: number;
      readonly versions: string;
    }
  | { readonly state: 'absent'; readonly reason: string };

// The baselines, on the same data: `v > t` is numpy's; the filter includes the cast to float32 (the TS
// kernel converts u16 too); labeling and statistics use the mask `v > t` and its 26-connected labels.
const PYTHON = SCIPY_PRELUDE + String.raw`
path, t, runs = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
t = int(t) if t.is_integer() else t  # v > 300, as one writes it: a float would compare in float64
vol = np.load(path)
mask = vol > t
structure = np.ones((3, 3, 3), dtype=bool)
labels, n = ndimage.label(mask, structure)
idx = np.arange(1, n + 1)
print(json.dumps({
    "state": "ok",
    "threshold": med(lambda: vol > t, runs),
    "uniformFilter": med(lambda: ndimage.uniform_filter(vol.astype(np.float32), 3, mode="constant", cval=0.0), runs),
    "label": med(lambda: ndimage.label(mask, structure), runs),
    "stats": med(lambda: (ndimage.center_of_mass(mask, labels, idx), ndimage.sum_labels(vol, labels, idx)), runs),
    "components": int(n),
    "versions": "numpy %s, scipy %s" % (np.__version__, scipy.__version__),
}))
`;

/** Runs the python baselines on `npy`; never throws. */
function pythonBaseline(npy: string, runs: number): Baseline {
  const r = runPython(PYTHON, [npy, String(BLOB_THRESHOLD), String(runs)]);
  return r.ok ? (r.json as Baseline) : { state: 'absent', reason: r.reason };
}

/** The blobs phantom as one array, generated block by block on two threads. */
export async function blobVolume(side: number): Promise<Uint16Array> {
  const ctx = await Context.create({ master: 'local[2]' });
  try {
    const vol = await ctx.images.synthetic({ kind: 'blobs', shape: [side, side, side], seed: SEED }).toArray();
    return vol.data as Uint16Array;
  } finally {
    await ctx.stop();
  }
}

/** Median times (ms) of the mask kernels on one thread: threshold at BLOB_THRESHOLD, 26-labeling of that mask, its statistics. */
interface MaskTimes {
  readonly threshold: number;
  readonly label: number;
  readonly stats: number;
  readonly components: number;
}

type Kernels = typeof typescriptKernels;

/** Times threshold → labelBlock → labelStats (+ shapeFromPartials per label) of `k` on the whole `input`. */
async function maskKernels(k: Kernels, input: Uint16Array | Float32Array, shape: Vec3, runs: number): Promise<MaskTimes> {
  const { threshold, labelBlock, labelStats } = k;
  const mask = new Uint8Array(input.length);
  const labels = new Uint32Array(input.length);
  const origin: Vec3 = [0, 0, 0];
  const thresholdMs = await median(() => threshold(input, BLOB_THRESHOLD, null, mask), runs, 1);
  let components = 0;
  const label = await median(() => (components = labelBlock(mask, shape, 26, labels)), runs, 1);
  const stats = await median(() => {
    const partials = labelStats(labels, components, shape, origin, shape, input);
    for (let l = 1; l <= components; l++) shapeFromPartials(partials, l);
  }, runs, 1);
  return { threshold: thresholdMs, label, stats, components };
}

/** Times the box filter r=1, mode constant, of the whole volume; returns the filtered volume too. */
async function boxKernel(k: Kernels, vol: Uint16Array, shape: Vec3, runs: number): Promise<{ ms: number; filtered: Float32Array }> {
  const { boxFilter } = k;
  const filtered = new Float32Array(vol.length);
  const scratch = new Float32Array(2 * vol.length);
  const origin: Vec3 = [0, 0, 0];
  const ms = await median(() => boxFilter(vol, shape, origin, shape, origin, shape, 1, 'constant', filtered, scratch), runs, 1);
  return { ms, filtered };
}

interface PipelineTime {
  readonly ms: number;
  readonly components: number;
}

/**
 * Median wall time of box filter → threshold → label → shapeStats on `master`, from the cached blobs
 * phantom (the same voxels the kernels saw). The input is generated and cached before timing, as
 * `analyze` reads and caches its input first. A memory budget of 8 GiB keeps 512^3 from spilling.
 */
async function pipeline(master: string, side: number, runs: number): Promise<PipelineTime> {
  const ctx = await Context.create({ master, memory: '8g' });
  try {
    const img = ctx.images.synthetic({ kind: 'blobs', shape: [side, side, side], seed: SEED }).cache();
    await img.blocks.count();
    let components = 0;
    const ms = await median(async () => {
      const filtered = img.boxFilter(1).cache();
      const mask = filtered.threshold({ above: BLOB_THRESHOLD }).cache();
      const rows = await mask.labelComponents({ connectivity: 26, intensity: filtered }).shapeStats();
      components = rows.length;
      mask.unpersist();
      filtered.unpersist();
    }, runs, 1);
    return { ms, components };
  } finally {
    await ctx.stop();
  }
}

type BaselineField = 'threshold' | 'uniformFilter' | 'label' | 'stats';

/** A kernel row against its python baseline; `maxRatio` is the largest time ratio that meets the target. */
function kernelRow(name: string, ms: number, base: Baseline, field: BaselineField, what: string, target: string, maxRatio: number, note: string): BenchRow {
  if (base.state !== 'ok') {
    return { suite: 'imaging', name, ms, baselineMs: null, baseline: `${what}: skipped`, target, met: false, note: `not compared: ${base.reason}` };
  }
  const met = ms <= maxRatio * base[field];
  return { suite: 'imaging', name, ms, baselineMs: base[field], baseline: what, target, met, ...(note !== '' ? { note } : {}) };
}

function kernelRows(v: string, box: number, k: MaskTimes, base: Baseline): BenchRow[] {
  const label = kernelRow(`26-connected labeling ${v} (labelBlock, whole volume), 1 thread`, k.label, base, 'label', 'scipy ndimage.label', '>= 1x scipy speed (time <= 1x)', 1, '');
  const disagree = base.state === 'ok' && base.components !== k.components;
  return [
    kernelRow(`threshold ${v} u16 > t, 1 thread`, k.threshold, base, 'threshold', 'numpy v > t', '>= 0.5x numpy speed (time <= 2x)', 2, ''),
    kernelRow(`box filter r=1 ${v} u16 → f32, 1 thread`, box, base, 'uniformFilter', 'scipy uniform_filter(float32)', '>= 2x scipy speed (time <= 0.5x)', 0.5, ''),
    disagree ? { ...label, met: false, note: `${k.components} components, scipy ${base.components}` } : label,
    kernelRow(`statistics ${v}, ${k.components} labels (labelStats + shapeFromPartials), 1 thread`, k.stats, base, 'stats',
      'scipy center_of_mass + sum_labels', 'reported', Infinity, 'also bounds, second moments, first voxels'),
  ];
}

function pipelineRows(v: string, kernelSum: number, components: number, one: PipelineTime, two: PipelineTime): BenchRow[] {
  const name = (master: string) => `pipeline ${v} (box → threshold → label → stats), ${master}`;
  const agree = one.components === components && two.components === components;
  const mismatch = agree ? '' : `; component counts differ: kernels ${components}, local[1] ${one.components}, local[2] ${two.components}`;
  const overhead = one.ms / kernelSum;
  const speedup = one.ms / two.ms;
  return [
    {
      suite: 'imaging', name: name('local[1]'), ms: one.ms, baselineMs: kernelSum, baseline: 'sum of 1-thread kernel times (the kernels the pipeline runs)',
      target: 'engine overhead <= 1.3x', met: agree && overhead <= 1.3, note: `overhead ${overhead.toFixed(2)}x${mismatch}`,
    },
    {
      suite: 'imaging', name: name('local[2]'), ms: two.ms, baselineMs: one.ms, baseline: 'the same on local[1]',
      target: '>= 1.7x local[1] speed', met: agree && speedup >= 1.7, note: `speedup ${speedup.toFixed(2)}x${mismatch}`,
    },
  ];
}

async function benchSize(side: number, dir: string, log: (line: string) => void): Promise<BenchRow[]> {
  const v = `${side}^3`;
  const shape: Vec3 = [side, side, side];
  const runs = runsFor(side);
  log(`${v}: generating the blobs phantom ...`);
  const vol = await blobVolume(side);
  log(`${v}: kernels, 1 thread ...`);
  // Kernel rows: the TypeScript kernels (issue 3's targets; issue 4's native suite compares the C++ ones).
  const raw = await maskKernels(typescriptKernels, vol, shape, runs);
  const box = await boxKernel(typescriptKernels, vol, shape, runs);
  // The pipeline's chain on the kernels the pipeline itself runs (native where the addon is built):
  // the box filter, then threshold, labels and statistics of the filtered image.
  const nativeBox = await boxKernel(loaderKernels, vol, shape, runs);
  const chain = await maskKernels(loaderKernels, nativeBox.filtered, shape, runs);
  log(`${v}: numpy/scipy baselines ...`);
  const npy = join(dir, `blobs-${side}.npy`);
  writeImage(npy, { data: vol, shape, dtype: 'u16' });
  const base = pythonBaseline(npy, runs);
  rmSync(npy, { force: true });
  log(base.state === 'ok' ? `  ${base.versions}` : `  skipped: ${base.reason}`);
  log(`${v}: pipeline on local[1], local[2] ...`);
  const one = await pipeline('local[1]', side, runs);
  const two = await pipeline('local[2]', side, runs);
  const kernelSum = nativeBox.ms + chain.threshold + chain.label + chain.stats;
  return [...kernelRows(v, box.ms, raw, base), ...pipelineRows(v, kernelSum, chain.components, one, two)];
}

const SYNTHETIC_SHAPE: Vec3 = [128, 256, 256];
const SYNTHETIC_BLOCK: Vec3 = [64, 128, 128];
/** Issue 14.7: phantoms generate at >= 200 MVx/s per core. */
const SYNTHETIC_TARGET = 200;

/** Median ms to generate the phantom on local[1] with the addon (`native`) or VOXELFLOW_NATIVE=0 in the workers. */
async function syntheticMs(kind: PhantomKind, native: boolean): Promise<number> {
  const saved = process.env['VOXELFLOW_NATIVE'];
  if (!native) process.env['VOXELFLOW_NATIVE'] = '0'; // read by each worker as it loads native/index.ts
  const ctx = await Context.create({ master: 'local[1]' });
  if (saved === undefined) delete process.env['VOXELFLOW_NATIVE'];
  else process.env['VOXELFLOW_NATIVE'] = saved;
  try {
    const img = ctx.images.synthetic({ kind, shape: SYNTHETIC_SHAPE, seed: SEED, blockShape: SYNTHETIC_BLOCK });
    return await median(() => img.blocks.count(), 5, 2);
  } finally {
    await ctx.stop();
  }
}

/**
 * Phantom generation (`ctx.images.synthetic`, u16) on local[1]: MVx/s per kind, native (the target) and
 * the TypeScript twin (VOXELFLOW_NATIVE=0), with the load average, since the machine may be shared.
 */
export async function syntheticRows(log: (line: string) => void): Promise<BenchRow[]> {
  const v = `${SYNTHETIC_SHAPE.join('x')} in ${SYNTHETIC_BLOCK.join('x')} blocks`;
  const voxels = SYNTHETIC_SHAPE[0] * SYNTHETIC_SHAPE[1] * SYNTHETIC_SHAPE[2];
  const rows: BenchRow[] = [];
  for (const kind of ['blobs', 'bone', 'known'] as const) {
    for (const native of kind === 'known' ? [true] : [true, false]) {
      log(`synthetic ${kind} ${v}, ${native ? 'native' : 'TypeScript'}, local[1] ...`);
      const ms = await syntheticMs(kind, native);
      const rate = voxels / ms / 1e3;
      const load = `load average ${loadavg()[0]!.toFixed(1)}`;
      const backend = kind === 'known' ? 'block pattern' : native ? 'native' : 'TypeScript twin';
      rows.push({
        suite: 'imaging', name: `synthetic ${kind} ${v} u16, ${backend}, local[1]`, ms, baselineMs: null, baseline: 'absolute',
        value: { amount: rate, unit: 'MVx/s' }, target: native && kind !== 'known' ? `>= ${SYNTHETIC_TARGET} MVx/s` : 'reported',
        met: !native || kind === 'known' || rate >= SYNTHETIC_TARGET, note: `${rate.toFixed(0)} MVx/s; ${load}`,
      });
    }
  }
  return rows;
}

/** Cube sides from VOXELFLOW_BENCH_SIZES (comma-separated), default 256. */
function sizes(): number[] {
  const spec = process.env.VOXELFLOW_BENCH_SIZES ?? '256';
  const sides = spec.split(',').map((s) => Number(s.trim()));
  if (sides.some((s) => !Number.isInteger(s) || s < 8)) {
    throw new TypeError(`VOXELFLOW_BENCH_SIZES must be cube sides >= 8 separated by commas (e.g. 256,512), got '${spec}'`);
  }
  return sides;
}

/** The imaging suite: kernel rows and pipeline rows for each size. */
export async function imagingBenchmarks(log: (line: string) => void): Promise<BenchRow[]> {
  const sides = sizes();
  const dir = mkdtempSync(join(tmpdir(), 'voxelflow-bench-'));
  try {
    const rows: BenchRow[] = [];
    for (const side of sides) rows.push(...(await benchSize(side, dir, log)));
    rows.push(...(await syntheticRows(log)));
    rows.push(...(await labelingStepRows(log)));
    rows.push(...(await zarrWriteRows(log)));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

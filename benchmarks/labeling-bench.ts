/**
 * Issue 14 item 5: the labeling step of `voxelflow analyze` (labelComponents with connectivity 26 and
 * the image as intensity, the component count, the labels computed and cached — `--json`'s
 * timings.label) on local[1], against `scipy.ndimage.label` of the same mask, measured in the same
 * run on the same data. Part of the imaging suite.
 *
 * Data: the blobs phantom (imaging-bench.ts), 384^3 by default (VOXELFLOW_BENCH_LABEL_SIDE=N for
 * another cube side), mask `v > 300`. Medians of 5 runs after a warm-up, on both sides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context } from '../core/index.js';
import '../imaging/index.js';
import type { Vec3 } from '../imaging/box.js';
import { writeImage } from '../imaging/io/index.js';
import { median, type BenchRow } from './harness.js';
import { BLOB_THRESHOLD, blobVolume } from './imaging-bench.js';
import { runPython, SCIPY_PRELUDE } from './python-baseline.js';

const RUNS = 5;

const PYTHON = SCIPY_PRELUDE + String.raw`
path, t, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
mask = np.load(path) > t
structure = np.ones((3, 3, 3), dtype=bool)
_, n = ndimage.label(mask, structure)
print(json.dumps({"state": "ok", "label": med(lambda: ndimage.label(mask, structure), runs), "components": int(n)}))
`;

type Baseline = { readonly state: 'ok'; readonly label: number; readonly components: number } | { readonly state: 'absent'; readonly reason: string };

/**
 * Median time of the labeling step on local[1], its component count and the stages of one run. The
 * input is read from the .npy and cached, as analyze does (an image made with fromArray would carry
 * the whole volume in every stage's plan).
 */
async function labelingStep(npy: string): Promise<{ ms: number; components: number; stages: number }> {
  const ctx = await Context.create({ master: 'local[1]', memory: '8g' });
  try {
    const img = ctx.images.read(npy).cache();
    const mask = img.threshold({ above: BLOB_THRESHOLD }).cache();
    await mask.blocks.count();
    let components = 0;
    let stages = 0;
    ctx.on('stageSubmitted', () => void stages++);
    const ms = await median(async () => {
      stages = 0;
      const labels = mask.labelComponents({ connectivity: 26, intensity: img });
      components = await labels.componentCount();
      const cached = labels.cache();
      await cached.blocks.count();
      cached.unpersist();
    }, RUNS, 1);
    return { ms, components, stages };
  } finally {
    await ctx.stop();
  }
}

function side(): number {
  const spec = process.env.VOXELFLOW_BENCH_LABEL_SIDE ?? '384';
  const s = Number(spec);
  if (!Number.isInteger(s) || s < 8) throw new TypeError(`VOXELFLOW_BENCH_LABEL_SIDE must be a cube side >= 8, got '${spec}'`);
  return s;
}

/** The labeling-step row of the imaging suite. */
export async function labelingStepRows(log: (line: string) => void): Promise<BenchRow[]> {
  const s = side();
  const v = `${s}^3`;
  const shape: Vec3 = [s, s, s];
  log(`labeling step ${v}: generating the blobs phantom ...`);
  const vol = await blobVolume(s);
  const dir = mkdtempSync(join(tmpdir(), 'voxelflow-bench-'));
  let base: Baseline;
  let step: { ms: number; components: number; stages: number };
  const load = loadavg()[0]?.toFixed(2) ?? '?';
  try {
    const npy = join(dir, 'blobs.npy');
    writeImage(npy, { data: vol, shape, dtype: 'u16' });
    log(`labeling step ${v}: scipy ndimage.label ...`);
    const r = runPython(PYTHON, [npy, String(BLOB_THRESHOLD), String(RUNS)]);
    base = r.ok ? (r.json as Baseline) : { state: 'absent', reason: r.reason };
    log(`labeling step ${v}: local[1] ...`);
    step = await labelingStep(npy);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const name = `labeling step ${v} (labelComponents 26 + count + labels cached, as analyze's timings.label), local[1]`;
  const target = '>= 4x scipy speed (time <= 0.25x)';
  if (base.state !== 'ok') {
    return [{ suite: 'imaging', name, ms: step.ms, baselineMs: null, baseline: 'scipy ndimage.label: skipped', target, met: false, note: `not compared: ${base.reason}` }];
  }
  const agree = base.components === step.components;
  const note = `speed ${(base.label / step.ms).toFixed(2)}x scipy, ${step.stages} stages, ${step.components} components${agree ? '' : ` (scipy ${base.components})`}, load ${load} at start`;
  return [{ suite: 'imaging', name, ms: step.ms, baselineMs: base.label, baseline: 'scipy ndimage.label (same mask)', target, met: agree && step.ms <= 0.25 * base.label, note }];
}

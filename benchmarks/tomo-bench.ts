/**
 * Issue 16 benchmarks: tomographic reconstruction. On the same simulated scan of 256 projections of
 * 256 x 256 pixels (float32 .npy stacks with flats and darks):
 * - the native back-projection kernel on one thread (voxel-updates/s, counted over the N x N square),
 *   against its TypeScript twin;
 * - the whole file reconstruction (read, dark/flat, -log, filter, back-projection: ctx.tomo.read, centre
 *   given) on local[1] against scikit-image `iradon` over the same rows on one thread (numpy's
 *   correction included; iradon is timed on 16 rows and scaled to 256, said in the row), and local[2]
 *   against local[1];
 * - `voxelflow reconstruct` as a fresh process with the automatic centre, labeling and statistics;
 * - the stream: `simulate-beamline --tomo` scans reconstructed and analyzed as `stream --reconstruct`
 *   does, scans per minute and the latency with the sender paced at 30 scans per minute;
 * - with VOXELFLOW_TOMCAT_DIR set, `voxelflow reconstruct --rows` of 32 rows of a TOMCAT-size scan
 *   (tomcat-bench.ts, whose own suite adds the whole volume).
 * scikit-image comes from VOXELFLOW_SKIMAGE_PYTHON, the venv .ci/run makes, or python3; without it the
 * rows say so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Context } from '../core/index.js';
import { writeImage } from '../imaging/io/index.js';
import { nativeStatus } from '../native/index.js';
import { kernels, typescriptKernels } from '../tomo/kernels/dispatch.js';
import { simulateScan } from '../tomo/index.js';
import { filterMargin, paddedLength } from '../tomo/kernels/index.js';
import { trig } from '../tomo/fbp.js';
import { median, type BenchRow } from './harness.js';
import { runPython } from './python-baseline.js';
import { streamRun } from './streaming-bench.js';
import { tomcatRow } from './tomcat-bench.js';
import { reconstructScan, StreamReconstructor } from '../cli/stream-reconstruct.js';
import type { BeamlineStream, Scan } from '../streaming/index.js';

const SIZE = 256;
const ANGLES = 256;
const ROWS = 256;
const IRADON_ROWS = 16;

const PYTHON = String.raw`
import json, sys, time, os
try:
    import numpy as np
    import skimage
    from skimage.transform import iradon
except ImportError as e:
    print(json.dumps({"state": "absent", "reason": "no %s" % (e.name or e)}))
    sys.exit(0)
d, rows, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def run():
    proj = np.load(d + '/proj.npy', mmap_mode='r')[:, :rows, :].astype(np.float64)
    dark = np.load(d + '/darks.npy')[:, :rows, :].astype(np.float64).mean(axis=0)
    flat = np.load(d + '/flats.npy')[:, :rows, :].astype(np.float64).mean(axis=0)
    c = -np.log(np.clip((proj - dark) / np.maximum(flat - dark, 1e-6), 1e-6, 1e6))
    theta = np.arange(proj.shape[0]) * 180.0 / proj.shape[0]
    return [iradon(c[:, z, :].T, theta=theta, filter_name='ramp', circle=True) for z in range(rows)]
ts = []
for _ in range(runs):
    s = time.perf_counter(); run(); ts.append((time.perf_counter() - s) * 1000)
ts.sort()
print(json.dumps({"state": "ok", "ms": ts[len(ts) // 2], "versions": "numpy %s, scikit-image %s" % (np.__version__, skimage.__version__)}))
`;

/** The interpreter with scikit-image: VOXELFLOW_SKIMAGE_PYTHON, the venv of .ci/run, else python3. */
function skimagePython(): string {
  const venv = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'voxelflow', 'skimage-venv', 'bin', 'python');
  return process.env['VOXELFLOW_SKIMAGE_PYTHON'] ?? (existsSync(venv) ? venv : 'python3');
}

/** Median ms of the whole reconstruction of `dir`'s scan on `master`. */
async function reconstructMs(master: string, dir: string, runs: number): Promise<number> {
  const ctx = await Context.create({ master });
  try {
    const options = { flats: join(dir, 'flats.npy'), darks: join(dir, 'darks.npy'), angles: [0, 180] as const, center: SIZE / 2 };
    return await median(async () => {
      const rec = await ctx.tomo.read(join(dir, 'proj.npy'), options);
      await rec.image.blocks.count();
    }, runs, 1);
  } finally {
    await ctx.stop();
  }
}

/** Slices per back-projection call, as reconstructSlices makes them. */
const BP_SLICES = 4;

/** Median ms per slice of the back-projection with `k`'s kernel, BP_SLICES slices per call. */
async function backProjectMs(k: typeof kernels, runs: number): Promise<number> {
  const size = paddedLength(SIZE);
  const width = size - SIZE;
  let s = 1;
  const lines = Float32Array.from({ length: BP_SLICES * ANGLES * width }, () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5);
  const { cos, sin } = trig(Array.from({ length: ANGLES }, (_, a) => (a * 180) / ANGLES));
  const out = new Float32Array(BP_SLICES * SIZE * SIZE);
  const g = { size: SIZE, width, margin: filterMargin(SIZE, size), center: SIZE / 2 };
  return (await median(() => k.backProject(lines, cos, sin, g, 0, 0, SIZE, SIZE, out, BP_SLICES), runs, 1)) / BP_SLICES;
}

/** Frames per streamed scan: projections, flats and darks of simulateScan's defaults. */
const STREAM_FRAMES = ANGLES + 4 + 3;
const STREAM_SCANS = 6;

/**
 * The stream: 256^3 scans of 256 projections sent by `simulate-beamline --tomo` (another process),
 * each back-projected as its projections arrive (the previous scan's centre as the provisional one;
 * the centre found at the end of the scan, the volume recomputed when it is more than 0.25 px away)
 * and analyzed (box 1, threshold, 26-label, statistics) as `stream --reconstruct` does, on local[2]: scans per minute with the sender
 * unthrottled, then the latency from the series end to the result with the sender paced at 30 scans
 * per minute.
 */
async function streamRows(log: (line: string) => void): Promise<BenchRow[]> {
  const ctx = await Context.create({ master: 'local[2]' });
  const load = () => `load ${loadavg()[0]!.toFixed(2)}`;
  const options = { center: 'auto', filter: 'ramp', noFlat: false, volumes: null } as const;
  const recomputed: boolean[] = [];
  // One reconstructor for both runs, as one stream session: the paced run starts from the centre the
  // unthrottled one found (the first scan of the session, provisional centre the middle column, is
  // recomputed).
  const reconstructor = new StreamReconstructor(options);
  const setup = (beam: BeamlineStream): void => beam.onFrame((e) => reconstructor.frame(e));
  const pipeline = async (scan: Scan): Promise<void> => {
    const rec = await reconstructScan(ctx, scan, options, reconstructor.take(scan.series), reconstructor);
    recomputed.push(rec.recomputed !== null);
    try {
      const filtered = rec.image.boxFilter(1);
      const labels = filtered.threshold({ above: 0.03 }).labelComponents({ connectivity: 26, intensity: filtered });
      await labels.componentCount();
      await labels.shapeTable();
    } finally {
      rec.release();
    }
  };
  const sim = ['--tomo', '--shape', `${SIZE},${ROWS},${ANGLES}`, '--distinct', '2'];
  try {
    log(`stream: ${STREAM_SCANS} tomography scans of ${SIZE}^3, sender unthrottled ...`);
    const free = await streamRun(ctx, sim, STREAM_SCANS, pipeline, setup);
    const perScan = (free.done[free.done.length - 1]! - free.done[0]!) / (STREAM_SCANS - 1);
    log(`stream: sender paced at 30 scans/min ...`);
    const paced = await streamRun(ctx, [...sim, '--rate', String((STREAM_FRAMES * 30) / 60)], STREAM_SCANS, pipeline, setup);
    const again = recomputed.filter(Boolean).length;
    const latencies = paced.reports.map((r, i) => paced.done[i]! - r.endedAt).sort((a, b) => a - b);
    const p99 = latencies[latencies.length - 1]!;
    return [
      {
        suite: 'tomo', name: `stream --reconstruct: ${SIZE}^3 scans of ${ANGLES} projections + box 1, threshold, 26-label, stats, sender unthrottled (${STREAM_SCANS} scans, result to result)`,
        ms: perScan, baselineMs: null, baseline: 'absolute', value: { amount: 60_000 / perScan, unit: 'scans/min' },
        target: '>= 30 scans/min', met: 60_000 / perScan >= 30, note: load(),
      },
      {
        suite: 'tomo', name: `stream --reconstruct, sender paced at 30 scans/min: p99 latency, series end to result (${STREAM_SCANS} scans)`,
        ms: p99, baselineMs: null, baseline: 'absolute', value: { amount: latencies[Math.floor(latencies.length / 2)]!, unit: 'ms p50' },
        target: 'p99 < 3 s', met: p99 < 3000, note: `p99 of ${STREAM_SCANS} scans is their maximum; ${again} of ${recomputed.length} scans of the session recomputed at the end (the first one's provisional centre is the middle column); ${load()}`,
      },
    ];
  } finally {
    await ctx.stop();
  }
}

export async function tomoBenchmarks(log: (line: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const load = () => `load ${loadavg()[0]!.toFixed(2)}`;
  const updates = SIZE * SIZE * ANGLES;
  log(`back-projection kernel, ${BP_SLICES} slices of 256^2 from 256 angles per call ...`);
  const nativeMs = await backProjectMs(kernels, 9);
  const tsMs = await backProjectMs(typescriptKernels, 3);
  const native = nativeStatus().state === 'loaded';
  rows.push({
    suite: 'tomo', name: `back-projection ${SIZE}^2 x ${ANGLES} angles, per slice, ${BP_SLICES} slices per call, 1 thread (${native ? 'native' : 'TypeScript: addon not built'})`,
    ms: nativeMs, baselineMs: tsMs, baseline: 'TypeScript twin', value: { amount: updates / (nativeMs / 1000) / 1e6, unit: 'M voxel-updates/s' },
    target: '>= 2,000 M voxel-updates/s', met: native && updates / (nativeMs / 1000) >= 2e9, note: load(),
  });
  const dir = mkdtempSync(join(tmpdir(), 'voxelflow-tomo-bench-'));
  try {
    log(`simulating ${ANGLES} projections of ${SIZE} x ${ROWS} ...`);
    const scan = simulateScan({ size: SIZE, rows: ROWS, angles: ANGLES, shift: 3.4, noise: 0.01 });
    writeImage(join(dir, 'proj.npy'), { data: scan.projections, shape: [ANGLES, ROWS, SIZE], dtype: 'f32' });
    writeImage(join(dir, 'flats.npy'), { data: scan.flats, shape: [scan.flatCount, ROWS, SIZE], dtype: 'f32' });
    writeImage(join(dir, 'darks.npy'), { data: scan.darks, shape: [scan.darkCount, ROWS, SIZE], dtype: 'f32' });
    log('scikit-image iradon baseline, 1 thread ...');
    const python = skimagePython();
    const r = runPython(PYTHON, [dir, String(IRADON_ROWS), '3'], python, { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
    const base = r.ok ? (r.json as { state: 'ok'; ms: number; versions: string } | { state: 'absent'; reason: string }) : { state: 'absent' as const, reason: r.reason };
    const iradonMs = base.state === 'ok' ? (base.ms * ROWS) / IRADON_ROWS : null;
    log(base.state === 'ok' ? `  ${base.versions}: ${IRADON_ROWS} rows in ${base.ms.toFixed(0)} ms` : `  skipped: ${base.reason}`);
    log('reconstruction on local[1], local[2] ...');
    const one = await reconstructMs('local[1]', dir, 3);
    const two = await reconstructMs('local[2]', dir, 3);
    rows.push({
      suite: 'tomo', name: `reconstruct ${ANGLES} x ${SIZE}^2 -> ${ROWS} x ${SIZE}^2 from .npy, local[1]`, ms: one,
      baselineMs: iradonMs, baseline: base.state === 'ok' ? `iradon, 1 thread (${IRADON_ROWS} rows x ${ROWS / IRADON_ROWS})` : `iradon absent (${base.reason})`,
      target: '>= 30x faster than iradon', met: iradonMs !== null && iradonMs / one >= 30, note: `${iradonMs !== null ? `${(iradonMs / one).toFixed(1)}x faster; ` : ''}${load()}`,
    });
    rows.push({
      suite: 'tomo', name: 'reconstruct, local[2]', ms: two, baselineMs: one, baseline: 'local[1]',
      target: '>= 1.7x local[1]', met: one / two >= 1.7, note: `${(one / two).toFixed(2)}x; ${load()}`,
    });
    log('voxelflow reconstruct as a fresh process (centre auto, label, statistics) ...');
    const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');
    const args = [bin, 'reconstruct', 'proj.npy', '--flats', 'flats.npy', '--darks', 'darks.npy', '--angles', '0:180', '--above', '0.03', '--stats', 'stats.csv', '--overwrite', '--master', 'local[2]', '--json', '--quiet'];
    let summary = '';
    const cli = await median(() => {
      const p = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
      if (p.status !== 0) throw new Error(`voxelflow reconstruct failed: ${p.stderr.trim()}`);
      summary = p.stdout.trim();
    }, 3);
    const s = JSON.parse(summary) as { center: number; components: number };
    rows.push({
      suite: 'tomo', name: 'voxelflow reconstruct (fresh process, centre auto, label + stats), local[2]', ms: cli,
      baselineMs: iradonMs, baseline: 'iradon alone, 1 thread', target: 'reported', met: true,
      note: `centre ${s.center.toFixed(2)} (true ${scan.center}), ${s.components} components; ${load()}`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  rows.push(...(await streamRows(log)));
  const tomcat = process.env['VOXELFLOW_TOMCAT_DIR'];
  if (tomcat !== undefined && tomcat !== '') rows.push({ ...(await tomcatRow(tomcat, log)), suite: 'tomo' });
  return rows;
}

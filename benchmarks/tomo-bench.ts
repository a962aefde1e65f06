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
 *   (1500 x 2048^2, sparse stacks written there once).
 * scikit-image comes from VOXELFLOW_SKIMAGE_PYTHON, the venv .ci/run makes, or python3; without it the
 * rows say so.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Context } from '../core/index.js';
import { writeImage } from '../imaging/io/index.js';
import { npyHeader } from '../imaging/io/npy.js';
import { nativeStatus } from '../native/index.js';
import { kernels, typescriptKernels } from '../tomo/kernels/dispatch.js';
import { simulateScan } from '../tomo/index.js';
import { filterMargin, paddedLength } from '../tomo/kernels/index.js';
import { trig } from '../tomo/fbp.js';
import { median, runVoxelflow, type BenchRow } from './harness.js';
import { runPython } from './python-baseline.js';
import { streamRun } from './streaming-bench.js';
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

/** The TOMCAT-size scan: 1500 projections of 2048 x 2048, of which --rows reconstructs 32. */
const TOMCAT = { angles: 1500, size: 2048, rows: 32, firstRow: 1008 } as const;

/**
 * Writes `name` as a uint16 .npy of `frames` frames of TOMCAT.size^2 in which only the band of rows
 * [firstRow, firstRow + rows) holds data (`band`: [frame][row][column]); the rest is left as holes of
 * a sparse file, so the 12.6 GB stack takes ~200 MB of disk. What `--rows` reads is real data.
 */
function writeBandStack(path: string, frames: number, band: Float32Array): void {
  const { size, rows, firstRow } = TOMCAT;
  const header = npyHeader([frames, size, size], 'u16');
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header, 0, header.length, 0);
    const rowBytes = size * 2;
    const chunk = new Uint16Array(rows * size);
    for (let f = 0; f < frames; f++) {
      for (let i = 0; i < chunk.length; i++) chunk[i] = Math.min(65535, Math.max(0, Math.round(band[f * chunk.length + i]!)));
      writeSync(fd, new Uint8Array(chunk.buffer), 0, chunk.byteLength, header.length + (f * size + firstRow) * rowBytes);
    }
    ftruncateSync(fd, header.length + frames * size * size * 2);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opt-in (VOXELFLOW_TOMCAT_DIR): `voxelflow reconstruct --rows` of 32 rows of a 1500 x 2048^2 scan
 * (TOMCAT size), a fresh process on local[2] writing the rows as .npy. The stacks are sparse files
 * (see writeBandStack), written once into the folder and reused.
 */
export async function tomcatRow(dir: string, log: (line: string) => void): Promise<BenchRow> {
  const { angles, size, rows, firstRow } = TOMCAT;
  mkdirSync(dir, { recursive: true });
  const proj = join(dir, 'tomcat-proj.npy');
  const shift = 3.4;
  if (!existsSync(proj)) {
    log(`TOMCAT: simulating ${angles} projections of rows ${firstRow}:${firstRow + rows} of ${size} x ${size} into sparse stacks in ${dir} ...`);
    const scan = simulateScan({ size, rows, angles, shift, noise: 0.01 });
    writeBandStack(join(dir, 'tomcat-darks.npy'), scan.darkCount, scan.darks);
    writeBandStack(join(dir, 'tomcat-flats.npy'), scan.flatCount, scan.flats);
    writeBandStack(`${proj}.tmp`, angles, scan.projections);
    renameSync(`${proj}.tmp`, proj);
  }
  const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');
  const out = join(dir, 'tomcat-rows.npy');
  const args = [bin, 'reconstruct', proj, '--flats', join(dir, 'tomcat-flats.npy'), '--darks', join(dir, 'tomcat-darks.npy'), '--angles', '0:180', '--center', String(size / 2 + shift),
    '--rows', `${firstRow}:${firstRow + rows}`, '--out', out, '--overwrite', '--master', 'local[2]', '--json', '--quiet'];
  log(`TOMCAT: voxelflow reconstruct --rows ${firstRow}:${firstRow + rows} ...`);
  const ms = await median(() => {
    const p = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (p.status !== 0) throw new Error(`voxelflow reconstruct (TOMCAT) failed: ${p.stderr.trim()}`);
  }, 1);
  rmSync(out, { force: true });
  return {
    suite: 'tomo', name: `voxelflow reconstruct --rows of ${rows} rows of ${angles} projections of ${size} x ${size} (fresh process, .npy out), local[2]`, ms,
    baselineMs: null, baseline: 'absolute', value: { amount: (rows * size * size * angles) / (ms / 1000) / 1e9, unit: 'G voxel-updates/s' },
    target: '< 60 s on 2 cores', met: ms < 60_000, note: `sparse uint16 stacks (only the rows read hold data, in the page cache after writing); load ${loadavg()[0]!.toFixed(2)}`,
  };
}

/**
 * Writes `name` as a uint16 .npy of `frames` whole frames of TOMCAT.size^2, every one of its rows real
 * data: the band's TOMCAT.rows rows (`band`: [frame][row][column]) repeated down the detector, as a
 * sample made of identical layers. One 8 MB frame per write; returns the bytes written.
 */
function writeTiledStack(path: string, frames: number, band: Float32Array): number {
  const { size, rows } = TOMCAT;
  const header = npyHeader([frames, size, size], 'u16');
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header, 0, header.length, 0);
    const frame = new Uint16Array(size * size);
    const bandLength = rows * size;
    for (let f = 0; f < frames; f++) {
      for (let i = 0; i < bandLength; i++) frame[i] = Math.min(65535, Math.max(0, Math.round(band[f * bandLength + i]!)));
      for (let copy = bandLength; copy < frame.length; copy += bandLength) frame.copyWithin(copy, 0, Math.min(bandLength, frame.length - copy));
      writeSync(fd, new Uint8Array(frame.buffer), 0, frame.byteLength, header.length + f * frame.byteLength);
    }
    return header.length + frames * frame.byteLength;
  } finally {
    closeSync(fd);
  }
}

/**
 * Opt-in (`npm run bench -- tomcat`, VOXELFLOW_TOMCAT_DIR): the whole TOMCAT-size volume, 2048 slices of
 * 2048^2 from 1500 projections of 2048^2 (12.6 GB of real uint16 projections, written once), out of core
 * into OME-Zarr (34 GB of float32 before gzip) by `voxelflow reconstruct` as a fresh process on
 * local[2] with `--memory 4g`, its peak RSS sampled. Checked: the store's rows of the 32-row band equal
 * `--rows` of the same band (written as .npy in the same run) exactly, and so do the rows of another
 * band that hold the same sinograms (frame row r holds the simulated band's row r % 32).
 */
export async function tomcatVolumeRow(dir: string, log: (line: string) => void): Promise<BenchRow> {
  const { angles, size, rows, firstRow } = TOMCAT;
  mkdirSync(dir, { recursive: true });
  const proj = join(dir, 'tomcat-full-proj.npy');
  const flats = join(dir, 'tomcat-full-flats.npy');
  const darks = join(dir, 'tomcat-full-darks.npy');
  const shift = 3.4;
  const inputBytes = 128 + angles * size * size * 2;
  const outputBytes = size * size * size * 4;
  const free = (): number => Number(statfsSync(dir).bavail) * Number(statfsSync(dir).bsize);
  const GiB = 1024 ** 3;
  if (!existsSync(proj) || statSync(proj).size !== inputBytes) {
    if (free() < inputBytes + outputBytes + 2 * GiB) {
      throw new Error(`the whole TOMCAT volume needs ${((inputBytes + outputBytes) / GiB + 2).toFixed(0)} GiB free in ${dir} (projections and a float32 store), which has ${(free() / GiB).toFixed(0)} GiB`);
    }
    log(`TOMCAT volume: simulating ${rows} rows of ${angles} projections and writing whole ${size} x ${size} frames to ${dir} ...`);
    const scan = simulateScan({ size, rows, angles, shift, noise: 0.01 });
    writeTiledStack(darks, scan.darkCount, scan.darks);
    writeTiledStack(flats, scan.flatCount, scan.flats);
    writeTiledStack(`${proj}.tmp`, angles, scan.projections);
    renameSync(`${proj}.tmp`, proj);
  } else if (free() < outputBytes + 2 * GiB) {
    throw new Error(`the whole TOMCAT volume needs ${(outputBytes / GiB + 2).toFixed(0)} GiB free in ${dir} for its store, which has ${(free() / GiB).toFixed(0)} GiB`);
  }
  const common = [proj, '--flats', flats, '--darks', darks, '--angles', '0:180', '--center', String(size / 2 + shift), '--overwrite', '--master', 'local[2]', '--json', '--quiet'];
  const band = join(dir, 'tomcat-full-band.npy');
  const store = join(dir, 'tomcat-full-volume.zarr');
  log(`TOMCAT volume: --rows ${firstRow}:${firstRow + rows} as .npy (the reference) ...`);
  const ref = await runVoxelflow(['reconstruct', ...common, '--rows', `${firstRow}:${firstRow + rows}`, '--out', band]);
  if (ref.code !== 0) throw new Error(`voxelflow reconstruct --rows (TOMCAT) failed: ${ref.stderr.trim()}`);
  log(`TOMCAT volume: the whole ${size}^3 volume into ${store}, --memory 4g (about 15 minutes on 2 cores) ...`);
  const load0 = loadavg()[0]!;
  const r = await runVoxelflow(['reconstruct', ...common, '--memory', '4g', '--out', store]);
  const name = `voxelflow reconstruct, the whole volume: ${angles} projections of ${size} x ${size} -> ${size}^3 f32 OME-Zarr (gzip), --memory 4g, local[2]`;
  const target = 'out of core within the memory budget';
  if (r.code !== 0) return { suite: 'tomcat', name, ms: r.ms, baselineMs: null, baseline: 'absolute', target, met: false, note: `failed: ${r.stderr.trim().split('\n').pop() ?? ''}` };
  const stored = storeBytes(store);
  const ctx = await Context.create({ master: 'local[2]' });
  let same: string;
  try {
    const expected = (await ctx.images.read(band).toArray()).data;
    const volume = ctx.images.read(store);
    const at = (z0: number): Promise<ArrayLike<number>> => volume.roi([0, 0, z0], [size, size, z0 + rows]).toArray().then((v) => v.data);
    const first = await at(firstRow);
    // Frame row r holds band row r % rows: rows [firstRow, firstRow + rows) and the same rows 3 bands
    // up from the first whole band hold the same sinograms in the same order.
    const secondRow = (firstRow % rows) + rows * 3;
    const second = await at(secondRow);
    const differs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
      let n = 0;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
      return n;
    };
    const bad = differs(first, expected);
    const bad2 = differs(second, expected);
    same = bad === 0 && bad2 === 0 ? `rows ${firstRow}:${firstRow + rows} equal --rows exactly, and so do rows ${secondRow}:${secondRow + rows}` : `MISMATCH: ${bad} and ${bad2} voxels differ from --rows`;
  } finally {
    await ctx.stop();
  }
  const rssGiB = r.peakRssBytes / GiB;
  const summary = JSON.parse(r.stdout) as { center: number; timings_ms: Record<string, number> };
  const parts = Object.entries(summary.timings_ms).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)} s`).join(', ');
  rmSync(store, { recursive: true, force: true });
  rmSync(band, { force: true });
  return {
    suite: 'tomcat', name, ms: r.ms, baselineMs: null, baseline: 'absolute', value: { amount: (size * size * size * angles) / (r.ms / 1000) / 1e9, unit: 'G voxel-updates/s' },
    target: `${target} (4 GiB)`, met: rssGiB <= 4 && same.startsWith('rows'),
    note: `peak RSS ${rssGiB.toFixed(2)} GiB; store ${(stored / GiB).toFixed(1)} GiB on disk; ${same}; ${parts}; load ${load0.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end`,
  };
}

/** Bytes of the files under `dir`. */
function storeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/**
 * `npm run bench -- tomcat` (opt-in, by name only; VOXELFLOW_TOMCAT_DIR, default the OS temp dir): the
 * TOMCAT-size rows: `--rows` of 32 rows, then the whole volume into OME-Zarr (needs ~50 GB free).
 */
export async function tomcatBenchmarks(log: (line: string) => void): Promise<BenchRow[]> {
  const dir = process.env['VOXELFLOW_TOMCAT_DIR'] || join(tmpdir(), 'voxelflow-tomcat');
  return [{ ...(await tomcatRow(dir, log)), suite: 'tomcat' }, await tomcatVolumeRow(dir, log)];
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
  if (tomcat !== undefined && tomcat !== '') rows.push(await tomcatRow(tomcat, log));
  return rows;
}

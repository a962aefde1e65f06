/**
 * TOMCAT-size tomography (issue 16): 1500 projections of 2048 x 2048 (a 12.6 GB uint16 stack), as the
 * SLS TOMCAT beamline records them. `npm run bench -- tomcat` (opt-in, by name only; ~50 GB free in
 * VOXELFLOW_TOMCAT_DIR, default the OS temp dir):
 * - `voxelflow reconstruct --rows` of 32 rows from sparse stacks (only those rows hold data);
 * - the whole 2048^3 volume out of core into OME-Zarr with `--memory 4g`, its peak RSS sampled, checked
 *   against `--rows`.
 * The stacks are simulated once (a 32-row band of simulateScan) and kept in the folder for later runs.
 */
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, renameSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Context } from '../core/index.js';
import { npyHeader } from '../imaging/io/npy.js';
import { simulateScan } from '../tomo/index.js';
import { median, runVoxelflow, storeBytes, voxelflowBin, type BenchRow } from './harness.js';

/** The TOMCAT-size scan: 1500 projections of 2048 x 2048, of which --rows reconstructs 32. */
const TOMCAT = { angles: 1500, size: 2048, rows: 32, firstRow: 1008 } as const;

/**
 * Writes `path` as a uint16 .npy of `frames` frames of TOMCAT.size^2 from `band` ([frame][row][column],
 * TOMCAT.rows rows a frame). `sparse`: only rows [firstRow, firstRow + rows) hold the band, the rest are
 * holes of a sparse file (the 12.6 GB stack takes ~200 MB of disk; what `--rows` reads is real data).
 * `tiled`: every row holds data, the band repeated down the detector (frame row r is band row
 * r % rows), one 8 MB frame per write.
 */
export function writeStack(path: string, frames: number, band: Float32Array, layout: 'sparse' | 'tiled'): void {
  const { size, rows, firstRow } = TOMCAT;
  const header = npyHeader([frames, size, size], 'u16');
  const frameBytes = size * size * 2;
  const bandLength = rows * size;
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header, 0, header.length, 0);
    const frame = new Uint16Array(layout === 'tiled' ? size * size : bandLength);
    for (let f = 0; f < frames; f++) {
      for (let i = 0; i < bandLength; i++) frame[i] = Math.min(65535, Math.max(0, Math.round(band[f * bandLength + i]!)));
      if (layout === 'sparse') {
        writeSync(fd, new Uint8Array(frame.buffer), 0, frame.byteLength, header.length + f * frameBytes + firstRow * size * 2);
        continue;
      }
      for (let copy = bandLength; copy < frame.length; copy += bandLength) frame.copyWithin(copy, 0, Math.min(bandLength, frame.length - copy));
      writeSync(fd, new Uint8Array(frame.buffer), 0, frame.byteLength, header.length + f * frameBytes);
    }
    ftruncateSync(fd, header.length + frames * frameBytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opt-in (VOXELFLOW_TOMCAT_DIR): `voxelflow reconstruct --rows` of 32 rows of a 1500 x 2048^2 scan
 * (TOMCAT size), a fresh process on local[2] writing the rows as .npy. The stacks are sparse files
 * (see writeStack), written once into the folder and reused.
 */
export async function tomcatRow(dir: string, log: (line: string) => void): Promise<BenchRow> {
  const { angles, size, rows, firstRow } = TOMCAT;
  mkdirSync(dir, { recursive: true });
  const proj = join(dir, 'tomcat-proj.npy');
  const shift = 3.4;
  if (!existsSync(proj)) {
    log(`TOMCAT: simulating ${angles} projections of rows ${firstRow}:${firstRow + rows} of ${size} x ${size} into sparse stacks in ${dir} ...`);
    const scan = simulateScan({ size, rows, angles, shift, noise: 0.01 });
    writeStack(join(dir, 'tomcat-darks.npy'), scan.darkCount, scan.darks, 'sparse');
    writeStack(join(dir, 'tomcat-flats.npy'), scan.flatCount, scan.flats, 'sparse');
    writeStack(`${proj}.tmp`, angles, scan.projections, 'sparse');
    renameSync(`${proj}.tmp`, proj);
  }
  const out = join(dir, 'tomcat-rows.npy');
  const args = [voxelflowBin, 'reconstruct', proj, '--flats', join(dir, 'tomcat-flats.npy'), '--darks', join(dir, 'tomcat-darks.npy'), '--angles', '0:180', '--center', String(size / 2 + shift),
    '--rows', `${firstRow}:${firstRow + rows}`, '--out', out, '--overwrite', '--master', 'local[2]', '--json', '--quiet'];
  log(`TOMCAT: voxelflow reconstruct --rows ${firstRow}:${firstRow + rows} ...`);
  const ms = await median(() => {
    const p = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (p.status !== 0) throw new Error(`voxelflow reconstruct (TOMCAT) failed: ${p.stderr.trim()}`);
  }, 1);
  rmSync(out, { force: true });
  return {
    suite: 'tomcat', name: `voxelflow reconstruct --rows of ${rows} rows of ${angles} projections of ${size} x ${size} (fresh process, .npy out), local[2]`, ms,
    baselineMs: null, baseline: 'absolute', value: { amount: (rows * size * size * angles) / (ms / 1000) / 1e9, unit: 'G voxel-updates/s' },
    target: '< 60 s on 2 cores', met: ms < 60_000, note: `sparse uint16 stacks (only the rows read hold data, in the page cache after writing); load ${loadavg()[0]!.toFixed(2)}`,
  };
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
    writeStack(darks, scan.darkCount, scan.darks, 'tiled');
    writeStack(flats, scan.flatCount, scan.flats, 'tiled');
    writeStack(`${proj}.tmp`, angles, scan.projections, 'tiled');
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

/**
 * `npm run bench -- tomcat` (opt-in, by name only; VOXELFLOW_TOMCAT_DIR, default the OS temp dir): the
 * TOMCAT-size rows: `--rows` of 32 rows, then the whole volume into OME-Zarr (needs ~50 GB free).
 */
export async function tomcatBenchmarks(log: (line: string) => void): Promise<BenchRow[]> {
  const dir = process.env['VOXELFLOW_TOMCAT_DIR'] || join(tmpdir(), 'voxelflow-tomcat');
  return [await tomcatRow(dir, log), await tomcatVolumeRow(dir, log)];
}

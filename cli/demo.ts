/**
 * `voxelflow demo`: the README's main job on an embedded default. A seeded porous-bone phantom
 * (a trabecular solid with marrow spaces and small cell-like holes) is generated block by block,
 * smoothed (box filter), thresholded to the pore space, labeled (26-connected) and measured; the
 * summary goes to stdout and labels.npy, stats.csv and a labeled middle slice (slice.png) to
 * voxelflow-demo/.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Context } from '../core/index.js';
import '../imaging/index.js'; // adds ctx.images (a type-only import would be erased: the demo's phantom needs it)
import type { ShapeRow } from '../imaging/index.js';
import { overlayPng } from '../imaging/preview/index.js';
import { statsCsv } from './stats-csv.js';
import { demoTableFiles, writeDemoTable } from './demo-table.js';
import { Progress } from './progress.js';
import { integerFlag, parseCommandLine, UsageError } from './flags.js';
import { thousands } from '../core/thousands.js';

const HELP = `usage: voxelflow demo [--size 256] [--master local[*]] [--out voxelflow-demo] [--overwrite]

Generates a size^3 porous-bone phantom, then box filter (r=1) -> threshold (pores: < 500)
-> 26-connected labeling -> shape statistics. Prints a summary and writes labels.npy,
stats.csv and slice.png (the middle slice with labels painted over it) to --out.

  --size     edge length in voxels, 16..1024 (default 256)
  --master   'local' (inline), 'local[N]' or 'local[*]' (default local[*])
  --out      output folder (default ./voxelflow-demo, replaced by each run); a folder --out names
             that exists is refused unless --overwrite (which removes it and everything in it)
  --quiet    no progress on stderr
  --table D  instead: write a small measurement table to folder D (S1.csv, S2.csv, S3.csv: one row
             per component of a --size^3 blobs phantom, default 64; columns sample, label, volume,
             mean_intensity, mass, extent_1..3, centroid_x..z) for 'voxelflow table' and ctx.readCsv;
             existing S1..S3.csv there are refused unless --overwrite`;

export async function runDemo(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    'demo',
    argv,
    {
      master: { type: 'string', default: 'local[*]' },
      size: { type: 'string' },
      table: { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      overwrite: { type: 'boolean', default: false },
    },
    { positionals: false },
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const sizeText = values.size ?? (values.table !== undefined ? '64' : '256');
  const size = integerFlag('size', sizeText, { min: 16, max: 1024 });
  if (values.table !== undefined) {
    for (const file of demoTableFiles(values.table)) refuseExisting('table', file, values.overwrite);
    return runDemoTable(values.table, size, values.master ?? 'local[*]');
  }
  // The default folder is the demo's own and replaced by each run; one the user names is not, without --overwrite.
  if (values.out !== undefined) refuseExisting('out', resolve(values.out), values.overwrite);
  const out = resolve(values.out ?? 'voxelflow-demo');

  const ctx = await Context.create({ master: values.master ?? 'local[*]' });
  const progress = new Progress(ctx, values.quiet ? 'off' : 'auto');
  const voxels = size ** 3;
  const t0 = performance.now();
  const tmp = `${out}.tmp-${process.pid}`;
  try {
    progress.begin('generate', voxels);
    const bone = ctx.images.synthetic({ kind: 'bone', shape: [size, size, size], seed: 42 });
    progress.begin('box', voxels);
    const filtered = bone.boxFilter(1).cache();
    await filtered.blocks.count();
    progress.begin('threshold', voxels);
    const pores = filtered.threshold({ below: 500 }).cache();
    progress.begin('label', voxels);
    const labels = pores.labelComponents({ connectivity: 26, intensity: filtered }).cache();
    const count = await labels.componentCount();
    progress.begin('stats', voxels);
    const rows = await labels.shapeStats();
    progress.begin('write');
    const volume = await labels.toArray();
    const mid = Math.floor(size / 2);
    const plane = size * size;
    const slice = (await filtered.roi([0, 0, mid], [size, size, mid + 1]).toArray()).data;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const { writeImage } = await import('../imaging/index.js');
    writeImage(join(tmp, 'labels.npy'), volume);
    writeFileSync(join(tmp, 'stats.csv'), statsCsv(rows));
    writeFileSync(join(tmp, 'slice.png'), overlayPng(slice, (volume.data as Uint32Array).subarray(mid * plane, (mid + 1) * plane), size, size));
    rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
    const seconds = (performance.now() - t0) / 1000;
    progress.end();
    printSummary(size, ctx, count, rows, seconds, out);
    return 0;
  } catch (err) {
    progress.end();
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    await ctx.stop();
  }
}

async function runDemoTable(dir: string, size: number, master: string): Promise<number> {
  const ctx = await Context.create({ master });
  try {
    const files = await writeDemoTable(ctx, dir, size);
    console.log(`voxelflow demo: wrote ${files.join(', ')}`);
    return 0;
  } finally {
    await ctx.stop();
  }
}

function printSummary(size: number, ctx: Context, count: number, rows: readonly ShapeRow[], seconds: number, out: string): void {
  const fmt = thousands;
  const total = size ** 3;
  const poreVoxels = rows.reduce((n, r) => n + r.voxels, 0);
  console.log(`voxelflow demo: porous-bone phantom ${size}^3 (${fmt(total)} voxels) on ${ctx.master}, ${ctx.defaultParallelism} thread(s)`);
  console.log('  pipeline     synthetic -> boxFilter(1) -> threshold(< 500) -> labelComponents(26) -> shapeStats');
  console.log(`  pores        ${fmt(poreVoxels)} voxels (${((100 * poreVoxels) / total).toFixed(1)}% porosity) in ${fmt(count)} components`);
  console.log('  sizes        voxels      components   volume share');
  const bins: [string, number, number][] = [['1-9', 1, 9], ['10-99', 10, 99], ['100-999', 100, 999], ['1000+', 1000, Infinity]];
  for (const [name, lo, hi] of bins) {
    const inBin = rows.filter((r) => r.voxels >= lo && r.voxels <= hi);
    const vox = inBin.reduce((n, r) => n + r.voxels, 0);
    console.log(`               ${name.padEnd(10)}  ${fmt(inBin.length).padStart(10)}   ${((100 * vox) / Math.max(1, poreVoxels)).toFixed(1).padStart(5)}%`);
  }
  console.log('  largest      label     voxels   centroid (x, y, z)           extents');
  for (const r of [...rows].sort((a, b) => b.voxels - a.voxels).slice(0, 5)) {
    const c = r.centroid.map((v) => v.toFixed(1).padStart(6)).join(', ');
    const e = r.extents.map((v) => v.toFixed(1)).join(' / ');
    console.log(`               ${String(r.label).padStart(5)} ${fmt(r.voxels).padStart(10)}   (${c})   ${e}`);
  }
  console.log(`  wrote        ${join(out, 'labels.npy')}, stats.csv, slice.png`);
  console.log(`  time         ${seconds.toFixed(1)} s`);
}

/** Refuses, before any work, an output of the demo that exists (without --overwrite). */
function refuseExisting(flag: string, path: string, overwrite: boolean): void {
  if (!overwrite && existsSync(path)) throw new UsageError(`--${flag}: ${path} already exists; pass --overwrite to replace it, or name another folder`, `--${flag}`);
}

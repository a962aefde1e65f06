/**
 * Issue 14 item 4: OME-Zarr write of u32 labels (gzip, one chunk file per block, written by the tasks)
 * on local[2], in MB/s of raw label bytes (the whole volume's, chunks left out because they are all 0
 * included: that is what the user's volume holds). Part of the imaging suite; target >= 400 MB/s.
 *
 * Two label fields of the 256^3 blobs phantom (VOXELFLOW_BENCH_ZARR_SIDE=N for another side), cached
 * before timing so the write alone is measured: the blobs (`v > 300`, sparse: most chunks all 0) and
 * a dense, noisy one (`v > 130`: a quarter of the voxels in thousands of small components, every chunk
 * written). Medians of 3 runs after a warm-up; the load average is in the note.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context } from '../core/index.js';
import '../imaging/index.js';
import { median, storeBytes, type BenchRow } from './harness.js';

const TARGET_MBS = 400;
const RUNS = 3;

/** The OME-Zarr label write rows. */
export async function zarrWriteRows(log: (line: string) => void): Promise<BenchRow[]> {
  const side = Number(process.env.VOXELFLOW_BENCH_ZARR_SIDE ?? 256);
  const dir = mkdtempSync(join(tmpdir(), 'voxelflow-zarr-bench-'));
  const ctx = await Context.create({ master: 'local[2]', memory: '4g' });
  const rows: BenchRow[] = [];
  try {
    const img = ctx.images.synthetic({ kind: 'blobs', shape: [side, side, side], seed: 1, blockShape: [64, 64, 128] });
    for (const [what, above] of [['blob labels (v > 300)', 300], ['dense noisy labels (v > 130)', 130]] as const) {
      log(`${side}^3 OME-Zarr write, ${what}, local[2] ...`);
      const labels = img.threshold({ above }).labelComponents().cache();
      const components = await labels.componentCount();
      await labels.blocks.count();
      const out = join(dir, 'labels.zarr');
      const ms = await median(() => labels.write(out, { overwrite: true }), RUNS, 1);
      const stored = storeBytes(out);
      labels.unpersist();
      const rawMB = (side ** 3 * 4) / 1e6;
      const mbs = rawMB / (ms / 1000);
      rows.push({
        suite: 'imaging',
        name: `OME-Zarr write of u32 labels (gzip level 1), ${side}^3 ${what}, local[2]`,
        ms,
        baselineMs: null,
        baseline: 'absolute',
        value: { amount: Math.round(mbs), unit: 'MB/s raw' },
        target: `>= ${TARGET_MBS} MB/s of raw bytes on 2 cores`,
        met: mbs >= TARGET_MBS,
        note: `${components} components, ${rawMB.toFixed(0)} MB raw -> ${(stored / 1e6).toFixed(1)} MB stored; load average ${loadavg()[0]!.toFixed(1)}`,
      });
      rmSync(out, { recursive: true, force: true });
    }
    return rows;
  } finally {
    await ctx.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Scans for the tomography tests: simulated scans (tomo/simulate-scan.ts) written as .npy stacks. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Context } from '../../core/index.js';
import { writeImage } from '../../imaging/io/index.js';
import { simulateScan, type Ellipsoid, type SimulateScanOptions } from '../../tomo/index.js';

export interface WrittenScan {
  readonly projections: string;
  readonly flats: string;
  readonly flatsAfter: string;
  readonly darks: string;
  readonly phantom: Ellipsoid[];
  readonly angles: number[];
  readonly center: number;
  /** The exact line integrals `[angle][row][column]`. */
  readonly lineIntegrals: Float32Array;
}

/** Writes proj.npy, flats.npy, flats-after.npy and darks.npy (float32) of a simulated scan into `dir`, replacing those of an earlier call. */
export function writeScan(dir: string, options: SimulateScanOptions): WrittenScan {
  const scan = simulateScan(options);
  const [count, rows, size] = scan.shape;
  const paths = { projections: join(dir, 'proj.npy'), flats: join(dir, 'flats.npy'), flatsAfter: join(dir, 'flats-after.npy'), darks: join(dir, 'darks.npy') };
  writeImage(paths.projections, { data: scan.projections, shape: [count, rows, size], dtype: 'f32' }, { overwrite: true });
  writeImage(paths.flats, { data: scan.flats, shape: [scan.flatCount, rows, size], dtype: 'f32' }, { overwrite: true });
  writeImage(paths.flatsAfter, { data: scan.flatsAfter, shape: [scan.flatCount, rows, size], dtype: 'f32' }, { overwrite: true });
  writeImage(paths.darks, { data: scan.darks, shape: [scan.darkCount, rows, size], dtype: 'f32' }, { overwrite: true });
  return { ...paths, phantom: scan.phantom, angles: scan.angles, center: scan.center, lineIntegrals: scan.lineIntegrals };
}

/** RMS of `a - b` (and relative to `b`) over the pixels of each slice within `radius` of the slice's middle. */
export function rmsInCircle(a: ArrayLike<number>, b: ArrayLike<number>, slices: number, size: number, radius: number): { rms: number; relative: number } {
  const r = Math.floor(size / 2);
  let se = 0;
  let sr = 0;
  let n = 0;
  for (let z = 0; z < slices; z++) {
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        if ((i - r) ** 2 + (j - r) ** 2 > radius * radius) continue;
        const k = (z * size + i) * size + j;
        se += (a[k]! - b[k]!) ** 2;
        sr += b[k]! ** 2;
        n++;
      }
    }
  }
  return { rms: Math.sqrt(se / n), relative: Math.sqrt(se / sr) };
}

/** A local[2] context and a temporary folder for the tests around the call: made before them, stopped and removed after. */
export interface TestSession {
  /** The context (valid inside the tests). */
  readonly ctx: Context;
  /** The folder, removed after the tests. */
  readonly dir: string;
}

/** Registers the hooks that make and end a TestSession; call it at the top of a file or describe block. */
export function testSession(prefix: string): TestSession {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let ctx: Context | null = null;
  beforeAll(async () => {
    ctx = await Context.create({ master: 'local[2]' });
  });
  afterAll(async () => {
    await ctx?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get ctx(): Context {
      if (ctx === null) throw new Error('the test session has no context outside its tests');
      return ctx;
    },
    dir,
  };
}

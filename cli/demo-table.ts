/**
 * `voxelflow demo --table DIR`: a small measurement table to try the table API and `voxelflow table`
 * on (the README's tables example reads it). Three samples, each a seeded blobs phantom labeled and
 * measured like `analyze`; one CSV per sample, one row per component.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Context } from '../core/index.js';
import '../imaging/index.js'; // adds ctx.images (a type-only import would be erased)
import type { ShapeRow } from '../imaging/index.js';

/** The samples written: name and phantom seed. */
const SAMPLES: readonly (readonly [string, number])[] = [['S1', 1], ['S2', 2], ['S3', 3]];
const HEADER = 'sample,label,volume,mean_intensity,mass,extent_1,extent_2,extent_3,centroid_x,centroid_y,centroid_z';

/** The files `writeDemoTable` writes into `dir`. */
export function demoTableFiles(dir: string): string[] {
  return SAMPLES.map(([sample]) => join(resolve(dir), `${sample}.csv`));
}

/** Writes DIR/S1.csv .. S3.csv from `size`^3 phantoms; returns the file paths. */
export async function writeDemoTable(ctx: Context, dir: string, size: number): Promise<string[]> {
  const out = resolve(dir);
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const files: string[] = [];
    for (const [sample, seed] of SAMPLES) {
      const img = ctx.images.synthetic({ kind: 'blobs', shape: [size, size, size], seed });
      const rows = await img.boxFilter(1).threshold({ above: 400 }).labelComponents({ connectivity: 26, intensity: img }).shapeStats();
      writeFileSync(join(tmp, `${sample}.csv`), tableCsv(sample, rows));
      files.push(join(out, `${sample}.csv`));
    }
    mkdirSync(out, { recursive: true });
    for (const [sample] of SAMPLES) renameSync(join(tmp, `${sample}.csv`), join(out, `${sample}.csv`));
    return files;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `mass` is the integrated intensity (volume x mean intensity). */
function tableCsv(sample: string, rows: readonly ShapeRow[]): string {
  const num = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(8).replace(/\.?0+$/, ''));
  const lines = rows.map((r) => [sample, r.label, r.voxels, num(r.meanIntensity), num(r.voxels * r.meanIntensity), ...r.extents.map(num), ...r.centroid.map(num)].join(','));
  return `${[HEADER, ...lines].join('\n')}\n`;
}

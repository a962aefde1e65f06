/** The --stats CSV of analyze, demo and stream. */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ShapeRow, ShapeTable } from '../imaging/index.js';

const HEAD = 'label,voxels,centroid_x,centroid_y,centroid_z,bbox_min_x,bbox_min_y,bbox_min_z,bbox_max_x,bbox_max_y,bbox_max_z,mean_intensity,extent_1,extent_2,extent_3';

/** Lines written per write call by writeStatsCsv. */
const LINES_PER_WRITE = 65536;

/**
 * The --stats CSV: one row per label, in label order, voxel index coordinates; the same columns as
 * `tableFromShapeStats` (so the CSV reads back as that table): extent_1..3 are the standard deviations
 * of the component's voxel coordinates along its principal axes, largest first.
 */
export function statsCsv(rows: readonly ShapeRow[]): string {
  return `${[HEAD, ...rows.map(statsLine)].join('\n')}\n`;
}

/**
 * Writes the same CSV as statsCsv for a whole table into `path`, a chunk of lines at a time, so that
 * millions of components never become one string or one object per label at once.
 */
export function writeStatsCsv(path: string, table: ShapeTable): void {
  const fd = openSync(path, 'w');
  try {
    let lines: string[] = [HEAD];
    const flush = () => {
      const bytes = Buffer.from(`${lines.join('\n')}\n`);
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      lines = [];
    };
    for (const r of table) {
      lines.push(statsLine(r));
      if (lines.length >= LINES_PER_WRITE) flush();
    }
    if (lines.length > 0) flush();
  } finally {
    closeSync(fd);
  }
}

function statsLine(r: ShapeRow): string {
  return [r.label, r.voxels, ...r.centroid.map(round), ...r.bboxMin, ...r.bboxMax, round(r.meanIntensity), ...r.extents.map(round)].join(',');
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(10).replace(/\.?0+$/, '');
}

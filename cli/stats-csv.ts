/** The --stats CSV of analyze, demo and stream. */
import type { ShapeRow } from '../imaging/index.js';

/**
 * The --stats CSV: one row per label, in label order, voxel index coordinates; the same columns as
 * `tableFromShapeStats` (so the CSV reads back as that table): extent_1..3 are the standard deviations
 * of the component's voxel coordinates along its principal axes, largest first.
 */
export function statsCsv(rows: readonly ShapeRow[]): string {
  const head = 'label,voxels,centroid_x,centroid_y,centroid_z,bbox_min_x,bbox_min_y,bbox_min_z,bbox_max_x,bbox_max_y,bbox_max_z,mean_intensity,extent_1,extent_2,extent_3';
  const lines = rows.map((r) => [r.label, r.voxels, ...r.centroid.map(round), ...r.bboxMin, ...r.bboxMax, round(r.meanIntensity), ...r.extents.map(round)].join(','));
  return `${[head, ...lines].join('\n')}\n`;
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(10).replace(/\.?0+$/, '');
}

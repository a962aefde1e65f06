/**
 * Table sources other than CSV: Arrow IPC files (one partition per file), columns held by the
 * driver, and the shape statistics of labeled images (labels → table with no CSV round trip).
 */
import { namedFunction, type Context } from '../core/index.js';
import { encodeStrings, makeBatch, type Batch, type Column, type Field } from './batch.js';
import { readArrowFile } from './arrow-convert.js';
import { listTableFiles } from './input-files.js';
import { Table } from './table.js';
import { TableError } from './table-error.js';

/** Column values as given by a caller: numbers (NaN or null = missing) or strings (null = missing). */
export type ColumnValues = ArrayLike<number> | readonly (number | null)[] | readonly (string | null)[];

/** Reads the Arrow files of one partition; every file must have the schema of the first. */
export const readArrowFiles = namedFunction(
  'table.readArrowFiles',
  (it: IterableIterator<string>, env: { readonly fields: readonly Field[] }): Batch[] => {
    const out: Batch[] = [];
    for (const file of it) {
      const { fields, batches } = readArrowFile(file);
      if (fields.map((f) => `${f.name}:${f.type}`).join() !== env.fields.map((f) => `${f.name}:${f.type}`).join()) {
        throw new TableError(file, `schema ${fields.map((f) => `${f.name}:${f.type}`).join(', ')} differs from the first file's`, 'read files with the same columns together');
      }
      out.push(...batches);
    }
    return out;
  },
  import.meta.url,
);

/** A table over Arrow IPC files; the first file's schema must be every file's. */
export function readArrow(ctx: Context, pathOrGlob: string): Table {
  const files = listTableFiles(pathOrGlob, '.arrow', 'readArrow');
  const { fields } = readArrowFile(files[0] as string);
  const rdd = ctx.parallelize(files, files.length).mapPartitions(readArrowFiles, { fields });
  return new Table(rdd.setName(`readArrow ${pathOrGlob}`), fields);
}

/** A table from columns on the driver, cut into `numPartitions` batches of consecutive rows. */
export function tableFromColumns(ctx: Context, columns: Readonly<Record<string, ColumnValues>>, numPartitions = ctx.defaultParallelism): Table {
  const names = Object.keys(columns);
  if (names.length === 0) throw new TableError('createTable', 'no columns given', "pass e.g. { volume: [1, 2], sample: ['a', 'b'] }");
  const n = (columns[names[0] as string] as ColumnValues).length;
  const fields: Field[] = names.map((name) => {
    const v = columns[name] as ColumnValues;
    if (v.length !== n) throw new TableError(`createTable column '${name}'`, `has ${v.length} values, '${names[0]}' has ${n}`, 'give every column the same length');
    const isText = Array.from(v as ArrayLike<unknown>).some((x) => typeof x === 'string');
    return { name, type: isText ? 'string' : v instanceof Float32Array ? 'f32' : 'f64' };
  });
  const parts = Math.max(1, Math.min(numPartitions, n || 1));
  const batches: Batch[] = [];
  for (let p = 0; p < parts; p++) {
    const start = Math.floor((p * n) / parts);
    const end = Math.floor(((p + 1) * n) / parts);
    const cols = fields.map((f): Column => {
      const v = Array.from(columns[f.name] as ArrayLike<unknown>).slice(start, end);
      if (f.type === 'string') return encodeStrings(v.map((x) => (x === null || x === undefined ? null : String(x))));
      const out = f.type === 'f32' ? new Float32Array(end - start) : new Float64Array(end - start);
      v.forEach((x, i) => (out[i] = x === null || x === undefined ? Number.NaN : (x as number)));
      return out;
    });
    batches.push(makeBatch(fields, cols, end - start));
  }
  return new Table(ctx.parallelize(batches, parts), fields);
}

/** The rows `labels.shapeStats()` returns, as the ShapeRow interface of imaging declares them. */
export interface ShapeStatsRow {
  /** The component's label, from 1. */
  readonly label: number;
  /** Voxels in the component. */
  readonly voxels: number;
  /** Mean `[x, y, z]` of its voxels, in voxel index coordinates. */
  readonly centroid: readonly [number, number, number];
  /** Smallest `[x, y, z]` of its voxels. */
  readonly bboxMin: readonly [number, number, number];
  /** Largest `[x, y, z]` of its voxels (inclusive). */
  readonly bboxMax: readonly [number, number, number];
  /** Mean intensity over the component; null (NaN in the table) without an intensity image. */
  readonly meanIntensity: number | null;
  /** Standard deviations of its voxel coordinates along its principal axes, in voxels, largest first. */
  readonly extents: readonly [number, number, number];
}

/**
 * A table of shape statistics, one row per label: label, voxels, centroid_x/y/z, bbox_min_x..z,
 * bbox_max_x..z, mean_intensity (NaN without an intensity image), extent_1..3; with `sample`, a
 * string column naming the sample (for the within/between comparison across images).
 */
export function tableFromShapeStats(ctx: Context, rows: readonly ShapeStatsRow[], options: { sample?: string; numPartitions?: number } = {}): Table {
  const axes = ['x', 'y', 'z'] as const;
  const cols: Record<string, ColumnValues> = {
    label: rows.map((r) => r.label),
    voxels: rows.map((r) => r.voxels),
  };
  axes.forEach((a, i) => (cols[`centroid_${a}`] = rows.map((r) => r.centroid[i] as number)));
  axes.forEach((a, i) => (cols[`bbox_min_${a}`] = rows.map((r) => r.bboxMin[i] as number)));
  axes.forEach((a, i) => (cols[`bbox_max_${a}`] = rows.map((r) => r.bboxMax[i] as number)));
  cols['mean_intensity'] = rows.map((r) => r.meanIntensity ?? Number.NaN);
  [0, 1, 2].forEach((i) => (cols[`extent_${i + 1}`] = rows.map((r) => r.extents[i] as number)));
  if (options.sample !== undefined) cols['sample'] = rows.map(() => options.sample as string);
  return tableFromColumns(ctx, cols, options.numPartitions ?? ctx.defaultParallelism);
}

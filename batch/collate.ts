/**
 * Collation: every done item's stats.csv into output/collated/stats.csv and stats.arrow, one row per
 * (item, label), in manifest order and then label order. The columns come from the pipeline (the
 * statistics columns the caller names), not from the first file: an item whose header differs fails
 * collation naming that item. Item and metadata columns are strings; statistics are f64 in Arrow and
 * copied as written in the CSV, so the collated rows equal each item's own.
 */
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { encodeStrings, makeBatch, type Column, type Field } from '../table/batch.js';
import { writeArrowFile } from '../table/arrow-convert.js';
import { BatchProjectError } from './batch-error.js';
import { itemDir } from './item-record.js';
import { csvField } from './manifest.js';
import { OUTPUT_FILES, outputDir, type Project } from './project.js';
import { atomicWrite, type ItemStatus } from './status.js';

export interface Collation {
  readonly csv: string;
  readonly arrow: string;
  readonly items: number;
  readonly rows: number;
  /** Items left out (only with `partial`): failed, pending or running. */
  readonly missing: number;
}

export function collatedDir(project: Project): string {
  return join(outputDir(project.dir), 'collated');
}

/** The collated table's columns: item, the sample column, the other metadata columns, then `statsColumns`. */
export function collatedColumns(project: Project, statsColumns: readonly string[]): string[] {
  const sample = project.config.sampleColumn;
  return ['item', sample, ...project.columns.filter((c) => c !== sample), ...statsColumns];
}

/**
 * Collates the done items. Refuses (BatchProjectError) while items are not done, unless `partial`;
 * refuses a pipeline without the stats output.
 */
export function collate(project: Project, statuses: readonly ItemStatus[], statsColumns: readonly string[], partial: boolean): Collation {
  const dir = collatedDir(project);
  if (!project.config.outputs.includes('stats')) throw new BatchProjectError(join(project.dir, 'batch.json'), 'outputs has no "stats": there is nothing to collate; add "stats" to outputs');
  const notDone = statuses.filter((s) => s.state !== 'done');
  if (notDone.length > 0 && !partial) {
    const counts = (['failed', 'pending', 'running'] as const).map((st) => [st, notDone.filter((s) => s.state === st).length] as const).filter(([, n]) => n > 0);
    throw new BatchProjectError(dir, `not collated: ${counts.map(([st, n]) => `${n} ${st}`).join(', ')} (first: ${(notDone[0] as ItemStatus).item}); finish them ('voxelflow batch run' / 'retry-failed') or pass --partial to collate the done items only`);
  }
  const columns = collatedColumns(project, statsColumns);
  const header = statsColumns.join(',');
  const done = new Set(statuses.filter((s) => s.state === 'done').map((s) => s.item));
  const lines: string[] = [columns.map(csvField).join(',')];
  const front: string[][] = columns.slice(0, columns.length - statsColumns.length).map(() => []);
  const stats: number[][] = statsColumns.map(() => []);
  let items = 0;
  for (const it of project.items) {
    if (!done.has(it.item)) continue;
    const file = join(itemDir(project, it.item), OUTPUT_FILES.stats);
    const text = readFileSync(file, 'utf8');
    const rows = text.split('\n').filter((l) => l !== '');
    if (rows[0] !== header) {
      rmSync(dir, { recursive: true, force: true }); // an older table must not pass for this one
      throw new BatchProjectError(file, `item '${it.item}' has columns '${rows[0] ?? ''}', the pipeline's are '${header}'; rerun that item ('voxelflow batch run' after removing output/items/${it.item}) or fix batch.json`);
    }
    const lead = [it.item, ...columns.slice(1, front.length).map((c) => it.meta[c] ?? '')];
    const prefix = lead.map(csvField).join(',');
    for (let r = 1; r < rows.length; r++) {
      const cells = (rows[r] as string).split(',');
      if (cells.length !== statsColumns.length) throw new BatchProjectError(file, `item '${it.item}', row ${r}: ${cells.length} fields, the header has ${statsColumns.length}; rerun that item`);
      lines.push(`${prefix},${rows[r] as string}`);
      lead.forEach((v, i) => (front[i] as string[]).push(v));
      cells.forEach((v, i) => (stats[i] as number[]).push(Number(v)));
    }
    items++;
  }
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, 'stats.csv');
  const arrow = join(dir, 'stats.arrow');
  atomicWrite(csv, `${lines.join('\n')}\n`);
  const fields: Field[] = columns.map((name, i) => ({ name, type: i < front.length ? 'string' : 'f64' }));
  const data: Column[] = [...front.map((v) => encodeStrings(v)), ...stats.map((v) => Float64Array.from(v))];
  const tmp = `${arrow}.tmp-${process.pid}`;
  writeArrowFile(tmp, fields, [makeBatch(fields, data, lines.length - 1)]);
  renameSync(tmp, arrow);
  return { csv, arrow, items, rows: lines.length - 1, missing: notDone.length };
}

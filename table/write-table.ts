/**
 * `table.write(path)`: the format follows the extension (`.csv`, `.arrow`/`.feather`/`.ipc`). The
 * file is written next to its final name and renamed when complete, so a failed job never leaves
 * a partial file that looks like a result. The batches come to the driver (columnar, no row objects).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tableToIPC } from 'apache-arrow';
import { pathExists, placeOutput } from '../core/place-output.js';
import { toArrow } from './arrow-convert.js';
import { toCsv } from './csv-write.js';
import type { Table } from './table.js';
import { TableError } from './table-error.js';

/** How `table.write` treats an existing file. */
export interface WriteTableOptions {
  /** Replace an existing file at the path (default false: refused before any work, as every output is). */
  readonly overwrite?: boolean;
}

/** Writes `table` to `path` in the format its extension names. */
export async function writeTable(table: Table, path: string, options: WriteTableOptions = {}): Promise<void> {
  const format = /\.csv$/i.test(path) ? 'csv' : /\.(arrow|feather|ipc)$/i.test(path) ? 'arrow' : null;
  if (format === null) throw new TableError(path, 'unknown output format', 'end the path with .csv or .arrow');
  const exists = (): TableError => new TableError(path, 'already exists', 'pass { overwrite: true } to replace it, or write elsewhere');
  if (options.overwrite !== true && pathExists(path)) throw exists();
  const batches = await table.collectBatches();
  const bytes = format === 'csv' ? toCsv(table.fields, batches) : tableToIPC(toArrow(table.fields, batches), 'file');
  const tmp = `${path}.partial-${process.pid}`;
  let placed: boolean;
  try {
    writeFileSync(tmp, bytes);
    placed = placeOutput(tmp, path, options.overwrite);
  } catch (err) {
    throw new TableError(path, `cannot be written (${(err as NodeJS.ErrnoException).code ?? String(err)})`, 'check the directory exists and is writable', { cause: err });
  } finally {
    rmSync(tmp, { force: true });
  }
  if (!placed) throw exists();
}

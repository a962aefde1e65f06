/**
 * `table.write(path)`: the format follows the extension (`.csv`, `.arrow`/`.feather`/`.ipc`). The
 * file is written next to its final name and renamed when complete, so a failed job never leaves
 * a partial file that looks like a result. The batches come to the driver (columnar, no row objects).
 */
import { linkSync, lstatSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tableToIPC } from 'apache-arrow';
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
  const exists = (): boolean => lstatOrNull(path) !== null;
  if (options.overwrite !== true && exists()) throw new TableError(path, 'already exists', 'pass { overwrite: true } to replace it, or write elsewhere');
  const batches = await table.collectBatches();
  const bytes = format === 'csv' ? toCsv(table.fields, batches) : tableToIPC(toArrow(table.fields, batches), 'file');
  const tmp = `${path}.partial-${process.pid}`;
  try {
    writeFileSync(tmp, bytes);
    // Without overwrite, link(2) puts the file in place only if nothing appeared there meanwhile.
    if (options.overwrite === true) renameSync(tmp, path);
    else linkOrRename(tmp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new TableError(path, 'already exists', 'pass { overwrite: true } to replace it, or write elsewhere');
    throw new TableError(path, `cannot be written (${code ?? String(err)})`, 'check the directory exists and is writable', { cause: err });
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** link(2) `tmp` to `path`; on file systems without hard links (some FUSE and SMB mounts), check, then rename. */
function linkOrRename(tmp: string, path: string): void {
  try {
    linkSync(tmp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
    if (lstatOrNull(path) !== null) throw Object.assign(new Error(`${path} exists`), { code: 'EEXIST' });
    renameSync(tmp, path);
  }
}

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

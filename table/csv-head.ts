/**
 * The driver's look at a CSV file before any task runs: its header and first rows, read from the
 * first 64 KiB. From these the read checks that every file has the same header (a mismatch names
 * the file) and infers each column's type.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { ColumnType } from './batch.js';
import { TableError } from './table-error.js';

const HEAD_BYTES = 64 * 1024;
const MISSING = new Set(['', 'NA', 'NaN', 'nan', 'null', 'NULL', 'N/A', 'n/a']);

/** The first rows of a file, split into fields (the last, possibly cut, row is left out). */
export function readHead(file: string, delimiter: string, maxRows: number): string[][] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new TableError(file, `cannot be opened (${(err as NodeJS.ErrnoException).code ?? String(err)})`, 'check the path and permissions', { cause: err });
  }
  const buf = Buffer.alloc(HEAD_BYTES);
  let n: number;
  try {
    n = readSync(fd, buf, 0, HEAD_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  let text = buf.toString('utf8', 0, n).replace(/^\uFEFF/, '');
  const complete = n < HEAD_BYTES;
  if (!complete) text = text.slice(0, Math.max(0, text.lastIndexOf('\n') + 1));
  return splitRows(text, delimiter, maxRows, complete);
}

/** RFC 4180 rows of `text`; blank lines skipped. */
export function splitRows(text: string, delimiter: string, maxRows: number, complete: boolean): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length && rows.length < maxRows) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (row.length > 0 || field !== '') {
        row.push(field);
        rows.push(row);
      }
      row = [];
      field = '';
    } else field += ch;
    i++;
  }
  if (complete && !quoted && rows.length < maxRows && (row.length > 0 || field !== '')) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** 'f64' when every sampled value of the column is a number or missing, else 'string'. */
export function inferType(rows: readonly string[][], col: number): ColumnType {
  for (const r of rows) {
    const t = (r[col] ?? '').trim();
    if (MISSING.has(t)) continue;
    if (Number.isNaN(Number(t))) return 'string';
  }
  return 'f64';
}

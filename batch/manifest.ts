/**
 * manifest.csv: one row per item, `item,input,sample[,more metadata]`. Parsed as RFC 4180 CSV (quotes
 * around fields that hold commas, quotes or line breaks); every error names the row and the field.
 */
import { BatchProjectError } from './batch-error.js';

/** One item of a batch: its id, its input path (absolute), and its metadata columns (sample included). */
export interface ManifestItem {
  readonly item: string;
  readonly input: string;
  /** The manifest's metadata values by column name: every column except `item` and `input`. */
  readonly meta: Readonly<Record<string, string>>;
  /** The 1-based data row in manifest.csv (the header is row 0). */
  readonly row: number;
}

export interface Manifest {
  /** The metadata columns in manifest order (every column but item and input). */
  readonly columns: readonly string[];
  readonly items: readonly ManifestItem[];
}

/** An item id becomes a folder name: letters, digits, '.', '_' and '-', not starting with '.'. */
const ITEM_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Parses manifest.csv's text. `file` names it in errors; `resolveInput` turns an input cell into an
 * absolute path; `reserved` are column names the collated table already has (its stats columns).
 */
export function parseManifest(text: string, file: string, sampleColumn: string, resolveInput: (p: string) => string, reserved: readonly string[]): Manifest {
  const records = csvRecords(text, file).filter((r) => !(r.length === 1 && r[0] === ''));
  const header = records[0];
  if (header === undefined) throw new BatchProjectError(file, `is empty; the first line must be the header item,input,${sampleColumn}`);
  if (header[0] !== 'item' || header[1] !== 'input') throw new BatchProjectError(file, `header must start with item,input; got '${header.slice(0, 2).join(',')}'`);
  const columns = header.slice(2);
  if (!columns.includes(sampleColumn)) throw new BatchProjectError(file, `header has no '${sampleColumn}' column (batch.json's sampleColumn); add it after item,input`);
  const seen = new Set<string>();
  for (const c of header) {
    if (c === '') throw new BatchProjectError(file, 'header has an empty column name; name every column');
    if (seen.has(c)) throw new BatchProjectError(file, `header names column '${c}' twice`);
    seen.add(c);
  }
  for (const c of columns) {
    if (reserved.includes(c)) throw new BatchProjectError(file, `column '${c}' is also a column of the collated statistics; rename it`);
  }
  const items: ManifestItem[] = [];
  const ids = new Map<string, number>();
  for (let r = 1; r < records.length; r++) {
    const cells = records[r] as string[];
    const at = `row ${r}`;
    if (cells.length !== header.length) throw new BatchProjectError(file, `${at}: ${cells.length} fields, the header has ${header.length}`);
    const item = cells[0] as string;
    if (!ITEM_ID.test(item)) throw new BatchProjectError(file, `${at}: field 'item' is '${item}'; an item id is letters, digits, '.', '_' and '-' (it names the item's output folder)`);
    const before = ids.get(item);
    if (before !== undefined) throw new BatchProjectError(file, `${at}: field 'item' '${item}' is also row ${before}; item ids must be unique`);
    ids.set(item, r);
    const input = cells[1] as string;
    if (input.trim() === '') throw new BatchProjectError(file, `${at}: field 'input' is empty; give the image's path (relative to the project or absolute)`);
    const meta: Record<string, string> = {};
    columns.forEach((c, i) => (meta[c] = cells[i + 2] as string));
    items.push({ item, input: resolveInput(input), meta, row: r });
  }
  if (items.length === 0) throw new BatchProjectError(file, 'has a header but no items; add one row per image');
  return { columns, items };
}

/** RFC 4180 records; a quote left open names the row where it opened. */
export function csvRecords(text: string, file: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let openedAt = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (text[i + 1] === '"') cell += text[++i];
      else quoted = false;
    } else if (ch === '"' && cell === '') {
      quoted = true;
      openedAt = rows.length;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (quoted) throw new BatchProjectError(file, `row ${openedAt}: a quoted field is never closed`);
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** A CSV field, quoted when it must be. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

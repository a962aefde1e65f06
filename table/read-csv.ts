/**
 * `ctx.readCsv(pathOrGlob, options)`: one partition per file, parsed on the workers. The driver
 * reads only each file's first 64 KiB: every header must equal the first file's (a mismatch names
 * the file and the first differing column), and column types are inferred from the first file's
 * first rows unless `types` says otherwise.
 */
import { readFileSync } from 'node:fs';
import { namedFunction, type Context } from '../core/index.js';
import type { Batch, ColumnType, Field } from './batch.js';
import { inferType, readHead } from './csv-head.js';
import { parseCsv, type CsvPlan } from './csv-parse.js';
import { listTableFiles } from './input-files.js';
import { Table } from './table.js';
import { TableError } from './table-error.js';

/** Options of readCsv. */
export interface ReadCsvOptions {
  /** The first row names the columns (default true). */
  readonly header?: boolean;
  /** With a header: the columns to keep (others are skipped while parsing). Without: the names of all columns. */
  readonly columns?: readonly string[];
  /** Column types by name; others are inferred from the first rows ('f64' when every value is a number or missing). */
  readonly types?: Readonly<Record<string, ColumnType>>;
  /** Field delimiter, one character (default ','). */
  readonly delimiter?: string;
}

const TYPES: readonly ColumnType[] = ['f64', 'f32', 'string'];
const SAMPLE_ROWS = 200;

/** Parses the files of one partition. */
export const readCsvFiles = namedFunction(
  'table.readCsvFiles',
  (it: IterableIterator<string>, env: { readonly plan: CsvPlan }): Batch[] => {
    const out: Batch[] = [];
    for (const file of it) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        throw new TableError(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, 'check that the file still exists');
      }
      out.push(parseCsv(bytes, file, env.plan));
    }
    return out;
  },
  import.meta.url,
);

/** A table over CSV files. */
export function readCsv(ctx: Context, pathOrGlob: string, options: ReadCsvOptions = {}): Table {
  const files = listTableFiles(pathOrGlob, '.csv', 'readCsv');
  const plan = csvPlan(files, options);
  const rdd = ctx.parallelize(files, files.length).mapPartitions(readCsvFiles, { plan });
  return new Table(rdd.setName(`readCsv ${pathOrGlob}`), plan.fields);
}

/** Decides names, kept columns and types from the files' heads. */
export function csvPlan(files: readonly string[], options: ReadCsvOptions): CsvPlan {
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n') {
    throw new TableError('readCsv', `delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`, "use e.g. ',' or '\\t'");
  }
  const header = options.header ?? true;
  const first = files[0] as string;
  const head = readHead(first, delimiter, SAMPLE_ROWS + 1);
  if (head.length === 0) throw new TableError(first, 'is empty', 'remove it from the input, or give files with a header row');
  let names: string[];
  if (header) {
    names = (head[0] as string[]).map((n) => n.trim());
    for (const file of files.slice(1)) {
      const other = (readHead(file, delimiter, 1)[0] ?? []).map((n) => n.trim());
      if (other.join('\u0000') !== names.join('\u0000')) {
        const at = names.findIndex((n, i) => other[i] !== n);
        const detail =
          other.length !== names.length && at < 0
            ? `it has ${other.length} columns, ${first} has ${names.length}`
            : `column ${at + 1} is ${JSON.stringify(other[at] ?? '(missing)')}, ${first} has ${JSON.stringify(names[at])}`;
        throw new TableError(file, `header differs from the first file's: ${detail}`, 'read files with the same columns together, or fix the header');
      }
    }
  } else {
    const width = (head[0] as string[]).length;
    names = options.columns === undefined ? Array.from({ length: width }, (_, i) => `_c${i}`) : options.columns.slice();
    if (names.length !== width) throw new TableError(first, `has ${width} columns, columns names ${names.length}`, 'give one name per column');
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new TableError(first, `column name ${JSON.stringify(dup)} appears twice`, 'give the columns distinct names');
  const sample = header ? head.slice(1) : head;
  const wanted = header && options.columns !== undefined ? options.columns : names;
  for (const w of wanted) if (!names.includes(w)) throw new TableError(first, `has no column '${w}'`, `choose among: ${names.join(', ')}`);
  for (const [name, t] of Object.entries(options.types ?? {})) {
    if (!names.includes(name)) throw new TableError('readCsv types', `no column '${name}'`, `choose among: ${names.join(', ')}`);
    if (!TYPES.includes(t)) throw new TableError('readCsv types', `column '${name}' has type ${JSON.stringify(t)}`, `use one of ${TYPES.join(', ')}`);
  }
  const fields: Field[] = wanted.map((name) => ({ name, type: options.types?.[name] ?? inferType(sample, names.indexOf(name)) }));
  const keep = names.map((n) => wanted.indexOf(n));
  return { delimiter, header, width: names.length, keep, fields };
}

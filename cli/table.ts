/**
 * `voxelflow table describe|kmeans <csv-glob>`: column statistics (and the within/between-sample
 * comparison with --by) or k-means clusters of CSV measurement tables, printed as readable tables
 * or as JSON. Bad input (a missing file, a header mismatch, a bad row) is one line and exit 1.
 */
import { Context } from '../core/index.js';
import '../table/index.js'; // adds ctx.readCsv and ctx.readArrow (a type-only import would be erased)
import type { ColumnSummary, KMeansModel, WithinBetween } from '../table/index.js';
import { enumFlag, integerFlag, parseCommandLine, UsageError } from './flags.js';

const HELP = `usage: voxelflow table <describe|kmeans> <csv-glob> [options]

  describe <csv-glob>      count, mean, std, min, quartiles and max of each numeric column
    --by COLUMN            also compare the spread within and between the samples this column names
  kmeans <csv-glob>        k-means clusters of numeric columns (k-means|| init)
    --k K                  number of clusters (required)
    --max-iter N           most iterations (default 20)
    --seed S               seed (default 1)
    --init random          random initial centers instead of k-means||
  common:
    --columns a,b,c        the numeric columns to use (default: all)
    --delimiter D          field delimiter (default ,)
    --master M             local, local[N], local[*] (default)
    --json                 print JSON instead of tables

<csv-glob> is a file, a directory, a glob in the file name (cells/*.csv) or a comma list; every
file needs the same header row. A path ending in .arrow reads Arrow IPC files instead (such as a
batch project's output/collated/stats.arrow).`;

interface Flags {
  readonly verb: 'describe' | 'kmeans';
  readonly input: string;
  readonly by: string | null;
  readonly k: number | null;
  readonly maxIter: number;
  readonly seed: number;
  readonly init: 'k-means||' | 'random';
  readonly columns: string[] | null;
  readonly delimiter: string;
  readonly master: string;
  readonly json: boolean;
}

export async function runTable(argv: string[]): Promise<number> {
  const f = parseFlags(argv);
  if (f === 'help') {
    console.log(HELP);
    return 0;
  }
  const ctx = await Context.create({ master: f.master });
  try {
    // Cached: describe reads the columns three times (moments, quantile bins, quantile values).
    const table = (/\.arrow$/i.test(f.input) ? ctx.readArrow(f.input) : ctx.readCsv(f.input, { delimiter: f.delimiter })).cache();
    const columns = f.columns ?? table.numericColumns.filter((c) => c !== f.by);
    if (f.verb === 'describe') {
      const summary = await table.describe(columns);
      const wb = f.by === null ? null : await table.withinBetween(f.by, columns);
      if (f.json) console.log(JSON.stringify({ rows: await table.count(), describe: summary, ...(wb === null ? {} : { withinBetween: wb }) }, jsonNumbers, 2));
      else console.log(describeText(summary, wb, f.by));
    } else {
      const model = await table.kmeans({ k: f.k as number, columns, maxIter: f.maxIter, seed: f.seed, init: f.init });
      if (f.json) console.log(JSON.stringify({ k: model.k, columns: model.columns, centers: model.centers, costs: model.costs, iterations: model.iterations, converged: model.converged, rows: model.count }, jsonNumbers, 2));
      else console.log(kmeansText(model));
    }
    return 0;
  } finally {
    await ctx.stop();
  }
}

function parseFlags(argv: string[]): Flags | 'help' {
  const parsed = parseCommandLine('table', argv, {
    by: { type: 'string' },
    k: { type: 'string' },
    'max-iter': { type: 'string' },
    seed: { type: 'string' },
    init: { type: 'string' },
    columns: { type: 'string' },
    delimiter: { type: 'string' },
    master: { type: 'string' },
    json: { type: 'boolean' },
  });
  const v = parsed.values;
  if (v.help) return 'help';
  const [verb, input, ...extra] = parsed.positionals;
  if (verb === undefined) throw new UsageError("missing the verb: describe or kmeans; run 'voxelflow table --help'");
  if (verb !== 'describe' && verb !== 'kmeans') throw new UsageError(`unknown verb '${verb}': use describe or kmeans`);
  if (input === undefined) throw new UsageError(`missing the CSV files: voxelflow table ${verb} <csv-glob>`);
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}' (quote globs: 'cells/*.csv')`);
  const int = (name: string, text: string | undefined, fallback: number | null, min: number): number | null => (text === undefined ? fallback : integerFlag(name, text, { min }));
  const k = int('k', v.k, null, 1);
  if (verb === 'kmeans' && k === null) throw new UsageError('kmeans needs --k, the number of clusters');
  if (verb === 'describe' && (v.k !== undefined || v.init !== undefined)) throw new UsageError('--k and --init belong to kmeans', v.k !== undefined ? '--k' : '--init');
  if (verb === 'kmeans' && v.by !== undefined) throw new UsageError('--by belongs to describe', '--by');
  const init = v.init === undefined ? 'k-means||' : enumFlag('init', v.init, ['random', 'k-means||']);
  const columns = v.columns === undefined ? null : v.columns.split(',').map((c) => c.trim()).filter((c) => c !== '');
  if (columns !== null && columns.length === 0) throw new UsageError('--columns names no column', '--columns');
  return {
    verb,
    input,
    by: v.by ?? null,
    k,
    maxIter: int('max-iter', v['max-iter'], 20, 1) as number,
    seed: int('seed', v.seed, 1, 0) as number,
    init,
    columns,
    delimiter: v.delimiter === '\\t' ? '\t' : (v.delimiter ?? ','),
    master: v.master ?? 'local[*]',
    json: v.json ?? false,
  };
}

/** NaN and infinities as null in JSON (JSON has no NaN). */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

function describeText(summary: readonly ColumnSummary[], wb: readonly WithinBetween[] | null, by: string | null): string {
  const head = ['column', 'count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max'];
  const rows = summary.map((s) => [s.column, String(s.count), ...[s.mean, s.std, s.min, s.q25, s.median, s.q75, s.max].map(num)]);
  let out = grid(head, rows);
  if (wb !== null) {
    out += `\n\nwithin vs between samples (by ${by}):\n`;
    out += grid(['column', 'samples', 'within std', 'between std', 'within/between'], wb.map((w) => [w.column, String(w.samples), num(w.within), num(w.between), num(w.ratio)]));
  }
  return out;
}

function kmeansText(m: KMeansModel): string {
  const lines = [`k-means: k = ${m.k}, ${m.count} rows, ${m.iterations} iteration${m.iterations === 1 ? '' : 's'}${m.converged ? ' (converged)' : ' (not converged: raise --max-iter)'}`];
  lines.push(`cost: ${m.costs.map(num).join(' → ')}`, '');
  lines.push(grid(['center', ...m.columns], m.centers.map((c, i) => [String(i), ...c.map(num)])));
  return lines.join('\n');
}

function num(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : String(x);
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? x.toExponential(4) : Number(x.toPrecision(6)).toString();
}

/** Columns padded to their widest cell; text left, numbers right. */
function grid(head: readonly string[], rows: readonly string[][]): string {
  const width = head.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(width[j] as number) : c.padStart(width[j] as number))).join('  ');
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * `npm run bench [-- SUITE] [--out DIR] [--update-readme]`: runs every suite (or the one named), prints
 * the table and writes `<DIR>/<suite>.json` (default benchmarks/results/, which git ignores). A user's
 * run never edits a tracked file: the committed figures in benchmarks/README.md change only with
 * `--update-readme` (from the results in DIR; its table holds every suite with a results file, so
 * running one suite keeps the others' last figures).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { coreBenchmarks } from './core-bench.js';
import { imagingBenchmarks } from './imaging-bench.js';
import { clusterBenchmarks } from './cluster-bench.js';
import { nativeBenchmarks } from './native-bench.js';
import { tableBenchmarks } from './table-bench.js';
import { streamingBenchmarks } from './streaming-bench.js';
import { scaleBenchmarks } from './scale-bench.js';
import { batchBenchmarks } from './batch-bench.js';
import { tomcatBenchmarks } from './tomcat-bench.js';
import { tomoBenchmarks } from './tomo-bench.js';
import { machine, table, type BenchRow } from './harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const benchDir = join(root, 'benchmarks');

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { out: { type: 'string' }, 'update-readme': { type: 'boolean', default: false } }, allowPositionals: true });
  const only = positionals[0];
  const out = values.out === undefined ? join(benchDir, 'results') : resolve(values.out);
  const m = machine();
  console.log(`machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, node ${m.node}`);
  const suites: Record<string, (log: (l: string) => void) => Promise<BenchRow[]>> = { core: coreBenchmarks, imaging: imagingBenchmarks, native: nativeBenchmarks, cluster: clusterBenchmarks, table: tableBenchmarks, streaming: streamingBenchmarks, batch: batchBenchmarks, tomo: tomoBenchmarks, scale: scaleBenchmarks, tomcat: tomcatBenchmarks };
  if (only !== undefined && !(only in suites)) throw new Error(`unknown suite '${only}'; the suites are ${Object.keys(suites).join(', ')}`);
  const rows: BenchRow[] = [];
  for (const [name, run] of Object.entries(suites)) {
    if (only !== undefined && only !== name) continue;
    // The scale and tomcat suites write 28 GB and 47 GB and run for minutes: only when asked for by name.
    if (only === undefined && (name === 'scale' || name === 'tomcat')) {
      console.log(`  (${name} suite skipped: run 'npm run bench -- ${name}'; it needs ${name === 'scale' ? '~30' : '~50'} GB free)`);
      continue;
    }
    const suiteRows = await run((line) => console.log(`  ${line}`));
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `${name}.json`), JSON.stringify({ machine: m, date: new Date().toISOString(), rows: suiteRows }, null, 2));
    rows.push(...suiteRows);
  }
  console.log(`\n${table(rows)}\n\nresults: ${out}`);
  if (values['update-readme']) {
    writeReadme(Object.keys(suites), out);
    console.log(`tables updated in ${join(benchDir, 'README.md')}`);
  }
}

interface SavedSuite {
  readonly machine: ReturnType<typeof machine>;
  readonly date: string;
  readonly rows: BenchRow[];
}

/** The README section: one table per suite, in suite order, each with its date and machine. */
function writeReadme(order: readonly string[], dir: string): void {
  const saved = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
  const names = [...order, ...saved.filter((n) => !order.includes(n)).sort()];
  const parts = names.map((name) => {
    if (!saved.includes(name)) return `### ${name}\n\n(not measured yet: run \`npm run bench -- ${name}\`)`;
    const s = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as SavedSuite;
    const m = s.machine;
    return `### ${name}\n\nMeasured ${s.date.slice(0, 10)} on ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}.\n\n${table(s.rows)}`;
  });
  const file = join(benchDir, 'README.md');
  const begin = '<!-- results:begin -->';
  const end = '<!-- results:end -->';
  const section = `${begin}\n${parts.join('\n\n')}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  writeFileSync(file, i >= 0 && j > i ? text.slice(0, i) + section + text.slice(j + end.length) : `${text}\n${section}\n`);
}

main().catch((err: unknown) => {
  console.error(`voxelflow bench: ${(err as Error).message}`);
  process.exit(1);
});

/**
 * `npm run bench`: runs every suite, prints the table, writes benchmarks/results/<suite>.json and
 * the table section of benchmarks/README.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreBenchmarks } from './core-bench.js';
import { machine, table, type BenchRow } from './harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const benchDir = join(root, 'benchmarks');

async function main(): Promise<void> {
  const only = process.argv[2];
  const m = machine();
  console.log(`machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, node ${m.node}`);
  const suites: Record<string, (log: (l: string) => void) => Promise<BenchRow[]>> = { core: coreBenchmarks };
  const rows: BenchRow[] = [];
  for (const [name, run] of Object.entries(suites)) {
    if (only !== undefined && only !== name) continue;
    const suiteRows = await run((line) => console.log(`  ${line}`));
    mkdirSync(join(benchDir, 'results'), { recursive: true });
    writeFileSync(join(benchDir, 'results', `${name}.json`), JSON.stringify({ machine: m, date: new Date().toISOString(), rows: suiteRows }, null, 2));
    rows.push(...suiteRows);
  }
  const md = table(rows);
  console.log(`\n${md}`);
  writeReadme(md, m);
}

function writeReadme(md: string, m: ReturnType<typeof machine>): void {
  const file = join(benchDir, 'README.md');
  const begin = '<!-- results:begin -->';
  const end = '<!-- results:end -->';
  const section = `${begin}\nMeasured ${new Date().toISOString().slice(0, 10)} on ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}.\n\n${md}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  writeFileSync(file, i >= 0 && j > i ? text.slice(0, i) + section + text.slice(j + end.length) : `${text}\n${section}\n`);
}

main().catch((err: unknown) => {
  console.error(`voxelflow bench: ${(err as Error).message}`);
  process.exit(1);
});

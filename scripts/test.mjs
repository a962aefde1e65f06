#!/usr/bin/env node
/**
 * `npm test`: builds what changed (scripts/build.mjs), type-checks the tests (tsconfig.test.json), then
 * runs vitest's projects (vitest.config.ts) in the order that keeps them apart and the wall time short:
 *
 * 1. `unit`, files two at a time (in-process tests: they use both cores);
 * 2. `integration` and `cluster` at the same time, each one file at a time. Both lanes mostly wait
 *    (processes starting, heartbeats, Grid Engine's scheduling interval), and what files share — the
 *    README's fixed port 7077, the Grid Engine queue — lies in the `cluster` lane only. vitest runs projects of
 *    one group in one pool, one file at a time when they run one at a time, so the two lanes are two
 *    vitest processes; the second lane's report is printed when the first's ends (never interleaved).
 *
 * Arguments go to one `vitest run` as they are (`npm test -- test/core`), all projects in vitest's order.
 * Exit status: the first non-zero status of the steps.
 *
 * @example
 *   npm test
 *   npm test -- test/imaging/threshold.test.ts
 */
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');

/** Runs `node ARGS` in the repository with the terminal as its output; exits on failure. */
function step(args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Runs `vitest run ARGS`, its output to `out` (a write function) as it comes; resolves to its status. */
function lane(args, out) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, 'run', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => out(d));
    child.stderr.on('data', (d) => out(d));
    child.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

step([join(root, 'scripts', 'build.mjs')]);
step([join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json']);

const extra = process.argv.slice(2);
if (extra.length > 0) {
  step([vitest, 'run', ...extra]);
  process.exit(0);
}

step([vitest, 'run', '--project', 'unit']);
const buffered = [];
const [first, second] = await Promise.all([
  lane(['--project', 'integration'], (d) => process.stdout.write(d)),
  lane(['--project', 'cluster'], (d) => buffered.push(d)),
]);
process.stdout.write('\n── cluster lane (ran beside the integration lane) ──\n');
for (const d of buffered) process.stdout.write(d);
process.exit(first !== 0 ? first : second);

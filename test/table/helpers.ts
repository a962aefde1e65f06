/** Helpers for the table tests: temporary CSV files, and whether python3 with numpy is here. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export { rng } from '../helpers/volumes.js';

/** A temporary directory removed after the file's tests; `write(name, text)` returns the path. */
export function tempFiles(): { dir: string; write: (name: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'voxelflow-table-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write: (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

/** What is missing for the numpy comparisons ("python3" or "numpy"), or null. */
export function numpyMissing(): string | null {
  for (const [what, code] of [['python3', 'pass'], ['numpy', 'import numpy']] as const) {
    const r = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
    if (r.error !== undefined || r.status !== 0) return what;
  }
  return null;
}

/** Runs a python3 script with arguments and parses its JSON output. */
export function python(script: string, args: readonly string[]): unknown {
  const r = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A standard normal draw from a uniform generator (Box–Muller). */
export function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

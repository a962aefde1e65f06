/** CLI tests' common ground: a temporary working folder and `voxelflow ARGS` run there as a fresh process. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const VOXELFLOW_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');

export interface CliResult {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** A folder removed after the calling file's tests, and a runner of `voxelflow` with that folder as its cwd. */
export function cliSandbox(prefix: string): { readonly dir: string; voxelflow(...args: string[]): CliResult } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    voxelflow(...args: string[]): CliResult {
      const r = spawnSync(process.execPath, [VOXELFLOW_BIN, ...args], { encoding: 'utf8', timeout: 120_000, cwd: dir });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
  };
}

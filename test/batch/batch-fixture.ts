/** Batch tests' common ground: synthetic .npy images, a project folder, and reading its output. */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { npyHeader } from '../../imaging/io/npy.js';
import { VOXELFLOW_BIN } from '../cli/cli-sandbox.js';

/**
 * A u16 n^3 .npy: background 100 with a deterministic ripple, and `seed`-placed bright cubes (1000),
 * so each image has a few components of its own.
 */
export function writeBlobs(path: string, n: number, seed: number): void {
  const data = new Uint16Array(n * n * n);
  for (let i = 0; i < data.length; i++) data[i] = 100 + ((i * 7 + seed) % 13);
  let s = seed * 2654435761 >>> 0;
  const next = (m: number): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % m;
  };
  for (let c = 0; c < 3 + (seed % 3); c++) {
    const size = 2 + next(Math.max(1, n >> 3));
    const [x0, y0, z0] = [next(n - size), next(n - size), next(n - size)];
    for (let z = z0; z < z0 + size; z++) for (let y = y0; y < y0 + size; y++) for (let x = x0; x < x0 + size; x++) data[(z * n + y) * n + x] = 1000;
  }
  const fd = openSync(path, 'w');
  writeSync(fd, npyHeader([n, n, n], 'u16'));
  writeSync(fd, new Uint8Array(data.buffer));
  closeSync(fd);
}

export interface Spec {
  readonly item: string;
  readonly sample: string;
  readonly n: number;
  readonly seed: number;
}

/** A project at `dir`: input/<item>.npy for each spec, manifest.csv (with a `site` column) and batch.json. */
export function makeProject(dir: string, specs: readonly Spec[], config: Record<string, unknown> = {}): void {
  mkdirSync(join(dir, 'input'), { recursive: true });
  for (const s of specs) writeBlobs(join(dir, 'input', `${s.item}.npy`), s.n, s.seed);
  writeFileSync(join(dir, 'manifest.csv'), `item,input,sample,site\n${specs.map((s) => `${s.item},input/${s.item}.npy,${s.sample},"site, ${s.seed % 2}"`).join('\n')}\n`);
  writeFileSync(join(dir, 'batch.json'), JSON.stringify({ pipeline: { above: 500, box: 1, connectivity: 26 }, outputs: ['stats'], retries: 1, sampleColumn: 'sample', ...config }));
}

export interface LedgerLine {
  readonly item: string;
  readonly attempt: number;
  readonly event: 'start' | 'end' | 'reset';
  readonly outcome?: 'done' | 'failed' | 'lost';
  readonly error?: string;
}

export function ledger(dir: string): LedgerLine[] {
  const file = join(dir, 'output', 'ledger.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as LedgerLine);
}

/** `voxelflow ARGS` as a child process (to signal it), with its output collected. */
export function startVoxelflow(cwd: string, ...args: string[]): { child: ChildProcess; exit: Promise<{ code: number | null; signal: string | null; out: string; err: string }> } {
  const child = spawn(process.execPath, [VOXELFLOW_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: string | null; out: string; err: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out, err })));
  return { child, exit };
}

/** Polls `test` every 10 ms until it holds (the test's own timeout bounds the wait). */
export async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setTimeout(r, 10));
}

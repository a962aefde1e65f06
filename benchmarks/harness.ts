/**
 * Benchmark plumbing: medians of repeated runs, the machine, and a table of ratios against a
 * baseline measured in the same process on the same data. Never used by `npm test`.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bin/voxelflow.js of this checkout (the harness runs from dist/benchmarks/). */
export const voxelflowBin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');

/** One row of the table. */
export interface BenchRow {
  readonly suite: string;
  readonly name: string;
  /** Median wall time of the measured run, ms. */
  readonly ms: number;
  /** Median wall time of the baseline, ms (null when the figure is absolute). */
  readonly baselineMs: number | null;
  readonly baseline: string;
  /** A value derived from the run (tasks/s, voxels/s), when the target is about it. */
  readonly value?: { readonly amount: number; readonly unit: string };
  readonly target: string;
  readonly met: boolean;
  readonly note?: string;
}

/** Runs `fn` `runs` times after `warmup` runs and returns the median wall time in ms. */
export async function median(fn: () => unknown | Promise<unknown>, runs = 3, warmup = 0): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** What the numbers were measured on. */
export function machine(): { cores: number; cpu: string; memoryGiB: number; node: string } {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpu: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
  };
}

/** Markdown table of rows. */
export function table(rows: readonly BenchRow[]): string {
  const head = '| suite | benchmark | time (median) | baseline | ratio | figure | target | met |\n|---|---|---|---|---|---|---|---|';
  const lines = rows.map((r) => {
    const ratio = r.baselineMs === null ? '—' : `${(r.ms / r.baselineMs).toFixed(2)}x`;
    const base = r.baselineMs === null ? r.baseline : `${r.baseline}: ${fmt(r.baselineMs)}`;
    const fig = r.value ? `${Math.round(r.value.amount).toLocaleString('en-US')} ${r.value.unit}` : '—';
    return `| ${r.suite} | ${r.name} | ${fmt(r.ms)} | ${base} | ${ratio} | ${fig} | ${r.target} | ${r.met ? 'yes' : '**no**'}${r.note ? ` (${r.note})` : ''} |`;
  });
  return [head, ...lines].join('\n');
}

function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

/** What a fresh `voxelflow` process did: exit status, output, wall time and peak RSS (VmHWM). */
export interface VoxelflowRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly peakRssBytes: number;
}

/**
 * Runs `voxelflow ARGS` as a fresh process, as a user runs it, sampling its peak RSS every 100 ms
 * (VmHWM covers its worker threads too).
 */
export function runVoxelflow(args: readonly string[], cwd?: string): Promise<VoxelflowRun> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [voxelflowBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const sample = (): void => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m !== null) peak = Math.max(peak, Number(m[1]) * 1024);
      } catch {
        // the process has just exited
      }
    };
    const timer = setInterval(sample, 100);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - t0, peakRssBytes: peak });
    });
  });
}

/** Bytes of every file under `dir` (a Zarr store's size on disk). */
export function storeBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
  return n;
}

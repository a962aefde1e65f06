/**
 * Benchmark plumbing: medians of repeated runs, the machine, and a table of ratios against a
 * baseline measured in the same process on the same data. Never used by `npm test`.
 */
import { cpus, totalmem } from 'node:os';

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

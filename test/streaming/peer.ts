/**
 * Test helpers for a real ZeroMQ peer in another process: free loopback ports, the simulator CLI as
 * a child process (killed after each test), and an in-process receiver that collects scans.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from '../../index.js';
import { StreamingContext, type BeamlineStream, type BeamlineStreamOptions, type Scan } from '../../streaming/index.js';

export const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Child {
  readonly proc: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  /** Resolves when stdout has a line matching `re`. */
  line(re: RegExp, timeoutMs?: number): Promise<string>;
}

const children = new Set<ChildProcess>();

/** Runs `voxelflow ...args` as a child process; `killAll` ends it if the test did not. */
export function voxelflow(args: readonly string[]): Child {
  const proc = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  const child: Child = {
    proc,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) =>
      proc.on('exit', (code, signal) => {
        children.delete(proc);
        resolve(code ?? signal ?? 'unknown');
      }),
    ),
    line: (re, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const hit = child.stdout.split('\n').find((l) => re.test(l));
          if (hit !== undefined) resolve(hit);
          return hit !== undefined;
        };
        if (check()) return;
        const timer = setTimeout(() => reject(new Error(`no line matching ${re} within ${timeoutMs} ms; stdout: ${child.stdout} stderr: ${child.stderr}`)), timeoutMs);
        proc.stdout?.on('data', () => check() && clearTimeout(timer));
      }),
  };
  proc.stdout?.on('data', (d: Buffer) => (child.stdout += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (child.stderr += d.toString()));
  return child;
}

/** SIGKILLs every child still running (afterEach). */
export function killAll(): void {
  for (const p of children) p.kill('SIGKILL');
  children.clear();
}

/** An in-process receiver: a StreamingContext with one detector stream whose scans are collected. */
export async function receiver(
  ctx: Context,
  options: BeamlineStreamOptions,
  onScan: (scan: Scan) => unknown = () => {},
): Promise<{ ssc: StreamingContext; beam: BeamlineStream; scans: Scan[]; logs: string[]; waitForScans(n: number, timeoutMs?: number): Promise<Scan[]> }> {
  const ssc = new StreamingContext(ctx, { batchIntervalMs: 200 });
  const logs: string[] = [];
  const beam = ssc.zmqStream({ log: (l) => logs.push(l), ...options });
  const scans: Scan[] = [];
  beam.scans().foreach(async (scan) => {
    await onScan(scan);
    scans.push(scan);
  });
  await ssc.start();
  const waitForScans = async (n: number, timeoutMs = 20_000): Promise<Scan[]> => {
    const t0 = Date.now();
    while (scans.length < n) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`got ${scans.length} of ${n} scans within ${timeoutMs} ms: ${JSON.stringify(scans.map((s) => s.report))}; totals ${JSON.stringify(beam.totals)}; logs ${logs.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return scans;
  };
  return { ssc, beam, scans, logs, waitForScans };
}

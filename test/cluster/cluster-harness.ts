/**
 * Real cluster processes for tests: `voxelflow master` and `voxelflow worker` spawned from bin/ on
 * loopback with free ports, their output captured, and every one of them killed by killAll().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Context, EventOf, VoxelflowEvent } from '../../index.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');
const live = new Set<Proc>();

/** A spawned voxelflow process and everything it printed. */
export class Proc {
  out = '';
  /** When the process was spawned (ms since epoch). */
  readonly spawnedAt = Date.now();
  private readonly waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    live.add(this);
    const take = (chunk: Buffer): void => {
      this.out += chunk.toString();
      for (const w of [...this.waiters]) {
        const m = this.out.match(w.re);
        if (m !== null) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    // 'close', not 'exit': it comes after the process's output has all been read.
    this.exited = new Promise((resolve) => child.on('close', (code, signal) => {
      live.delete(this);
      resolve({ code, signal });
    }));
  }

  /** Resolves when the output matches `re`; rejects after `timeoutMs` showing what was printed. */
  waitFor(re: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const m = this.out.match(re);
    if (m !== null) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no ${re} within ${timeoutMs} ms; output:\n${this.out}`)), timeoutMs);
      this.waiters.push({ re, resolve: (found) => (clearTimeout(timer), resolve(found)) });
    });
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

/** Spawns `voxelflow <args>` with VOXELFLOW_SECRET set only when `env` says so. */
export function spawnVoxelflow(name: string, args: string[], env: Record<string, string> = {}, cwd?: string): Proc {
  const base = { ...process.env };
  delete base['VOXELFLOW_SECRET'];
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...(cwd !== undefined ? { cwd } : {}) });
  return new Proc(name, child);
}

/** A folder with a secret file; removed by killAll. */
export function secretFile(secret: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'voxelflow-cluster-test-'));
  dirs.push(dir);
  const file = join(dir, 'secret');
  writeFileSync(file, `${secret}\n`);
  return file;
}
const dirs: string[] = [];

export interface TestMaster {
  readonly proc: Proc;
  readonly url: string;
  /** host:port, what workers are given. */
  readonly address: string;
}

export async function startMaster(secretPath: string, workerTimeoutS = 2): Promise<TestMaster> {
  const proc = spawnVoxelflow('master', ['master', '--port', '0', '--secret-file', secretPath, '--worker-timeout', String(workerTimeoutS)]);
  const m = await proc.waitFor(/listening on (voxelflow:\/\/([\d.]+:\d+))/);
  return { proc, url: m[1] as string, address: m[2] as string };
}

export interface WorkerSpec {
  readonly name: string;
  readonly cores?: number;
  readonly secretPath?: string;
  readonly env?: Record<string, string>;
  readonly extra?: string[];
}

/** Spawns a worker; with `registered` (default) waits until the master accepted it. */
export async function startWorker(master: TestMaster, spec: WorkerSpec, registered = true): Promise<Proc> {
  // Its block folder inside one killAll removes: a SIGKILLed worker cannot remove its own.
  const work = mkdtempSync(join(tmpdir(), 'voxelflow-test-worker-'));
  dirs.push(work);
  const args = ['worker', '--master', master.address, '--name', spec.name, '--cores', String(spec.cores ?? 2), '--death-timeout', '20', '--work-dir', work, ...(spec.extra ?? [])];
  if (spec.secretPath !== undefined) args.push('--secret-file', spec.secretPath);
  const proc = spawnVoxelflow(spec.name, args, spec.env);
  if (registered) {
    await proc.waitFor(/registered with master .* as (\S+);/);
    startupMs.set(proc, Date.now() - proc.spawnedAt);
  }
  return proc;
}

const startupMs = new WeakMap<Proc, number>();

/** How long a worker took from spawn to registration (what a late joiner needs too, on this machine now). */
export function startupOf(proc: Proc): number {
  return startupMs.get(proc) ?? 2_000;
}

/** The executor id the master gave a worker (from its 'registered' line). */
export async function workerId(proc: Proc): Promise<string> {
  return (await proc.waitFor(/registered with master .* as (\S+);/))[1] as string;
}

/** Kills every process still running (SIGKILL) and removes the secret folders. */
export async function killAll(): Promise<void> {
  const procs = [...live];
  for (const p of procs) p.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Resolves with the first `type` event that `pred` accepts; rejects after `timeoutMs`. */
export function waitForEvent<K extends VoxelflowEvent['type']>(ctx: Context, type: K, pred: (e: EventOf<K>) => boolean, timeoutMs: number): Promise<EventOf<K>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeoutMs} ms`)), timeoutMs);
    const off = ctx.on(type, ((e: EventOf<K>) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    }) as never);
  });
}

/** A loopback port nothing listens on now (taken from the OS, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

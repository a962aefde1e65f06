/**
 * The command line's error paths (issue 15.8): each ends in one line that says what to do, before any
 * work or job submission, and a closed pipe is a normal end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');
const dir = mkdtempSync(join(tmpdir(), 'vf-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const envWithout = (name: string): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== name));

function voxelflow(args: string[], env: NodeJS.ProcessEnv = process.env): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000, cwd: dir, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function expectOneLine(r: { code: number | null; err: string }, code: number, pattern: RegExp): void {
  expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
  expect(r.err).toMatch(pattern);
  expect(r.code).toBe(code);
}

/** Spawns the CLI and resolves with the first stream text matching `pattern` (and the child). */
function startUntil(args: string[], stream: 'stdout' | 'stderr', pattern: RegExp): Promise<{ child: ReturnType<typeof spawn>; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, VOXELFLOW_SECRET: 'error-paths-secret' } });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within 20 s; ${stream}: ${text}`)), 20_000);
    child[stream].on('data', (d: Buffer) => {
      text += d.toString();
      const m = pattern.exec(text);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ child, match: m });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before ${pattern}; ${stream}: ${text}`)));
  });
}

const exited = (child: ReturnType<typeof spawn>): Promise<number | null> =>
  new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

describe('command line errors', () => {
  it('a flag followed by a negative number says how to pass it', () => {
    expectOneLine(voxelflow(['analyze', 'synthetic:blobs:16x16x16', '--box', '-1', '--above', '1']), 2, /^voxelflow analyze: --box needs a value and the next argument starts with '-'; write --box=VALUE to pass a value that starts with '-'; run 'voxelflow analyze --help'$/m);
  });

  it('--master sge checks the input before it submits anything', () => {
    // A qsub that records being called: it must not be.
    const fake = join(dir, 'fake-bin');
    rmSync(fake, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', fake]);
    const called = join(dir, 'qsub-called');
    writeFileSync(join(fake, 'qsub'), `#!/bin/sh\ntouch '${called}'\necho 'Your job-array 1.1-1:1 ("x") has been submitted'\n`);
    chmodSync(join(fake, 'qsub'), 0o755);
    const r = voxelflow(['analyze', join(dir, 'missing.tif'), '--above', '1', '--master', 'sge', '--workers', '1'], { ...process.env, PATH: `${fake}:${process.env['PATH'] ?? ''}` });
    expectOneLine(r, 2, /missing\.tif: cannot open: no such file or directory; check the path/);
    expect(existsSync(called)).toBe(false);
  });

  it('no cluster secret names --secret-file', () => {
    const r = voxelflow(['analyze', 'synthetic:blobs:16x16x16', '--above', '1', '--master', 'voxelflow://127.0.0.1:1'], envWithout('VOXELFLOW_SECRET'));
    expectOneLine(r, 1, /^voxelflow analyze: no cluster secret: pass --secret-file FILE or set VOXELFLOW_SECRET/);
  });

  it('a reader that closes the pipe ends the command quietly with exit 0', async () => {
    const child = spawn(process.execPath, [bin, 'analyze', 'synthetic:blobs:32x32x32', '--above', '300', '--json', '--master', 'local[2]'], { cwd: dir });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Like `| head -0`: the reader is gone before the command writes its result (the worker threads'
    // shutdown keeps the process alive long enough for the EPIPE to surface).
    child.stdout.destroy();
    expect(await exited(child), err).toBe(0);
    expect(err).not.toMatch(/EPIPE|\n\s+at /);
  });
});

describe('long-running commands say what they wait for', () => {
  it('stream with no detector says it is waiting for one at the endpoint, and stops on Ctrl-C', async () => {
    const { child } = await startUntil(['stream', '--connect', 'tcp://127.0.0.1:9', '--above', '1', '--master', 'local'], 'stderr', /waiting for a detector at tcp:\/\/127\.0\.0\.1:9 \(simplon-v1, pull\); Ctrl-C to stop/);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
  });

  it('a master on 0.0.0.0 prints addresses a worker can dial, not the wildcard', async () => {
    const { child, match } = await startUntil(['master', '--host', '0.0.0.0', '--port', '0'], 'stdout', /listening on voxelflow:\/\/0\.0\.0\.0:(\d+) \(workers: --master ([^)]+)\)/);
    child.kill('SIGTERM');
    await exited(child);
    const choices = (match[2] as string).split(' or ');
    expect(choices.length).toBeGreaterThan(0);
    for (const c of choices) expect(c).toMatch(new RegExp(`^(?!0\\.0\\.0\\.0:)\\S+:${match[1]}$`));
  });
});

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');

function voxelflow(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('voxelflow command', () => {
  it('--help lists the commands and exits 0', () => {
    const r = voxelflow('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/usage: voxelflow <command>/);
    expect(r.out).toMatch(/^\s+demo\s+/m);
    expect(r.out).toMatch(/^\s+version\s+/m);
  });

  it('demo runs a key-value job on worker threads and reports what it found', () => {
    const r = voxelflow('demo', '--master', 'local[2]', '--size', '16');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/16\^3 = 4,096 voxels/);
    expect(r.out).toMatch(/foreground voxels/);
    expect(r.out).toMatch(/box filter 3\^3 +mean [\d.]+, max [\d.]+ over 4,096 voxels/);
  });

  it('an unknown command exits 2 with one line and no stack trace', () => {
    const r = voxelflow('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/unknown command 'frobnicate'/);
  });

  it('a bad flag value exits 2 and names the flag', () => {
    const r = voxelflow('demo', '--size', 'huge');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe("voxelflow demo: --size must be an integer in 8..200, got 'huge'");
  });

  it('an unknown flag exits 2 and points at --help', () => {
    const r = voxelflow('demo', '--colour', 'red');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown option '--colour'.*voxelflow demo --help/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('a bad master exits 1 with the ConfigError message', () => {
    const r = voxelflow('demo', '--master', 'yarn');
    expect(r.code).toBe(1);
    expect(r.err.trim()).toMatch(/^voxelflow demo: unknown master 'yarn'/);
  });
});

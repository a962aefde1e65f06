import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { nativeStatus } from '../../native/index.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');

function doctor(env: Record<string, string> = {}, ...args: string[]): { code: number | null; lines: string[]; err: string } {
  const r = spawnSync(process.execPath, [bin, 'doctor', ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  return { code: r.status, lines: r.stdout.trim().split('\n'), err: r.stderr };
}

const KERNELS = ['threshold', 'labelBlock', 'boxFilter', 'labelStats', 'phantomRegion', 'mapLabels', 'facePairs', 'averageFrames', 'flatField', 'minusLog', 'dezinger', 'filterLines', 'backProject', 'removeStripes', 'paganin', 'fft2'];

describe('voxelflow doctor', () => {
  it('prints one name: value line for every kernel, version and optional part, and exits 0', () => {
    const r = doctor();
    expect(r.code, r.err).toBe(0);
    const names = r.lines.map((l) => l.slice(0, l.indexOf(':')));
    expect(names).toEqual([
      ...KERNELS.map((k) => `kernel ${k}`),
      'node',
      'compiler',
      'worker threads',
      'python3+numpy+scipy',
      'grid engine',
      'zeromq addon',
      'chromium',
    ]);
    expect(r.lines).toContain(`node: ${process.version}`);
    expect(r.lines).toContain(`worker threads: ${availableParallelism()}`);
    for (const line of r.lines.slice(-4)) expect(line).toMatch(/^[\w +-]+: (present|absent) \(.+\)$/);
  });

  it('reports the native backend for threshold and labelBlock when the addon loaded, else why not', () => {
    const r = doctor({ VOXELFLOW_NATIVE: '' });
    if (nativeStatus().state === 'loaded') {
      expect(r.lines.slice(0, 2)).toEqual(['kernel threshold: native (C++ addon)', 'kernel labelBlock: native (C++ addon)']);
    } else {
      expect(r.lines[0]).toMatch(/^kernel threshold: (native \(C\+\+ addon\)|typescript \(native absent: .+\))$/);
    }
  });

  it('reports TypeScript for every kernel under VOXELFLOW_NATIVE=0, with the reason', () => {
    const r = doctor({ VOXELFLOW_NATIVE: '0' });
    expect(r.code).toBe(0);
    for (const k of KERNELS) expect(r.lines).toContain(`kernel ${k}: typescript (native disabled: VOXELFLOW_NATIVE=0)`);
  });

  it('rejects an unknown option with one line and exit 2', () => {
    const r = doctor({}, '--bogus');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/doctor --help/);
  });
});

/** The loader's choice of backend in a fresh process: VOXELFLOW_NATIVE=0 forces TypeScript. */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

import { nativeStatus } from '../../native/index.js';

const entry = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'native', 'index.js')).href;

/** Imports dist/native/index.js in a child node with `env` and returns its backends() and status. */
function probe(env: Record<string, string>): { backends: Record<string, string>; status: { state: string } } {
  const script = `const m = await import(${JSON.stringify(entry)}); console.log(JSON.stringify({ backends: m.backends(), status: m.nativeStatus() }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { backends: Record<string, string>; status: { state: string } };
}

describe('native loader', () => {
  it('VOXELFLOW_NATIVE=0 runs every kernel on TypeScript', () => {
    const r = probe({ VOXELFLOW_NATIVE: '0' });
    expect(r.status).toEqual({ state: 'disabled', reason: 'VOXELFLOW_NATIVE=0' });
    expect(Object.values(r.backends).every((b) => b === 'typescript')).toBe(true);
    expect(Object.keys(r.backends).sort()).toEqual(['boxFilter', 'labelBlock', 'labelStats', 'threshold']);
  });

  it('without VOXELFLOW_NATIVE the built dist loads the addon when it was built, and says so', () => {
    const r = probe({ VOXELFLOW_NATIVE: '' });
    expect(['loaded', 'absent']).toContain(r.status.state);
    if (nativeStatus().state === 'loaded') expect(r.status.state).toBe('loaded');
    expect(r.backends['threshold']).toBe(r.status.state === 'loaded' ? 'native' : 'typescript');
    expect(r.backends['labelBlock']).toBe(r.status.state === 'loaded' ? 'native' : 'typescript');
    expect(r.backends['boxFilter']).toBe(r.status.state === 'loaded' ? 'native' : 'typescript');
  });
});

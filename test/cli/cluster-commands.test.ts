/** `voxelflow master` and `voxelflow worker` command lines: help, and one-line errors for bad flags. */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');

function voxelflow(env: Record<string, string>, ...args: string[]): { code: number | null; out: string; err: string } {
  const base = { ...process.env };
  delete base['VOXELFLOW_SECRET'];
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...base, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function expectOneLine(r: { code: number | null; err: string }, code: number, text: string | RegExp): void {
  expect(r.code).toBe(code);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  if (typeof text === 'string') expect(r.err.trim()).toBe(text);
  else expect(r.err.trim()).toMatch(text);
}

describe('voxelflow master and worker command lines', () => {
  it('are listed by --help and explain their flags', () => {
    expect(voxelflow({}, '--help').out).toMatch(/^\s+master\s+start a cluster master/m);
    expect(voxelflow({}, '--help').out).toMatch(/^\s+worker\s+start a cluster worker/m);
    const m = voxelflow({}, 'master', '--help');
    expect(m.code).toBe(0);
    for (const flag of ['--host', '--port', '--secret-file', '--worker-timeout', '--tls-cert']) expect(m.out).toContain(flag);
    const w = voxelflow({}, 'worker', '--help');
    expect(w.code).toBe(0);
    for (const flag of ['--master', '--cores', '--memory', '--name', '--secret-file', '--death-timeout', '--work-dir', '--lifetime']) expect(w.out).toContain(flag);
  });

  it('refuse bad flags in one line naming the flag', () => {
    const env = { VOXELFLOW_SECRET: 's' };
    expectOneLine(voxelflow(env, 'worker'), 2, /--master HOST:PORT is required/);
    expectOneLine(voxelflow(env, 'worker', '--master', 'nohost'), 1, "voxelflow worker: --master: expected voxelflow://HOST:PORT or HOST:PORT, got 'nohost'");
    expectOneLine(voxelflow(env, 'worker', '--master', 'h:1', '--cores', 'many'), 2, "voxelflow worker: --cores must be an integer from 1 to 4096, got 'many'");
    expectOneLine(voxelflow(env, 'worker', '--master', 'h:1', '--death-timeout', 'soon'), 2, "voxelflow worker: --death-timeout must be a number >= 0.1, got 'soon'");
    expectOneLine(voxelflow(env, 'worker', '--master', 'h:1', '--memory', 'lots'), 2, "voxelflow worker: --memory must be a size such as 8g or 512m, got 'lots'");
    expectOneLine(voxelflow(env, 'master', '--port', '70000'), 2, "voxelflow master: --port must be an integer from 0 to 65535, got '70000'");
    expectOneLine(voxelflow(env, 'master', '--bogus'), 2, /voxelflow master: Unknown option '--bogus'; run 'voxelflow master --help'/);
    expectOneLine(voxelflow({}, 'master', '--port', '0'), 1, 'voxelflow master: no cluster secret: pass --secret-file FILE or set VOXELFLOW_SECRET (every RPC is authenticated with it)');
    expectOneLine(voxelflow(env, 'master', '--port', '0', '--host', '203.0.113.7'), 1, /^voxelflow master: cannot listen on 203\.0\.113\.7:0 \(listen EADDRNOTAVAIL[^)]*\); pick another --host\/--port$/);
  });
});

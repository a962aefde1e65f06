/**
 * A worker on another host (issue 15.8): a second network namespace joined to this one by a veth pair
 * stands in for a second machine. The master listens on 0.0.0.0; the worker is given only --master
 * (as `voxelflow sge script` and a by-hand start give it), so it must listen where the master's network
 * reaches it and advertise that address, not 127.0.0.1, or the driver could not send it a task.
 * Needs root and `ip netns` (iproute2); otherwise it says it is skipped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, Proc, secretFile, spawnVoxelflow } from './cluster-harness.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');
const tag = String(process.pid % 100_000);
const NS = `vf-ns-${tag}`;
const HOST_IF = `vfh${tag}`;
const NS_IF = `vfn${tag}`;
const NET = `10.213.${process.pid % 250}`;

const ip = (...args: string[]): { ok: boolean; err: string } => {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: r.status === 0, err: r.stderr?.trim() ?? String(r.error) };
};

/** Why the namespace cannot be made here, or null when it was. */
function makeNamespace(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to create a network namespace';
  const made = ip('netns', 'add', NS);
  if (!made.ok) return `cannot create a network namespace (ip netns add: ${made.err})`;
  for (const step of [
    ['link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF],
    ['link', 'set', NS_IF, 'netns', NS],
    ['addr', 'add', `${NET}.1/24`, 'dev', HOST_IF],
    ['link', 'set', HOST_IF, 'up'],
    ['netns', 'exec', NS, 'ip', 'addr', 'add', `${NET}.2/24`, 'dev', NS_IF],
    ['netns', 'exec', NS, 'ip', 'link', 'set', NS_IF, 'up'],
    ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up'],
  ]) {
    const r = ip(...step);
    if (!r.ok) throw new Error(`ip ${step.join(' ')}: ${r.err}`);
  }
  return null;
}

const skipWhy = makeNamespace();
if (skipWhy !== null) console.warn(`remote-worker.test.ts skipped: ${skipWhy}`);

describe.skipIf(skipWhy !== null)('a worker in another network namespace', () => {
  const secret = 'remote-worker-test-secret';
  let port = '';
  let worker: Proc;

  beforeAll(async () => {
    const master = spawnVoxelflow('master', ['master', '--host', '0.0.0.0', '--port', '0', '--secret-file', secretFile(secret)]);
    port = (await master.waitFor(/listening on voxelflow:\/\/0\.0\.0\.0:(\d+)/))[1] as string;
    const env = { ...process.env, VOXELFLOW_SECRET: secret };
    worker = new Proc('worker', spawn('ip', ['netns', 'exec', NS, process.execPath, BIN, 'worker', '--master', `${NET}.1:${port}`, '--cores', '1', '--death-timeout', '20'], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  }, 30_000);

  afterAll(async () => {
    await killAll();
    worker?.kill();
    ip('link', 'del', HOST_IF);
    ip('netns', 'del', NS);
  });

  it('registers with the address the master reaches it at', async () => {
    const m = await worker.waitFor(/registered with master \S+ as \S+; serving on (\S+)/, 20_000);
    expect(m[1]).toMatch(new RegExp(`^${NET.replace(/\./g, '\\.')}\\.2:\\d+$`));
  }, 30_000);

  it('runs a driver job on this host, with the same result as local', () => {
    const args = ['analyze', 'synthetic:blobs:32x48x40:3', '--above', '300', '--json', '--quiet'];
    const run = (extra: string[]): unknown => {
      const r = spawnSync(process.execPath, [BIN, ...args, ...extra], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, VOXELFLOW_SECRET: secret } });
      expect(r.status, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { components: number }).components;
    };
    expect(run(['--master', `voxelflow://127.0.0.1:${port}`])).toBe(run(['--master', 'local']));
  }, 90_000);
});

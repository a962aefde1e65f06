import { afterEach, describe, expect, it } from 'vitest';
import { Context, type ExecutorRow } from '../../index.js';
import { killAll, secretFile, spawnVoxelflow, startWorker } from '../cluster/cluster-harness.js';

const SECRET = 'master-dashboard-secret-6c1e2d';
afterEach(killAll);

async function executors(url: string): Promise<ExecutorRow[]> {
  return (await (await fetch(`${url}api/v1/executors`)).json()) as ExecutorRow[];
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() - t0 > timeoutMs) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('voxelflow master --ui-port', () => {
  it('lists workers with cores and memory as they join, and why they left; never the secret', async () => {
    const secretPath = secretFile(SECRET);
    const proc = spawnVoxelflow('master', ['master', '--port', '0', '--secret-file', secretPath, '--worker-timeout', '1', '--ui-port', '0']);
    const url = (await proc.waitFor(/dashboard at (http:\/\/127\.0\.0\.1:\d+\/)/))[1] as string;
    const m = await proc.waitFor(/listening on (voxelflow:\/\/([\d.]+:\d+))/);
    const master = { proc, url: m[1] as string, address: m[2] as string };

    const worker = await startWorker(master, { name: 'w1', cores: 1, secretPath });
    const joined = await until(() => executors(url), (xs) => xs.length === 1);
    expect(joined).toMatchObject([{ executorId: expect.stringMatching(/^w1-/), cores: 1, status: 'active', memoryBytes: expect.any(Number) }]);
    expect(joined[0]?.memoryBytes).toBeGreaterThan(0);
    expect(joined[0]?.host).toMatch(/^127\.0\.0\.1:\d+$/);

    // A driver's dashboard lists the same worker, with its memory, as an executor.
    const driver = await Context.create({ master: master.url, secret: SECRET, ui: { port: 0 } });
    try {
      expect(await driver.range(0, 10, 1, 2).sum()).toBe(45);
      const seen = await executors(driver.ui?.url as string);
      expect(seen).toMatchObject([{ executorId: joined[0]?.executorId, cores: 1, memoryBytes: joined[0]?.memoryBytes, tasks: { succeeded: 2 } }]);
      expect(JSON.stringify(seen)).not.toContain(SECRET);
    } finally {
      await driver.stop();
    }

    worker.kill('SIGKILL');
    const left = await until(() => executors(url), (xs) => xs[0]?.status === 'removed');
    expect(left[0]).toMatchObject({ status: 'removed', removedReason: expect.stringMatching(/^lost: no heartbeat/) });

    const app = await (await fetch(`${url}api/v1/app`)).text();
    expect(JSON.parse(app)).toMatchObject({ appName: 'voxelflow master', master: master.url });
    expect(app + JSON.stringify(left) + proc.out).not.toContain(SECRET);
  });
});

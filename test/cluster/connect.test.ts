/** A driver started at the same moment as its master (a script, a batch job) waits for it to listen. */
import { afterEach, describe, expect, it } from 'vitest';
import { Context } from '../../index.js';
import { killAll, secretFile, spawnVoxelflow, startWorker, freePort } from './cluster-harness.js';

const SECRET = 'connect-secret-77a1';
afterEach(killAll);


describe('connecting to a master', () => {
  it('a driver created before the master listens connects when it comes up, and runs a job', async () => {
    const file = secretFile(SECRET);
    const port = await freePort();
    const driver = Context.create({ master: `voxelflow://127.0.0.1:${port}`, secret: SECRET });
    await new Promise((r) => setTimeout(r, 1_500));
    const proc = spawnVoxelflow('master', ['master', '--port', String(port), '--secret-file', file, '--worker-timeout', '2']);
    const m = await proc.waitFor(/listening on (voxelflow:\/\/([\d.]+:\d+))/);
    await startWorker({ proc, url: m[1] as string, address: m[2] as string }, { name: 'late', secretPath: file });
    const ctx = await driver;
    try {
      expect(await ctx.parallelize([1, 2, 3, 4], 2).map((x) => x * x).sum()).toBe(30);
    } finally {
      await ctx.stop();
    }
  }, 60_000);
});

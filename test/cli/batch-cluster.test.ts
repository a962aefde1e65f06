/**
 * A batch on a real 2-worker cluster (master and workers as processes): a worker SIGKILLed while items
 * run costs no attempt (the engine runs its tasks again elsewhere), and every item is in the collated
 * table exactly once, as on local[1].
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ledger, makeProject, startVoxelflow, until, type Spec } from '../batch/batch-fixture.js';
import { killAll, secretFile, startMaster, startWorker } from '../cluster/cluster-harness.js';
import { cliSandbox } from './cli-sandbox.js';

const { dir, voxelflow } = cliSandbox('vf-batch-cluster-');
afterAll(killAll);

const SPECS: Spec[] = Array.from({ length: 8 }, (_, i) => ({ item: `w${i}`, sample: i % 2 === 0 ? 'X' : 'Y', n: 96, seed: i + 21 }));

describe('batch run on a cluster', () => {
  it('a worker SIGKILLed mid-batch uses no attempt; every item is collated exactly once', async () => {
    const secret = secretFile('batch-cluster-secret');
    const master = await startMaster(secret);
    const w1 = await startWorker(master, { name: 'w1', cores: 1, secretPath: secret });
    await startWorker(master, { name: 'w2', cores: 1, secretPath: secret });
    const p = join(dir, 'cluster');
    makeProject(p, SPECS, { pipeline: { above: 500, box: 1, connectivity: 26, block: [16, 32, 32] } });
    const local = join(dir, 'local');
    makeProject(local, SPECS, { pipeline: { above: 500, box: 1, connectivity: 26, block: [16, 32, 32] } });
    expect(voxelflow('batch', 'run', local, '--master', 'local[1]').code).toBe(0);
    const run = startVoxelflow(dir, 'batch', 'run', p, '--master', master.url, '--secret-file', secret, '--parallel', '2');
    await until(() => ledger(p).some((e) => e.outcome === 'done'));
    w1.kill('SIGKILL');
    const doneAtKill = ledger(p).filter((e) => e.outcome === 'done').length;
    const r = await run.exit;
    expect(r.code, r.err).toBe(0);
    expect(doneAtKill).toBeLessThan(SPECS.length);
    expect(ledger(p).filter((e) => e.event === 'end').map((e) => e.outcome)).toEqual(SPECS.map(() => 'done'));
    expect(existsSync(join(p, 'output', 'collated', 'stats.csv'))).toBe(true);
    const rows = readFileSync(join(p, 'output', 'collated', 'stats.csv'), 'utf8');
    expect(rows).toBe(readFileSync(join(local, 'output', 'collated', 'stats.csv'), 'utf8'));
  }, 120_000);
});

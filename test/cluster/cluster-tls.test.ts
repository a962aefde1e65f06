/**
 * TLS between every process of a cluster: a test CA signs one certificate for 127.0.0.1 that the
 * master and the workers serve; the driver trusts the CA. A driver that speaks plain gRPC is refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Context } from '../../index.js';
import { killAll, secretFile, spawnVoxelflow, type Proc } from './cluster-harness.js';

const SECRET = 'tls-secret-03be';
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'voxelflow-tls-test-'));
afterAll(async () => {
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
}


describe.skipIf(!hasOpenssl)('cluster over TLS (needs openssl to make a test CA)', () => {
  it('runs a shuffle job with TLS on every connection, and refuses a plain-text driver', async () => {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=voxelflow test CA']);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'node.key', '-out', 'node.csr', '-subj', '/CN=127.0.0.1']);
    const ext = join(dir, 'san.ext');
    (await import('node:fs')).writeFileSync(ext, 'subjectAltName=IP:127.0.0.1\n');
    openssl(['x509', '-req', '-in', 'node.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'node.pem', '-days', '1', '-extfile', ext]);
    const tls = ['--tls-cert', join(dir, 'node.pem'), '--tls-key', join(dir, 'node.key'), '--tls-ca', join(dir, 'ca.pem')];
    const file = secretFile(SECRET);
    const master = spawnVoxelflow('master', ['master', '--port', '0', '--secret-file', file, ...tls]);
    const m = await master.waitFor(/listening on (voxelflow:\/\/([\d.]+:\d+))/);
    const url = m[1] as string;
    const workers: Proc[] = ['wt1', 'wt2'].map((name) =>
      spawnVoxelflow(name, ['worker', '--master', m[2] as string, '--name', name, '--cores', '1', '--secret-file', file, ...tls]),
    );
    await Promise.all(workers.map((w) => w.waitFor(/registered with master/)));
    const ctx = await Context.create({ master: url, secret: SECRET, tls: { ca: join(dir, 'ca.pem') } });
    try {
      const sums = await ctx.range(0, 1000, 1, 4).map((x) => [x % 3, x] as [number, number]).reduceByKey((a, b) => a + b, 2).sortByKey().collect();
      expect(sums).toEqual([
        [0, 166833],
        [1, 166167],
        [2, 166500],
      ]);
    } finally {
      await ctx.stop();
    }
    await expect(Context.create({ master: url, secret: SECRET })).rejects.toThrow(/master at voxelflow:\/\/127\.0\.0\.1:\d+/);
  });
});

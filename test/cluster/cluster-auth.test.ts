/**
 * Authentication and bad input against real master and worker processes: wrong and missing secrets
 * are refused on both sides (workers and drivers), refusals are logged without the secret, and
 * malformed, oversized or version-mismatched calls get clear errors while the master keeps serving.
 */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '../../index.js';
import { authMetadata, MASTER_IDENTITY } from '../../cluster/auth.js';
import { executorService, masterService } from '../../cluster/protocol.js';
import { clientFor, serverStream, unary } from '../../cluster/rpc.js';
import { killAll, secretFile, spawnVoxelflow, startMaster, startWorker, type Proc, type TestMaster } from './cluster-harness.js';

const SECRET = 'right-secret-5d21e0';
const WRONG = 'wrong-secret-77aa19';
let master: TestMaster;
let worker: Proc;
let workerAddress: string;
let client: grpc.Client;

beforeAll(async () => {
  master = await startMaster(secretFile(SECRET));
  // The secret from the environment works as well as a file.
  worker = await startWorker(master, { name: 'wauth', env: { VOXELFLOW_SECRET: SECRET } });
  workerAddress = (await worker.waitFor(/serving on (\S+)/))[1] as string;
  client = clientFor(masterService, 'Master', master.address, grpc.credentials.createInsecure(), 64 * 1024 * 1024);
});
afterAll(async () => {
  client.close();
  await killAll();
  expect(master.proc.out).not.toContain(SECRET);
  expect(master.proc.out).not.toContain(WRONG);
  expect(worker.out).not.toContain(SECRET);
});

function rejection(p: Promise<unknown>): Promise<grpc.ServiceError> {
  return p.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (err: grpc.ServiceError) => err,
  );
}

/** A unary call with hand-made metadata (or none). */
function rawCall(c: grpc.Client, path: string, request: Buffer, metadata: grpc.Metadata): Promise<unknown> {
  return new Promise((resolve, reject) => {
    c.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, request, metadata, {}, (err, reply) => (err ? reject(err) : resolve(reply)));
  });
}

const heartbeat = { workerId: 'nobody', runningTasks: 0 };

describe('workers with a wrong or missing secret', () => {
  it('refuses a worker with the wrong secret; it exits 1 saying why, and the master logs it without the secret', async () => {
    const w = await startWorker(master, { name: 'wwrong', secretPath: secretFile(WRONG) }, false);
    expect((await w.exited).code).toBe(1);
    expect(w.out).toMatch(/refused to register this worker: UNAUTHENTICATED: authentication failed: wrong secret/);
    await master.proc.waitFor(/refused \/voxelflow\.cluster\.Master\/RegisterWorker from \S+: wrong secret/);
    expect(w.out).not.toContain(WRONG);
    expect(w.out).not.toMatch(/\n\s+at /);
  });

  it('stops a worker whose --work-dir cannot be made, with a one-line error', async () => {
    const underAFile = join(secretFile(SECRET), 'blocks'); // a folder cannot live inside a file
    const w = spawnVoxelflow('wdir', ['worker', '--master', master.address, '--cores', '1', '--work-dir', underAFile], { VOXELFLOW_SECRET: SECRET });
    expect((await w.exited).code).toBe(1);
    expect(w.out.trim()).toBe(`voxelflow worker: --work-dir: cannot make a folder in '${underAFile}' (ENOTDIR); pass a writable directory`);
  });

  it('stops a worker started without any secret, with a one-line error', async () => {
    const w = spawnVoxelflow('wnone', ['worker', '--master', master.address, '--cores', '1']);
    expect((await w.exited).code).toBe(1);
    expect(w.out.trim()).toBe('voxelflow worker: no cluster secret: pass --secret-file FILE or set VOXELFLOW_SECRET (every RPC is authenticated with it)');
  });
});

describe('drivers with a wrong or missing secret', () => {
  it('rejects Context.create with the wrong secret', async () => {
    await expect(Context.create({ master: master.url, secret: WRONG })).rejects.toThrow(/refused this driver: UNAUTHENTICATED: authentication failed: wrong secret/);
  });

  it('rejects Context.create without a secret', async () => {
    const saved = process.env['VOXELFLOW_SECRET'];
    delete process.env['VOXELFLOW_SECRET'];
    try {
      await expect(Context.create({ master: master.url })).rejects.toThrow(/no cluster secret: pass Context.create\(\{ secret \}\) or set VOXELFLOW_SECRET/);
    } finally {
      if (saved !== undefined) process.env['VOXELFLOW_SECRET'] = saved;
    }
  });

  it('takes the secret from VOXELFLOW_SECRET', async () => {
    const saved = process.env['VOXELFLOW_SECRET'];
    process.env['VOXELFLOW_SECRET'] = SECRET;
    try {
      const ctx = await Context.create({ master: master.url });
      expect(await ctx.range(0, 10, 1, 2).sum()).toBe(45);
      await ctx.stop();
    } finally {
      if (saved === undefined) delete process.env['VOXELFLOW_SECRET'];
      else process.env['VOXELFLOW_SECRET'] = saved;
    }
  });
});

describe('raw calls', () => {
  const heartbeatPath = '/voxelflow.cluster.Master/Heartbeat';
  const encodedHeartbeat = (): Buffer => masterService['Heartbeat']?.requestSerialize(heartbeat) as Buffer;

  it('refuses a call without credentials, on the master and on a worker', async () => {
    const err = await rejection(rawCall(client, heartbeatPath, encodedHeartbeat(), new grpc.Metadata()));
    expect(err.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(err.details).toMatch(/missing credentials/);
    const wc = clientFor(executorService, 'Executor', workerAddress, grpc.credentials.createInsecure(), 1024 * 1024);
    try {
      const fetch = executorService['EndApp']?.requestSerialize({ appId: 'x' }) as Buffer;
      const e2 = await rejection(rawCall(wc, '/voxelflow.cluster.Executor/EndApp', fetch, new grpc.Metadata()));
      expect(e2.code).toBe(grpc.status.UNAUTHENTICATED);
      const e3 = await rejection(unary(wc, executorService, 'EndApp', { appId: 'x' }, { secret: WRONG }));
      expect(e3.code).toBe(grpc.status.UNAUTHENTICATED);
      await unary(wc, executorService, 'EndApp', { appId: 'x' }, { secret: SECRET });
    } finally {
      wc.close();
    }
    await worker.waitFor(/refused \/voxelflow\.cluster\.Executor\/EndApp from \S+: wrong secret/);
  });

  it('refuses replayed credentials and credentials made for another method', async () => {
    const md = authMetadata(SECRET, { path: heartbeatPath, target: MASTER_IDENTITY, body: encodedHeartbeat() });
    await rawCall(client, heartbeatPath, encodedHeartbeat(), md);
    const replay = await rejection(rawCall(client, heartbeatPath, encodedHeartbeat(), md));
    expect(replay.details).toMatch(/replayed credentials/);
    const other = await rejection(rawCall(client, heartbeatPath, encodedHeartbeat(), authMetadata(SECRET, { path: '/voxelflow.cluster.Master/LeaveWorker', target: MASTER_IDENTITY, body: encodedHeartbeat() })));
    expect(other.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(other.details).toMatch(/wrong secret/);
  });

  it('refuses a worker of another version with a clear error', async () => {
    const req = { name: 'old', address: '127.0.0.1:1', cores: 1, memoryBytes: 1, version: '0.0.0-old' };
    const err = await rejection(unary(client, masterService, 'RegisterWorker', req, { secret: SECRET }));
    expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(err.details).toMatch(/version mismatch: the worker runs voxelflow 0\.0\.0-old but the master runs \d+\.\d+\.\d+; run the same voxelflow version/);
  });

  it('refuses a driver of another version with a clear error', async () => {
    const stream = serverStream(client, masterService, 'WatchCluster', { appName: 'old', version: '0.0.0-old', appId: 'old-1' }, { secret: SECRET });
    const err = await new Promise<grpc.ServiceError>((resolve) => {
      stream.on('error', resolve);
      stream.on('data', () => {});
    });
    expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(err.details).toMatch(/version mismatch: the driver runs voxelflow 0\.0\.0-old but the master runs/);
    expect(await unary(client, masterService, 'Heartbeat', heartbeat, { secret: SECRET })).toEqual({ known: false, endedApps: [] });
  });

  it('answers malformed and oversized messages with an error and keeps serving', async () => {
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
    const bad = await rejection(rawCall(client, heartbeatPath, garbage, authMetadata(SECRET, { path: heartbeatPath, target: MASTER_IDENTITY, body: garbage })));
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    const huge = { name: 'x'.repeat(2 * 1024 * 1024), address: '127.0.0.1:1', cores: 1, memoryBytes: 1, version: '0' };
    const big = await rejection(unary(client, masterService, 'RegisterWorker', huge, { secret: SECRET }));
    expect(big.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    const badAddress = await rejection(unary(client, masterService, 'RegisterWorker', { name: 'x', address: 'no port', cores: 1, memoryBytes: 1, version: (await versionOfMaster()) }, { secret: SECRET }));
    expect(badAddress.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(badAddress.details).toMatch(/worker address must be HOST:PORT/);
    // Still alive and answering.
    expect(await unary(client, masterService, 'Heartbeat', heartbeat, { secret: SECRET })).toEqual({ known: false, endedApps: [] });
    expect(master.proc.child.exitCode).toBeNull();
  });
});

async function versionOfMaster(): Promise<string> {
  return (await import('../../cluster/package-info.js')).VERSION;
}

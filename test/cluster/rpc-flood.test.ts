/**
 * Issue 13, item 2: a caller without the secret must not make a worker read (and buffer) a request
 * body. The attacker here speaks raw HTTP/2, as a script would: it announces one 1000 MiB gRPC message
 * on RunTask and streams it in 1 MiB chunks from a single buffer (so this test process stays small),
 * two such calls at once. The worker's resident memory, read from /proc/<pid>/status while the bodies
 * flow, must stay within 100 MB of where it was, and each refusal is logged with the peer.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, secretFile, startMaster, startWorker, type Proc, type TestMaster } from './cluster-harness.js';
import { flood } from './raw-rpc.js';

const SECRET = 'flood-secret-3b91c7';
const MIB = 1024 * 1024;
const BODY_BYTES = 1000 * MIB;
const RUN_TASK = '/voxelflow.cluster.Executor/RunTask';

let master: TestMaster;
let worker: Proc;
let workerAddress: string;

beforeAll(async () => {
  master = await startMaster(secretFile(SECRET));
  worker = await startWorker(master, { name: 'wflood', cores: 1, env: { VOXELFLOW_SECRET: SECRET } });
  workerAddress = (await worker.waitFor(/serving on (\S+)/))[1] as string;
});
afterAll(() => killAll());

/** Resident set size of a process in bytes (Linux). */
function rss(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

describe('unauthenticated oversized RunTask bodies', () => {
  it('leave the worker within 100 MB of its memory and are refused and logged with the peer', async () => {
    const pid = worker.child.pid as number;
    const before = rss(pid);
    let peak = before;
    const poll = setInterval(() => (peak = Math.max(peak, rss(pid))), 50);
    const results = await Promise.all([flood(workerAddress, RUN_TASK, BODY_BYTES), flood(workerAddress, RUN_TASK, BODY_BYTES)]);
    clearInterval(poll);
    peak = Math.max(peak, rss(pid));
    console.log(`worker RSS ${(before / MIB).toFixed(0)} MiB before, peak ${(peak / MIB).toFixed(0)} MiB; body bytes sent before the answer: ${results.map((r) => r.sent).join(', ')}`);
    for (const r of results) expect(r.status).toBe('16'); // UNAUTHENTICATED
    expect(peak - before).toBeLessThan(100 * 1000 * 1000);
    const refusals = worker.out.match(/refused \/voxelflow\.cluster\.Executor\/RunTask from 127\.0\.0\.1:\d+: missing credentials/g) ?? [];
    expect(refusals.length).toBe(2);
    // The worker kept up its heartbeats: the master still has it.
    expect(worker.child.exitCode).toBeNull();
    expect(master.proc.out).not.toMatch(/worker wflood-\d+ removed/);
  });
});

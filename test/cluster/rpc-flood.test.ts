/**
 * Issue 13, item 2: a caller without the secret must not make a worker read (and buffer) a request
 * body. The attacker here speaks raw HTTP/2, as a script would: it announces one 1000 MiB gRPC message
 * on RunTask and streams it in 1 MiB chunks from a single buffer (so this test process stays small),
 * two such calls at once. The worker's resident memory, read from /proc/<pid>/status while the bodies
 * flow, must stay within 100 MB of where it was, and each refusal is logged with the peer.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, secretFile, startMaster, startWorker, type Proc, type TestMaster } from './cluster-harness.js';

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

interface FloodResult {
  /** Body bytes the server let us send before it answered. */
  readonly sent: number;
  /** grpc-status of the answer, null when the stream ended without one. */
  readonly status: string | null;
}

/**
 * One gRPC call announcing a `bytes`-long message, its body streamed until the server answers (or all
 * of it is sent). No credentials unless `headers` carries them.
 */
function flood(address: string, path: string, bytes: number, headers: Record<string, string> = {}): Promise<FloodResult> {
  const session = connect(`http://${address}`);
  const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...headers });
  const chunk = Buffer.alloc(MIB, 0x61);
  let sent = 0;
  let status: string | null = null;
  let answered = false;
  const answer = (h: Record<string, unknown>): void => {
    if (h['grpc-status'] !== undefined) {
      status = String(h['grpc-status']);
      answered = true;
    }
  };
  req.on('response', answer);
  req.on('trailers', answer);
  req.on('data', () => {});
  req.on('error', () => {});
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(bytes, 1);
  return new Promise((resolve) => {
    req.on('close', () => {
      session.close();
      resolve({ sent, status });
    });
    const pump = (): void => {
      if (sent === 0 && !req.write(prefix)) return void req.once('drain', pump);
      while (!answered && !req.closed && sent < bytes) {
        const n = Math.min(chunk.length, bytes - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      if (answered) req.close();
      else req.end();
    };
    pump();
  });
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
    // The worker is still registered and serving.
    expect(worker.child.exitCode).toBeNull();
  });
});

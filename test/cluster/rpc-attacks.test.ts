/**
 * Attacks on authenticated RPC (issue 13), tried on every method of the master and of a worker, against
 * real processes (one master, workers A and B):
 * - replay: a call the callee accepted, sent again as captured (same header, same body);
 * - target swap: the captured call sent to another process (worker A's call to worker B; a call made
 *   for a worker to the master, and one made for the master to a worker);
 * - body swap: a fresh, unused header sent with another body (RunTask: another function source);
 * - oversized body: announced without credentials (refused before it is read), and declared in
 *   authentic credentials over the method's limit (refused before it is read, RESOURCE_EXHAUSTED).
 * Every refusal is logged by the callee with the caller's address and the reason; no refused call has
 * an effect (worker A is still registered after the forged LeaveWorker).
 */
import { createHash, createHmac } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_HEADER, authMetadata, MASTER_IDENTITY } from '../../cluster/auth.js';
import { VERSION } from '../../cluster/package-info.js';
import { executorService, masterService, REQUEST_LIMITS } from '../../cluster/protocol.js';
import { killAll, secretFile, startMaster, startWorker, workerId, type Proc, type TestMaster } from './cluster-harness.js';
import { flood, rawCall, type CallEnd } from './raw-rpc.js';

const SECRET = 'attack-secret-0c4f2e';
const UNAUTHENTICATED = grpc.status.UNAUTHENTICATED;

let master: TestMaster;
let a: Proc;
let b: Proc;
let addressA: string;
let addressB: string;
let idA: string;
const clients = new Map<string, grpc.Client>();

beforeAll(async () => {
  master = await startMaster(secretFile(SECRET), 5);
  a = await startWorker(master, { name: 'wa', cores: 1, env: { VOXELFLOW_SECRET: SECRET } });
  b = await startWorker(master, { name: 'wb', cores: 1, env: { VOXELFLOW_SECRET: SECRET } });
  addressA = (await a.waitFor(/serving on (\S+)/))[1] as string;
  addressB = (await b.waitFor(/serving on (\S+)/))[1] as string;
  idA = await workerId(a);
});
afterAll(async () => {
  for (const c of clients.values()) c.close();
  await killAll();
  for (const p of [master.proc, a, b]) expect(p.out).not.toContain(SECRET);
});

function client(address: string): grpc.Client {
  let c = clients.get(address);
  if (c === undefined) clients.set(address, (c = new grpc.Client(address, grpc.credentials.createInsecure())));
  return c;
}

/** One method under attack: a request the callee accepts, and another body an attacker would rather send. */
interface Case {
  readonly service: 'master' | 'worker';
  readonly method: string;
  readonly request: () => object;
  readonly attack: () => object;
}

// RunTask and WatchCluster are accepted by the proof and then refused by the handler for their version:
// past authentication, but nothing runs and no driver is added.
const CASES: readonly Case[] = [
  { service: 'master', method: 'RegisterWorker', request: () => ({ name: 'spy', address: '127.0.0.1:1', cores: 1, memoryBytes: 1, version: VERSION }), attack: () => ({ name: 'evil', address: '10.6.6.6:1', cores: 4096, memoryBytes: 1, version: VERSION }) },
  { service: 'master', method: 'Heartbeat', request: () => ({ workerId: 'nobody', runningTasks: 0 }), attack: () => ({ workerId: idA, runningTasks: 999 }) },
  { service: 'master', method: 'LeaveWorker', request: () => ({ workerId: 'nobody', reason: 'test', draining: true }), attack: () => ({ workerId: idA, reason: 'forged', draining: false }) },
  { service: 'master', method: 'WatchCluster', request: () => ({ appName: 'spy', version: '0.0.0-spy', appId: '' }), attack: () => ({ appName: 'evil', version: VERSION, appId: 'evil' }) },
  { service: 'worker', method: 'RunTask', request: () => runTask('0.0.0-old', 'the driver\'s stage'), attack: () => runTask(VERSION, 'the attacker\'s function source') },
  { service: 'worker', method: 'FetchBlocks', request: () => ({ appId: 'app-1', blockIds: ['rdd_1_0'] }), attack: () => ({ appId: 'app-2', blockIds: ['rdd_2_0', 'shuffle_0_0_0'] }) },
  { service: 'worker', method: 'EndApp', request: () => ({ appId: 'app-1' }), attack: () => ({ appId: 'app-2' }) },
];

function runTask(version: string, work: string): object {
  return { appId: 'app-1', version, workId: 'stage-1', work: new TextEncoder().encode(work), modules: [], task: new Uint8Array([0x90]) };
}

interface Target {
  readonly path: string;
  readonly streaming: boolean;
  readonly serialize: (value: object) => Buffer;
  /** Where the case's calls go, the proof's name for it, the log that must show refusals. */
  readonly address: string;
  readonly identity: string;
  readonly log: Proc;
  /** Target swaps: proofs naming `madeFor` sent to another process serving the method. */
  readonly swaps: readonly { readonly madeFor: string; readonly address: string; readonly log: Proc; readonly identity: string }[];
}

function targetOf(c: Case): Target {
  const def = c.service === 'master' ? masterService : executorService;
  const m = def[c.method];
  if (m === undefined) throw new Error(`no method ${c.method}`);
  const common = { path: m.path, streaming: m.responseStream, serialize: (v: object) => m.requestSerialize(v) };
  if (c.service === 'master') {
    // There is one master: the swap is a proof made for a worker, sent to the master.
    return { ...common, address: master.address, identity: MASTER_IDENTITY, log: master.proc, swaps: [{ madeFor: addressA, address: master.address, log: master.proc, identity: MASTER_IDENTITY }] };
  }
  return {
    ...common,
    address: addressA,
    identity: addressA,
    log: a,
    swaps: [
      { madeFor: addressA, address: addressB, log: b, identity: addressB },
      { madeFor: MASTER_IDENTITY, address: addressA, log: a, identity: addressA },
    ],
  };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The call was refused as UNAUTHENTICATED for `reason`, and `log` says so with a peer address. */
async function expectRefused(end: CallEnd, log: Proc, path: string, reason: RegExp, code: number = UNAUTHENTICATED): Promise<void> {
  expect({ code: end.code, details: end.details }).toEqual({ code, details: expect.stringMatching(reason) });
  await log.waitFor(new RegExp(`refused ${escapeRegExp(path)} from 127\\.0\\.0\\.1:\\d+: ${reason.source}`), 5_000);
}

/** Authentic credentials for a body of `length` bytes with this digest: the wire format of auth.ts, written out. */
function forgedLengthProof(path: string, target: string, length: number): grpc.Metadata {
  const ts = String(Date.now());
  const nonce = 'ab'.repeat(12);
  const digest = createHash('sha256').update('never sent').digest('hex');
  const mac = createHmac('sha256', SECRET).update(`v2\n${ts}\n${nonce}\n${path}\n${target}\n${length}\n${digest}`).digest('hex');
  const md = new grpc.Metadata();
  md.set(AUTH_HEADER, `v2:${ts}:${nonce}:${length}:${digest}:${mac}:${target}`);
  return md;
}

describe('authenticated RPC under attack', () => {
  it('has a case for every method of the master and of the workers', () => {
    const covered = CASES.map((c) => `${c.service}/${c.method}`).sort();
    const all = [...Object.keys(masterService).map((m) => `master/${m}`), ...Object.keys(executorService).map((m) => `worker/${m}`)].sort();
    expect(covered).toEqual(all);
  });

  for (const c of CASES) {
    describe(`${c.service} ${c.method}`, () => {
      it('refuses a replay of a call it accepted, and logs it with the peer', async () => {
        const t = targetOf(c);
        const body = t.serialize(c.request());
        const captured = authMetadata(SECRET, { path: t.path, target: t.identity, body });
        const first = await rawCall(client(t.address), t.path, body, captured, t.streaming);
        expect(first.code).not.toBe(UNAUTHENTICATED);
        await expectRefused(await rawCall(client(t.address), t.path, body, captured, t.streaming), t.log, t.path, /replayed credentials/);
      });

      it('refuses a captured call sent to another process, and a proof naming another callee, and logs them with the peer', async () => {
        const t = targetOf(c);
        const body = t.serialize(c.request());
        const captured = authMetadata(SECRET, { path: t.path, target: t.identity, body });
        expect((await rawCall(client(t.address), t.path, body, captured, t.streaming)).code).not.toBe(UNAUTHENTICATED);
        for (const swap of t.swaps) {
          const proof = swap.madeFor === t.identity ? captured : authMetadata(SECRET, { path: t.path, target: swap.madeFor, body });
          const end = await rawCall(client(swap.address), t.path, body, proof, t.streaming);
          const who = swap.identity === MASTER_IDENTITY ? 'master' : `worker \\(${escapeRegExp(swap.identity)}\\)`;
          await expectRefused(end, swap.log, t.path, new RegExp(`credentials made for ${escapeRegExp(swap.madeFor)}, not for this ${who}`));
        }
      });

      it('refuses an unused header with another body, and the body has no effect', async () => {
        const t = targetOf(c);
        const metadata = authMetadata(SECRET, { path: t.path, target: t.identity, body: t.serialize(c.request()) });
        const end = await rawCall(client(t.address), t.path, t.serialize(c.attack()), metadata, t.streaming);
        await expectRefused(end, t.log, t.path, /request body .*an altered body/);
      });

      it('refuses an oversized body before reading it: without credentials, and declared in authentic ones', async () => {
        const t = targetOf(c);
        const limit = REQUEST_LIMITS[t.path] as number;
        const anonymous = await flood(t.address, t.path, limit + 1);
        expect(anonymous.status).toBe(String(UNAUTHENTICATED));
        expect(anonymous.sent).toBeLessThanOrEqual(Math.min(limit + 1, 1024 * 1024));
        await t.log.waitFor(new RegExp(`refused ${escapeRegExp(t.path)} from 127\\.0\\.0\\.1:\\d+: missing credentials`), 5_000);
        const headers = { [AUTH_HEADER]: String(forgedLengthProof(t.path, t.identity, limit + 1).get(AUTH_HEADER)[0]) };
        const declared = await flood(t.address, t.path, limit + 1, headers);
        expect(declared.status).toBe(String(grpc.status.RESOURCE_EXHAUSTED));
        await t.log.waitFor(new RegExp(`refused ${escapeRegExp(t.path)} from 127\\.0\\.0\\.1:\\d+: request of ${limit + 1} bytes exceeds the ${limit}-byte limit`), 5_000);
      });
    });
  }

  it('acted on none of the refused calls: worker A is still registered', () => {
    expect(master.proc.out).not.toMatch(new RegExp(`worker ${escapeRegExp(idA)} (is draining|removed)`));
    expect(master.proc.out).not.toMatch(/worker evil-\d+ registered/);
    expect(master.proc.out).not.toMatch(/driver 'evil' connected/);
  });
});

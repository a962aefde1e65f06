/** The HMAC proof and the secret sources, in process. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata } from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { AUTH_HEADER, AuthGuard, authMetadata, MASTER_IDENTITY, readSecretFile, resolveSecret, type Admission } from '../../cluster/auth.js';
import { parseMasterAddress } from '../../cluster/master-address.js';

const dir = mkdtempSync(join(tmpdir(), 'voxelflow-auth-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PATH = '/voxelflow.cluster.Executor/RunTask';
const A = '127.0.0.1:7101';
const B = '127.0.0.1:7102';
const BODY = new TextEncoder().encode('the driver\'s task');
const LIMIT = 1024;

/** A guard for the worker advertised at `self`. */
const guardOf = (self: string, secret = 's3'): AuthGuard => new AuthGuard(secret, () => self);
const proof = (secret: string, target: string, body: Uint8Array = BODY, path = PATH): Metadata => authMetadata(secret, { path, target, body });
const reason = (a: Admission): string | null => (a.state === 'refused' ? a.reason : null);

describe('AuthGuard', () => {
  it('admits a proof made with the same secret for the same method, callee and body', () => {
    const guard = guardOf(A);
    const a = guard.admit(proof('s3', A), PATH, LIMIT);
    expect(a).toEqual({ state: 'admitted', length: BODY.length, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(guard.checkBody(a as Admission & { state: 'admitted' }, BODY)).toBeNull();
  });

  it('never puts the secret in the metadata', () => {
    const value = String(proof('a-very-secret-value', A).get(AUTH_HEADER)[0]);
    expect(value).not.toContain('a-very-secret-value');
    expect(value).toMatch(/^v2:\d+:[0-9a-f]{24}:\d+:[0-9a-f]{64}:[0-9a-f]{64}:127\.0\.0\.1:7101$/);
  });

  it('refuses a wrong secret and a proof made for another method', () => {
    expect(reason(guardOf(A).admit(proof('s4', A), PATH, LIMIT))).toMatch(/wrong secret/);
    expect(reason(guardOf(A).admit(proof('s3', A, BODY, '/voxelflow.cluster.Executor/EndApp'), PATH, LIMIT))).toMatch(/wrong secret/);
  });

  it('refuses a proof made for another callee, naming both', () => {
    expect(reason(guardOf(B).admit(proof('s3', A), PATH, LIMIT))).toBe('credentials made for 127.0.0.1:7101, not for this worker (127.0.0.1:7102): a captured call sent elsewhere');
    expect(reason(new AuthGuard('s3', () => MASTER_IDENTITY).admit(proof('s3', A), PATH, LIMIT))).toMatch(/made for 127\.0\.0\.1:7101, not for this master/);
    expect(reason(guardOf('').admit(proof('s3', A), PATH, LIMIT))).toMatch(/not yet serving/);
  });

  it('refuses a body other than the one the proof was made for', () => {
    const guard = guardOf(A);
    const a = guard.admit(proof('s3', A), PATH, LIMIT) as Admission & { state: 'admitted' };
    const swapped = new TextEncoder().encode('the attacker\'s fn');
    expect(swapped.length).toBe(BODY.length);
    expect(guard.checkBody(a, swapped)).toMatch(/does not match its credentials/);
    expect(guard.checkBody(a, BODY.subarray(1))).toMatch(/body of 16 bytes, but the credentials were made for 17/);
  });

  it('refuses a replay, even of a proof whose body was refused', () => {
    const guard = guardOf(A);
    const md = proof('s3', A);
    expect(guard.admit(md, PATH, LIMIT).state).toBe('admitted');
    expect(reason(guard.admit(md, PATH, LIMIT))).toBe('replayed credentials');
  });

  it('refuses a declared length over the limit as too large, before any body', () => {
    const a = guardOf(A).admit(proof('s3', A, new Uint8Array(LIMIT + 1)), PATH, LIMIT);
    expect(a).toEqual({ state: 'refused', reason: `request of ${LIMIT + 1} bytes exceeds the ${LIMIT}-byte limit of ${PATH}`, tooLarge: true });
  });

  it('refuses a missing, malformed, edited or stale header', () => {
    const guard = guardOf(A);
    expect(reason(guard.admit(new Metadata(), PATH, LIMIT))).toMatch(/missing credentials/);
    const junk = new Metadata();
    junk.set(AUTH_HEADER, 'v1:1:2:3');
    expect(reason(guard.admit(junk, PATH, LIMIT))).toMatch(/malformed/);
    // The declared length is covered by the HMAC: lowering it (to slip under a limit) breaks the proof.
    const edited = new Metadata();
    edited.set(AUTH_HEADER, String(proof('s3', A).get(AUTH_HEADER)[0]).replace(/^(v2:\d+:[0-9a-f]+:)17:/, '$11:'));
    expect(reason(guard.admit(edited, PATH, LIMIT))).toMatch(/wrong secret/);
    const real = Date.now;
    Date.now = () => real() - 10 * 60 * 1000;
    const old = proof('s3', A);
    Date.now = real;
    expect(reason(guard.admit(old, PATH, LIMIT))).toMatch(/5-minute window/);
  });
});

describe('secrets', () => {
  it('strips the trailing newline of a secret file, and only that', () => {
    const f = join(dir, 's1');
    writeFileSync(f, ' pass word \n');
    expect(readSecretFile(f)).toBe(' pass word ');
    writeFileSync(f, 'crlf\r\n');
    expect(readSecretFile(f)).toBe('crlf');
  });

  it('refuses an empty or unreadable secret file with a one-line error naming the flag', () => {
    const f = join(dir, 'empty');
    writeFileSync(f, '\n');
    expect(() => readSecretFile(f)).toThrow(/--secret-file: '.*empty' is empty/);
    expect(() => readSecretFile(join(dir, 'absent'))).toThrow(/--secret-file: cannot read '.*absent' \(ENOENT\)/);
  });

  it('prefers an explicit secret, then the file, then VOXELFLOW_SECRET', () => {
    const f = join(dir, 's2');
    writeFileSync(f, 'from-file\n');
    const saved = process.env['VOXELFLOW_SECRET'];
    process.env['VOXELFLOW_SECRET'] = 'from-env';
    try {
      expect(resolveSecret({ secret: 'explicit', secretFile: f }, 'hint')).toBe('explicit');
      expect(resolveSecret({ secretFile: f }, 'hint')).toBe('from-file');
      expect(resolveSecret({}, 'hint')).toBe('from-env');
      delete process.env['VOXELFLOW_SECRET'];
      expect(() => resolveSecret({}, 'set it')).toThrow('no cluster secret: set it');
    } finally {
      if (saved === undefined) delete process.env['VOXELFLOW_SECRET'];
      else process.env['VOXELFLOW_SECRET'] = saved;
    }
  });
});

describe('parseMasterAddress', () => {
  it('accepts voxelflow://HOST:PORT and HOST:PORT, IPv6 in brackets', () => {
    expect(parseMasterAddress('voxelflow://10.0.0.5:7077', 'master')).toBe('10.0.0.5:7077');
    expect(parseMasterAddress('node12:7077', 'master')).toBe('node12:7077');
    expect(parseMasterAddress('voxelflow://[::1]:7077/', 'master')).toBe('[::1]:7077');
  });

  it('names the option and the expected form on anything else', () => {
    for (const bad of ['node12', 'voxelflow://node12', 'http://a:1', 'a:0', 'a:70000', 'a b:1']) {
      expect(() => parseMasterAddress(bad, '--master')).toThrow(`--master: expected voxelflow://HOST:PORT or HOST:PORT, got '${bad}'`);
    }
  });
});

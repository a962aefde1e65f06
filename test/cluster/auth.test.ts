/** The HMAC proof and the secret sources, in process. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata } from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { AUTH_HEADER, AuthGuard, authMetadata, readSecretFile, resolveSecret } from '../../cluster/auth.js';
import { parseMasterAddress } from '../../cluster/master-address.js';

const dir = mkdtempSync(join(tmpdir(), 'voxelflow-auth-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PATH = '/voxelflow.cluster.Master/Heartbeat';

describe('AuthGuard', () => {
  it('accepts a proof made with the same secret for the same method', () => {
    expect(new AuthGuard('s3').check(authMetadata('s3', PATH), PATH)).toBeNull();
  });

  it('never puts the secret in the metadata', () => {
    const value = String(authMetadata('a-very-secret-value', PATH).get(AUTH_HEADER)[0]);
    expect(value).not.toContain('a-very-secret-value');
    expect(value).toMatch(/^v1:\d+:[0-9a-f]{24}:[0-9a-f]{64}$/);
  });

  it('refuses a wrong secret, another method, a replay, a missing or malformed header, and a stale timestamp', () => {
    const guard = new AuthGuard('s3');
    expect(guard.check(authMetadata('s4', PATH), PATH)).toMatch(/wrong secret/);
    expect(guard.check(authMetadata('s3', '/voxelflow.cluster.Master/LeaveWorker'), PATH)).toMatch(/wrong secret/);
    const md = authMetadata('s3', PATH);
    expect(guard.check(md, PATH)).toBeNull();
    expect(guard.check(md, PATH)).toMatch(/replayed/);
    expect(guard.check(new Metadata(), PATH)).toMatch(/missing credentials/);
    const junk = new Metadata();
    junk.set(AUTH_HEADER, 'v2:1:2');
    expect(guard.check(junk, PATH)).toMatch(/malformed/);
    const real = Date.now;
    Date.now = () => real() - 10 * 60 * 1000;
    const old = authMetadata('s3', PATH);
    Date.now = real;
    expect(guard.check(old, PATH)).toMatch(/5-minute window/);
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

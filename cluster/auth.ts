/**
 * Shared-secret authentication of every RPC. The secret itself never travels: each call carries
 * `voxelflow-auth: v1:<ms>:<nonce>:<hmac>` where hmac = HMAC-SHA256(secret, "<ms>:<nonce>:<method path>").
 * The receiver recomputes it, compares in constant time, accepts a clock skew of five minutes and
 * refuses a nonce it has already seen within that window (a captured header cannot be replayed,
 * nor reused for another method).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Metadata } from '@grpc/grpc-js';
import { ConfigError } from '../core/index.js';

export const AUTH_HEADER = 'voxelflow-auth';
const SKEW_MS = 5 * 60 * 1000;
const MAX_NONCES = 200_000;

/** Reads a secret file; a trailing newline (as `echo` writes) is not part of the secret. */
export function readSecretFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('secretFile', `--secret-file: cannot read '${path}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); pass a readable file holding the cluster secret`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret.length === 0) throw new ConfigError('secretFile', `--secret-file: '${path}' is empty; write the cluster secret into it`);
  return secret;
}

/** The secret from, in order: an explicit value, a secret file, the VOXELFLOW_SECRET environment variable. */
export function resolveSecret(source: { readonly secret?: string | undefined; readonly secretFile?: string | undefined }, hint: string): string {
  if (source.secret !== undefined && source.secret.length > 0) return source.secret;
  if (source.secretFile !== undefined) return readSecretFile(source.secretFile);
  const env = process.env['VOXELFLOW_SECRET'];
  if (env !== undefined && env.length > 0) return env;
  throw new ConfigError('secret', `no cluster secret: ${hint} (every RPC is authenticated with it)`);
}

function mac(secret: string, ts: string, nonce: string, path: string): string {
  return createHmac('sha256', secret).update(`${ts}:${nonce}:${path}`).digest('hex');
}

/** Metadata proving knowledge of `secret` for one call of `path` (e.g. /voxelflow.cluster.Master/Heartbeat). */
export function authMetadata(secret: string, path: string): Metadata {
  const ts = String(Date.now());
  const nonce = randomBytes(12).toString('hex');
  const md = new Metadata();
  md.set(AUTH_HEADER, `v1:${ts}:${nonce}:${mac(secret, ts, nonce, path)}`);
  return md;
}

/** Checks the proof on incoming calls of one server. */
export class AuthGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly secret: string) {}

  /** Null when the call is authentic, else why not (safe to log and to send: it never contains the secret). */
  check(metadata: Metadata, path: string): string | null {
    const values = metadata.get(AUTH_HEADER);
    if (values.length === 0) return 'missing credentials: the caller sent no proof of the cluster secret (give it the secret with --secret-file or VOXELFLOW_SECRET)';
    const parts = String(values[0]).split(':');
    if (parts.length !== 4 || parts[0] !== 'v1') return 'malformed credentials';
    const [, ts, nonce, got] = parts as [string, string, string, string];
    const expected = mac(this.secret, ts, nonce, path);
    if (got.length !== expected.length || !timingSafeEqual(Buffer.from(got), Buffer.from(expected))) {
      return 'wrong secret: the caller was started with a different cluster secret';
    }
    const now = Date.now();
    if (!(Math.abs(now - Number(ts)) <= SKEW_MS)) return 'credentials outside the 5-minute window (are the clocks of these machines set?)';
    if (this.seen.has(nonce)) return 'replayed credentials';
    this.remember(nonce, now);
    return null;
  }

  private remember(nonce: string, now: number): void {
    if (this.seen.size >= MAX_NONCES) {
      for (const [n, t] of this.seen) {
        if (now - t <= SKEW_MS && this.seen.size < MAX_NONCES) break;
        this.seen.delete(n);
      }
    }
    this.seen.set(nonce, now);
  }
}

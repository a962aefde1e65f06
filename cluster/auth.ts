/**
 * Shared-secret authentication of every RPC request. The secret itself never travels: each call carries
 *
 *   voxelflow-auth: v2:<ms>:<nonce>:<length>:<sha256>:<hmac>:<target>
 *
 * where `length` and `sha256` describe the serialized request message, `target` names the callee, and
 * hmac = HMAC-SHA256(secret, "v2\n<ms>\n<nonce>\n<method path>\n<target>\n<length>\n<sha256>").
 *
 * What the proof binds, and why (issue 13):
 * - **The method**, so a header made for Heartbeat is worthless on RunTask.
 * - **The callee**: "master" for the master (there is one per cluster; it cannot know the name it is
 *   dialed at behind NAT or DNS aliases), and for a worker its *advertised* address (`host:port`, the
 *   string it registered with and that drivers and peers dial). That string is configuration both sides
 *   hold, not a socket address, so it survives NAT and hostnames; unlike the master-assigned worker id
 *   it is fixed before registration and does not change when a worker registers again. A captured call
 *   to worker A is refused by worker B.
 * - **The body**: SHA-256 of the exact bytes of the serialized request. Servers decode those verified
 *   bytes themselves (their grpc deserializer is the identity), so nothing is re-serialized and no
 *   canonical form is needed. A captured header cannot carry another body (another function source).
 *   Every request is one message (no method streams requests; the server refuses to serve one that
 *   does, since it would need a per-message digest chain).
 * - **The time and a nonce**: accepted within five minutes of the callee's clock, and each nonce once
 *   per callee (the callee only accepts proofs naming itself, so its memory is the per-target window).
 *
 * The header alone is verified before any byte of the body is read (see secure-server.ts): a caller
 * without the secret cannot make a process buffer anything, and a declared length over the method's
 * limit is refused up front. Replies are not authenticated: use TLS between machines.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Metadata } from '@grpc/grpc-js';

/** The metadata entry that carries the proof. */
export const AUTH_HEADER = 'voxelflow-auth';
/** The master's identity in proofs (see the module comment). */
export const MASTER_IDENTITY = 'master';
const SKEW_MS = 5 * 60 * 1000;
/** Nonces remembered at once; past this (all still inside the window) new calls are refused, never old nonces forgotten. */
const MAX_NONCES = 200_000;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const NONCE_HEX = /^[0-9a-f]{24}$/;

export { readSecretFile, resolveSecret } from './secret.js';

/** One call: its method path, the callee's identity and the serialized request message. */
export interface CallTarget {
  readonly path: string;
  readonly target: string;
  readonly body: Uint8Array;
}

function sha256(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

function mac(secret: string, ts: string, nonce: string, path: string, target: string, length: string, digest: string): string {
  return createHmac('sha256', secret).update(`v2\n${ts}\n${nonce}\n${path}\n${target}\n${length}\n${digest}`).digest('hex');
}

/** Metadata proving knowledge of `secret` for exactly this call (method, callee and body). */
export function authMetadata(secret: string, call: CallTarget): Metadata {
  const ts = String(Date.now());
  const nonce = randomBytes(12).toString('hex');
  const length = String(call.body.byteLength);
  const digest = sha256(call.body);
  const md = new Metadata();
  md.set(AUTH_HEADER, `v2:${ts}:${nonce}:${length}:${digest}:${mac(secret, ts, nonce, call.path, call.target, length, digest)}:${call.target}`);
  return md;
}

/** The verdict on a call's header: admitted (the body still has to match) or refused, and why. */
export type Admission =
  | { readonly state: 'admitted'; readonly length: number; readonly digest: string }
  | { readonly state: 'refused'; readonly reason: string; readonly tooLarge: boolean };

const refused = (reason: string, tooLarge = false): Admission => ({ state: 'refused', reason, tooLarge });

/** Checks the proof on incoming calls of one server. Reasons are safe to log and to send: they never contain the secret. */
export class AuthGuard {
  /** nonce -> the time after which its header is outside the window anyway. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly secret: string,
    /** This server's identity in proofs: MASTER_IDENTITY, or a worker's advertised address ('' until known: refuse all). */
    private readonly self: () => string,
  ) {}

  /** Checks the header of a call of `path` whose request may be at most `limit` bytes; remembers its nonce when admitted. */
  admit(metadata: Metadata, path: string, limit: number): Admission {
    const values = metadata.get(AUTH_HEADER);
    if (values.length === 0) return refused('missing credentials: the caller sent no proof of the cluster secret (give it the secret with --secret-file or VOXELFLOW_SECRET)');
    const parts = String(values[0]).split(':');
    if (parts.length < 7 || parts[0] !== 'v2') return refused('malformed credentials (a voxelflow of another version?)');
    const [, ts, nonce, length, digest, got] = parts as [string, string, string, string, string, string];
    const target = parts.slice(6).join(':');
    if (!NONCE_HEX.test(nonce) || !/^\d{1,12}$/.test(length) || !SHA256_HEX.test(digest)) return refused('malformed credentials');
    const expected = mac(this.secret, ts, nonce, path, target, length, digest);
    if (got.length !== expected.length || !timingSafeEqual(Buffer.from(got), Buffer.from(expected))) {
      return refused('wrong secret: the caller was started with a different cluster secret, or the proof was made for another method');
    }
    // Authentic from here on: the target string was written by a holder of the secret.
    const self = this.self();
    if (target !== self) return refused(`credentials made for ${target}, not for this ${self === MASTER_IDENTITY ? 'master' : `worker (${self || 'not yet serving'})`}: a captured call sent elsewhere`);
    const now = Date.now();
    const at = Number(ts);
    if (!(Math.abs(now - at) <= SKEW_MS)) return refused('credentials outside the 5-minute window (are the clocks of these machines set?)');
    if (Number(length) > limit) return refused(`request of ${length} bytes exceeds the ${limit}-byte limit of ${path}`, true);
    if (this.seen.has(nonce)) return refused('replayed credentials');
    if (!this.remember(nonce, at + SKEW_MS, now)) return refused(`more than ${MAX_NONCES} calls within 5 minutes; try again shortly`);
    return { state: 'admitted', length: Number(length), digest };
  }

  /** Null when the received request is the one the admitted header was made for, else why not. */
  checkBody(admission: Admission & { state: 'admitted' }, body: Uint8Array): string | null {
    if (body.byteLength !== admission.length) return `request body of ${body.byteLength} bytes, but the credentials were made for ${admission.length}: an altered body`;
    if (sha256(body) !== admission.digest) return 'request body does not match its credentials: an altered body';
    return null;
  }

  private remember(nonce: string, expires: number, now: number): boolean {
    if (this.seen.size >= MAX_NONCES) {
      for (const [n, t] of this.seen) if (t < now) this.seen.delete(n);
      if (this.seen.size >= MAX_NONCES) return false;
    }
    this.seen.set(nonce, expires);
    return true;
  }
}

/**
 * gRPC plumbing shared by master, workers and drivers: promise-based client calls that attach the HMAC
 * proof of the secret for their callee and body (auth.ts), and channel/server credentials (plain or
 * TLS). The server side, which checks those proofs, is secure-server.ts.
 */
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { ConfigError, VoxelflowError } from '../core/index.js';
import { authMetadata, MASTER_IDENTITY } from './auth.js';
import { masterService } from './protocol.js';

declare module '../core/errors.js' {
  interface VoxelflowErrorTags {
    /** `isVoxelflowError(err, 'RpcError')` narrows to RpcError. */
    RpcError: RpcError;
  }
}

/** An error with a gRPC status, raised by handlers for the caller's mistakes. */
export class RpcError extends VoxelflowError {
  override readonly _tag = 'RpcError';
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

/** Optional TLS: certificate and key of this process's server, CA that signed the peers' certificates. */
export interface TlsFiles {
  /** Path of this process's PEM certificate (`--tls-cert`); with `key`, its server speaks TLS. */
  readonly cert?: string | undefined;
  /** Path of the PEM private key of `cert` (`--tls-key`). */
  readonly key?: string | undefined;
  /** Path of the PEM CA certificate that signed the peers' certificates (`--tls-ca`); default the system CAs. */
  readonly ca?: string | undefined;
}

/** The callee each client's proofs name (see auth.ts): the master, or the worker's advertised address it dials. */
const callees = new WeakMap<grpc.Client, string>();

/** A client class for a service definition. */
export function clientFor(def: grpc.ServiceDefinition, name: string, address: string, credentials: grpc.ChannelCredentials, maxMessage: number): grpc.Client {
  const Ctor = grpc.makeGenericClientConstructor(def as grpc.ServiceDefinition<grpc.UntypedServiceImplementation>, name);
  const client = new Ctor(address, credentials, {
    'grpc.max_receive_message_length': maxMessage,
    'grpc.max_send_message_length': maxMessage,
    'grpc.keepalive_time_ms': 10_000,
    'grpc.keepalive_timeout_ms': 5_000,
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 2_000,
  });
  callees.set(client, def === masterService ? MASTER_IDENTITY : address);
  return client;
}

/** Options of one client call. */
export interface CallOptions {
  readonly secret: string;
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
  /** The callee named in the proof; default the client's (tests use this to forge misdirected calls). */
  readonly target?: string;
  /** Wait for the callee to come up instead of failing at once when it refuses connections (bound it with a deadline or a timer). */
  readonly waitForReady?: boolean;
}

/** The serialized request and the proof made for it: the bytes go on the wire as they were hashed. */
function prepare(client: grpc.Client, m: grpc.MethodDefinition<object, unknown>, request: object, options: CallOptions): { body: Buffer; metadata: grpc.Metadata } {
  const body = m.requestSerialize(request);
  const target = options.target ?? callees.get(client) ?? '';
  return { body, metadata: authMetadata(options.secret, { path: m.path, target, body }) };
}

const asIs = (bytes: Buffer): Buffer => bytes;

/** A unary call as a promise; rejects with the grpc ServiceError (its `code` says why). */
export function unary<Res>(client: grpc.Client, def: grpc.ServiceDefinition, method: string, request: object, options: CallOptions): Promise<Res> {
  const m = def[method];
  if (m === undefined) throw new Error(`unknown method ${method}`);
  let prepared: ReturnType<typeof prepare>;
  try {
    prepared = prepare(client, m, request, options);
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  const { body, metadata } = prepared;
  return new Promise((resolve, reject) => {
    const callOptions: grpc.CallOptions = options.deadlineMs === undefined ? {} : { deadline: Date.now() + options.deadlineMs };
    const call = client.makeUnaryRequest(
      m.path,
      asIs,
      m.responseDeserialize,
      body,
      metadata,
      callOptions,
      (err, reply) => (err ? reject(err) : resolve(reply as Res)),
    );
    options.signal?.addEventListener('abort', () => call.cancel(), { once: true });
  });
}

/** A server-streaming call. */
export function serverStream(client: grpc.Client, def: grpc.ServiceDefinition, method: string, request: object, options: CallOptions): grpc.ClientReadableStream<unknown> {
  const m = def[method];
  if (m === undefined) throw new Error(`unknown method ${method}`);
  const callOptions: grpc.CallOptions = options.deadlineMs === undefined ? {} : { deadline: Date.now() + options.deadlineMs };
  const { body, metadata } = prepare(client, m, request, options);
  if (options.waitForReady === true) metadata.setOptions({ waitForReady: true });
  return client.makeServerStreamRequest(m.path, asIs, m.responseDeserialize, body, metadata, callOptions);
}

/** The gRPC status name and message of a failed call, in one line. */
export function describeRpcError(err: unknown): string {
  const e = err as Partial<grpc.ServiceError>;
  if (typeof e.code === 'number') return `${grpc.status[e.code] ?? e.code}: ${(e.details ?? e.message ?? '').replace(/^voxelflow: /, '')}`;
  return err instanceof Error ? err.message : String(err);
}

/** Does a failed call mean the peer is unreachable (down, or its connection dropped)? */
export function isUnreachable(err: unknown): boolean {
  return (err as Partial<grpc.ServiceError>).code === grpc.status.UNAVAILABLE;
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(flag, `${flag}: cannot read '${path}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); pass a readable PEM file`);
  }
}

/** Channel credentials for calls to peers: TLS when a CA is given (or a cert, trusting the system CAs), else plain. */
export function channelCredentials(tls: TlsFiles | undefined): grpc.ChannelCredentials {
  if (tls === undefined || (tls.ca === undefined && tls.cert === undefined)) return grpc.credentials.createInsecure();
  const ca = tls.ca === undefined ? null : readPem(tls.ca, '--tls-ca');
  const key = tls.key === undefined ? null : readPem(tls.key, '--tls-key');
  const cert = tls.cert === undefined ? null : readPem(tls.cert, '--tls-cert');
  return grpc.credentials.createSsl(ca, key, cert);
}

/** Server credentials: TLS when a certificate and key are given. */
export function serverCredentials(tls: TlsFiles | undefined): grpc.ServerCredentials {
  if (tls === undefined || (tls.cert === undefined && tls.key === undefined)) return grpc.ServerCredentials.createInsecure();
  if (tls.cert === undefined || tls.key === undefined) throw new ConfigError('tls', '--tls-cert and --tls-key go together; pass both to serve TLS');
  const ca = tls.ca === undefined ? null : readPem(tls.ca, '--tls-ca');
  return grpc.ServerCredentials.createSsl(ca, [{ private_key: readPem(tls.key, '--tls-key'), cert_chain: readPem(tls.cert, '--tls-cert') }], false);
}

/** Binds a server; resolves with the port (useful with port 0). */
export function bind(server: grpc.Server, host: string, port: number, credentials: grpc.ServerCredentials): Promise<number> {
  const target = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(target, credentials, (err, bound) => {
      if (err === null) return resolve(bound);
      // grpc-js wraps the socket error: "No address added ... errors: [listen EADDRINUSE: ...]".
      const reason = /\[([^\]]+)\]/.exec(err.message)?.[1] ?? err.message.split('\n')[0];
      reject(new Error(`cannot listen on ${target} (${reason}); pick another --host/--port`));
    });
  });
}

// grpc-js prints its own copy of errors this package reports in one line; GRPC_VERBOSITY still turns it on.
if (process.env['GRPC_VERBOSITY'] === undefined) grpc.setLogVerbosity(grpc.logVerbosity.NONE);

/**
 * gRPC plumbing shared by master, workers and drivers: authenticated server handlers that never
 * let an exception escape (a bad call gets an error status; the server keeps serving), promise-based
 * client calls that attach the HMAC proof, and channel/server credentials (plain or TLS).
 */
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { ConfigError } from '../core/index.js';
import { authMetadata, type AuthGuard } from './auth.js';

/** An error with a gRPC status, raised by handlers for the caller's mistakes. */
export class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

/** Optional TLS: certificate and key of this process's server, CA that signed the peers' certificates. */
export interface TlsFiles {
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly ca?: string | undefined;
}

type UnaryHandler = (request: never, call: grpc.ServerUnaryCall<unknown, unknown>) => Promise<unknown>;
type StreamHandler = (request: never, call: grpc.ServerWritableStream<unknown, unknown>) => Promise<void>;

/** Wraps handlers by method name with the auth check and error mapping. */
export function secureImplementation(
  def: grpc.ServiceDefinition,
  handlers: Record<string, UnaryHandler | StreamHandler>,
  guard: AuthGuard,
  log: (line: string) => void,
): grpc.UntypedServiceImplementation {
  const impl: grpc.UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(def)) {
    const handler = handlers[name];
    if (handler === undefined) throw new Error(`no handler for ${method.path}`);
    const refuse = (call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>): grpc.ServiceError | null => {
      const denial = guard.check(call.metadata, method.path);
      if (denial === null) return null;
      log(`refused ${method.path} from ${call.getPeer()}: ${denial}`);
      return statusError(grpc.status.UNAUTHENTICATED, `voxelflow: authentication failed: ${denial}`);
    };
    if (method.responseStream) {
      impl[name] = ((call: grpc.ServerWritableStream<unknown, unknown>) => {
        const denied = refuse(call);
        if (denied !== null) return void call.emit('error', denied);
        // Through an async wrapper: a handler that throws before its first await still gets an error status.
        (async () => (handler as StreamHandler)(call.request as never, call))().then(
          () => call.end(),
          (err: unknown) => call.emit('error', toStatus(err, method.path, log)),
        );
      }) as grpc.handleServerStreamingCall<unknown, unknown>;
    } else {
      impl[name] = ((call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const denied = refuse(call);
        if (denied !== null) return callback(denied);
        (async () => (handler as UnaryHandler)(call.request as never, call))().then(
          (reply) => callback(null, reply),
          (err: unknown) => callback(toStatus(err, method.path, log)),
        );
      }) as grpc.handleUnaryCall<unknown, unknown>;
    }
  }
  return impl;
}

function statusError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

function toStatus(err: unknown, path: string, log: (line: string) => void): grpc.ServiceError {
  if (err instanceof RpcError) return statusError(err.code, err.message);
  const message = err instanceof Error ? err.message : String(err);
  log(`internal error in ${path}: ${message.split('\n')[0]}`);
  return statusError(grpc.status.INTERNAL, `voxelflow: ${message}`);
}

/** A client class for a service definition. */
export function clientFor(def: grpc.ServiceDefinition, name: string, address: string, credentials: grpc.ChannelCredentials, maxMessage: number): grpc.Client {
  const Ctor = grpc.makeGenericClientConstructor(def as grpc.ServiceDefinition<grpc.UntypedServiceImplementation>, name);
  return new Ctor(address, credentials, {
    'grpc.max_receive_message_length': maxMessage,
    'grpc.max_send_message_length': maxMessage,
    'grpc.keepalive_time_ms': 10_000,
    'grpc.keepalive_timeout_ms': 5_000,
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 2_000,
  });
}

/** Options of one client call. */
export interface CallOptions {
  readonly secret: string;
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}

/** A unary call as a promise; rejects with the grpc ServiceError (its `code` says why). */
export function unary<Res>(client: grpc.Client, def: grpc.ServiceDefinition, method: string, request: object, options: CallOptions): Promise<Res> {
  const m = def[method];
  if (m === undefined) throw new Error(`unknown method ${method}`);
  return new Promise((resolve, reject) => {
    const callOptions: grpc.CallOptions = options.deadlineMs === undefined ? {} : { deadline: Date.now() + options.deadlineMs };
    const call = client.makeUnaryRequest(
      m.path,
      m.requestSerialize,
      m.responseDeserialize,
      request,
      authMetadata(options.secret, m.path),
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
  return client.makeServerStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, request, authMetadata(options.secret, m.path), callOptions);
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

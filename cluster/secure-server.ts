/**
 * The server side of authenticated RPC, used by the master and the workers. Order matters (issue 13):
 *
 * 1. When a call's headers arrive, a server interceptor checks the proof (auth.ts) and the declared
 *    request length against the method's limit, before the body is read: grpc-js does not read a
 *    request stream until the handler asks for the first message, so a refused call never has its body
 *    buffered. A refusal answers at once (UNAUTHENTICATED, or RESOURCE_EXHAUSTED for a declared length
 *    over the limit) and is logged with the peer address.
 * 2. The service is registered with an identity deserializer, so the interceptor receives the exact
 *    request bytes; it checks their length and SHA-256 against the proof, then decodes them with the
 *    protocol's deserializer. The handler only ever sees a request whose bytes the proof covers.
 * 3. Handlers never let an exception escape: a bad call gets an error status, the server keeps serving.
 *
 * grpc's own receive limit is set to the largest per-method limit of the service, so even a caller
 * holding the secret cannot make the server buffer more than that in one message.
 */
import * as grpc from '@grpc/grpc-js';
import type { AuthGuard } from './auth.js';
import { RpcError } from './rpc.js';

type UnaryHandler = (request: never, call: grpc.ServerUnaryCall<unknown, unknown>) => Promise<unknown>;
type StreamHandler = (request: never, call: grpc.ServerWritableStream<unknown, unknown>) => Promise<void>;

/** What a secure server needs: its one service, a handler per method, the guard and the per-method request limits. */
export interface SecureService {
  readonly def: grpc.ServiceDefinition;
  readonly handlers: Record<string, UnaryHandler | StreamHandler>;
  readonly guard: AuthGuard;
  /** Largest serialized request per method path; a method without one is refused. */
  readonly limits: Readonly<Record<string, number>>;
  readonly log: (line: string) => void;
}

/** A grpc server serving `service` with every call authenticated before its body is read. */
export function secureServer(service: SecureService, options: grpc.ServerOptions = {}): grpc.Server {
  const methods = Object.values(service.def);
  const largest = Math.max(...methods.map((m) => service.limits[m.path] ?? 0));
  const server = new grpc.Server({ ...options, 'grpc.max_receive_message_length': largest, interceptors: [authInterceptor(service)] });
  const raw: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, m] of Object.entries(service.def)) {
    if (m.requestStream) throw new Error(`${m.path} streams requests: the proof covers one request message; add a per-message digest chain before serving it`);
    raw[name] = { ...m, requestDeserialize: (bytes: Buffer) => bytes };
  }
  server.addService(raw as grpc.ServiceDefinition, implementation(service));
  return server;
}

function authInterceptor(service: SecureService): grpc.ServerInterceptor {
  const decoders = new Map(Object.values(service.def).map((m) => [m.path, m.requestDeserialize] as const));
  return (method, call) => {
    const path = method.path;
    let admitted: { readonly state: 'admitted'; readonly length: number; readonly digest: string } | null = null;
    const refuse = (code: grpc.status, reason: string): void => {
      service.log(`refused ${path} from ${call.getPeer()}: ${reason}`);
      call.sendStatus({ code, details: `voxelflow: authentication failed: ${reason}` });
    };
    const listener: grpc.ServerListener = {
      onReceiveMetadata: (metadata, next) => {
        const limit = service.limits[path];
        if (limit === undefined) return refuse(grpc.status.UNIMPLEMENTED, `no request limit for ${path}`);
        const verdict = service.guard.admit(metadata, path, limit);
        if (verdict.state === 'refused') return refuse(verdict.tooLarge ? grpc.status.RESOURCE_EXHAUSTED : grpc.status.UNAUTHENTICATED, verdict.reason);
        admitted = verdict;
        next(metadata);
      },
      onReceiveMessage: (message: Buffer, next) => {
        if (admitted === null) return refuse(grpc.status.UNAUTHENTICATED, 'a request body before admitted credentials');
        const denial = service.guard.checkBody(admitted, message);
        if (denial !== null) return refuse(grpc.status.UNAUTHENTICATED, denial);
        let request: unknown;
        try {
          request = (decoders.get(path) as (bytes: Buffer) => unknown)(message);
        } catch (err) {
          service.log(`bad request to ${path} from ${call.getPeer()}: ${err instanceof Error ? err.message : String(err)}`);
          return call.sendStatus({ code: grpc.status.INVALID_ARGUMENT, details: `voxelflow: cannot decode the ${path} request` });
        }
        next(request);
      },
    };
    return new grpc.ServerInterceptingCall(call, { start: (next) => next(listener) });
  };
}

/** The handlers, wrapped so that no exception escapes and every failure is a status. */
function implementation(service: SecureService): grpc.UntypedServiceImplementation {
  const impl: grpc.UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(service.def)) {
    const handler = service.handlers[name];
    if (handler === undefined) throw new Error(`no handler for ${method.path}`);
    if (method.responseStream) {
      impl[name] = ((call: grpc.ServerWritableStream<unknown, unknown>) => {
        // Through an async wrapper: a handler that throws before its first await still gets an error status.
        (async () => (handler as StreamHandler)(call.request as never, call))().then(
          () => call.end(),
          (err: unknown) => call.emit('error', toStatus(err, method.path, service.log)),
        );
      }) as grpc.handleServerStreamingCall<unknown, unknown>;
    } else {
      impl[name] = ((call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        (async () => (handler as UnaryHandler)(call.request as never, call))().then(
          (reply) => callback(null, reply),
          (err: unknown) => callback(toStatus(err, method.path, service.log)),
        );
      }) as grpc.handleUnaryCall<unknown, unknown>;
    }
  }
  return impl;
}

function toStatus(err: unknown, path: string, log: (line: string) => void): grpc.ServiceError {
  if (err instanceof RpcError) return statusError(err.code, err.message);
  const message = err instanceof Error ? err.message : String(err);
  log(`internal error in ${path}: ${message.split('\n')[0]}`);
  return statusError(grpc.status.INTERNAL, `voxelflow: ${message}`);
}

function statusError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

/**
 * Raw gRPC calls for attack tests: hand-made metadata and bodies (grpc-js with identity serializers),
 * and `flood`, a bare HTTP/2 client that announces a message of any length and streams it from one
 * small buffer until the server answers, as an attacker's script would.
 */
import { connect } from 'node:http2';
import type * as grpc from '@grpc/grpc-js';

/** How a call ended: its gRPC status code and details (code 0 when a stream call delivered data). */
export interface CallEnd {
  readonly code: number;
  readonly details: string;
}

/** A unary or server-streaming call with exactly these body bytes and metadata. */
export function rawCall(client: grpc.Client, path: string, body: Buffer, metadata: grpc.Metadata, streaming: boolean): Promise<CallEnd> {
  const asIs = (b: Buffer): Buffer => b;
  return new Promise((resolve) => {
    if (!streaming) {
      client.makeUnaryRequest(path, asIs, asIs, body, metadata, {}, (err) => resolve(err ? { code: err.code, details: err.details } : { code: 0, details: '' }));
      return;
    }
    const call = client.makeServerStreamRequest(path, asIs, asIs, body, metadata, {});
    let settled = false;
    call.on('data', () => {
      if (settled) return;
      settled = true;
      resolve({ code: 0, details: '' });
      call.cancel();
    });
    call.on('error', () => {});
    call.on('status', (s: grpc.StatusObject) => {
      if (settled) return;
      settled = true;
      resolve({ code: s.code, details: s.details });
    });
  });
}

/** How a flood ended. */
export interface FloodResult {
  /** Body bytes handed to HTTP/2 before the server answered. */
  readonly sent: number;
  /** grpc-status of the answer, null when the stream ended without one. */
  readonly status: string | null;
}

const MIB = 1024 * 1024;

/**
 * One gRPC call announcing a `bytes`-long message, its body streamed in 1 MiB chunks until the server
 * answers (or all of it is sent). No credentials unless `headers` carries them.
 */
export function flood(address: string, path: string, bytes: number, headers: Record<string, string> = {}): Promise<FloodResult> {
  const session = connect(`http://${address}`);
  const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...headers });
  const chunk = Buffer.alloc(MIB, 0x61);
  let sent = 0;
  let status: string | null = null;
  let answered = false;
  const answer = (h: Record<string, unknown>): void => {
    if (h['grpc-status'] === undefined) return;
    status = String(h['grpc-status']);
    answered = true;
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
    let started = false;
    const pump = (): void => {
      if (!started) {
        started = true;
        if (!req.write(prefix)) return void req.once('drain', pump);
      }
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

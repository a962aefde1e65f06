/**
 * Reads blocks that live on other workers: one FetchBlock stream per block, chunks copied into one
 * SharedArrayBuffer of the block's size (worker threads then read it without another copy).
 */
import type * as grpc from '@grpc/grpc-js';
import { executorService, TASK_MESSAGE_LIMIT, type BlockChunk } from './protocol.js';
import { clientFor, describeRpcError, serverStream } from './rpc.js';

const FETCH_DEADLINE_MS = 120_000;

export class BlockFetcher {
  private readonly clients = new Map<string, grpc.Client>();

  constructor(
    private readonly secret: string,
    private readonly credentials: grpc.ChannelCredentials,
  ) {}

  /** The bytes of `blockId` of `appId` held by the worker at `address`. Rejects with a one-line reason. */
  fetch(address: string, appId: string, blockId: string, expectedLength: number): Promise<Uint8Array> {
    const call = serverStream(this.client(address), executorService, 'FetchBlock', { appId, blockId }, { secret: this.secret, deadlineMs: FETCH_DEADLINE_MS });
    return new Promise((resolve, reject) => {
      let out: Uint8Array | null = null;
      let got = 0;
      call.on('data', (chunk: BlockChunk) => {
        if (out === null) {
          if (chunk.total !== expectedLength) {
            call.cancel();
            return reject(new Error(`block ${blockId} on ${address} has ${chunk.total} bytes, expected ${expectedLength}`));
          }
          out = new Uint8Array(new SharedArrayBuffer(chunk.total));
        }
        if (got + chunk.data.length > out.length) {
          call.cancel();
          return reject(new Error(`block ${blockId} from ${address} is longer than announced`));
        }
        out.set(chunk.data, got);
        got += chunk.data.length;
      });
      call.on('error', (err: unknown) => reject(new Error(`cannot fetch block ${blockId} from ${address}: ${describeRpcError(err)}`)));
      call.on('end', () => {
        if (expectedLength === 0 && out === null) return resolve(new Uint8Array(new SharedArrayBuffer(0)));
        if (out === null || got !== out.length) return reject(new Error(`block ${blockId} from ${address} ended after ${got} bytes`));
        resolve(out);
      });
    });
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private client(address: string): grpc.Client {
    let c = this.clients.get(address);
    if (c === undefined) {
      c = clientFor(executorService, 'Executor', address, this.credentials, TASK_MESSAGE_LIMIT);
      this.clients.set(address, c);
    }
    return c;
  }
}

/**
 * Reads blocks that live on other workers: one FetchBlocks stream per peer and task, each block's
 * chunks copied into one SharedArrayBuffer of its size (worker threads then read it without another
 * copy). A block the peer does not hold, or cannot send, comes back as the reason instead.
 */
import type * as grpc from '@grpc/grpc-js';
import { executorService, TASK_MESSAGE_LIMIT, type BlockChunk } from './protocol.js';
import { clientFor, describeRpcError, serverStream } from './rpc.js';

const FETCH_DEADLINE_MS = 120_000;

/** A block to fetch, with the size the driver recorded for it. */
export interface BlockWant {
  readonly blockId: string;
  readonly length: number;
}

export class BlockFetcher {
  private readonly clients = new Map<string, grpc.Client>();

  constructor(
    private readonly secret: string,
    private readonly credentials: grpc.ChannelCredentials,
  ) {}

  /** The bytes of each wanted block of `appId` held by the worker at `address`, or why it could not be had. */
  fetch(address: string, appId: string, wants: readonly BlockWant[]): Promise<(Uint8Array | string)[]> {
    const blockIds = wants.map((w) => w.blockId);
    const call = serverStream(this.client(address), executorService, 'FetchBlocks', { appId, blockIds }, { secret: this.secret, deadlineMs: FETCH_DEADLINE_MS });
    const out: (Uint8Array | string | undefined)[] = new Array(wants.length);
    const got = new Array<number>(wants.length).fill(0);
    return new Promise((resolve) => {
      const finish = (reason: string | null): void => {
        resolve(
          out.map((b, i) => {
            if (typeof b === 'string') return b;
            if (b !== undefined && got[i] === b.length) return b;
            return reason ?? `block ${blockIds[i]} from ${address} ended after ${got[i]} bytes`;
          }),
        );
      };
      call.on('data', (chunk: BlockChunk) => {
        const i = chunk.index;
        const want = wants[i];
        if (want === undefined) return;
        if (chunk.missing) {
          out[i] = `worker ${address} no longer holds block ${want.blockId}`;
          return;
        }
        let buf = out[i];
        if (buf === undefined) {
          if (chunk.total !== want.length) {
            out[i] = `block ${want.blockId} on ${address} has ${chunk.total} bytes, expected ${want.length}`;
            return;
          }
          out[i] = buf = new Uint8Array(new SharedArrayBuffer(chunk.total));
        }
        if (typeof buf === 'string') return;
        const at = got[i] as number;
        if (at + chunk.data.length > buf.length) {
          out[i] = `block ${want.blockId} from ${address} is longer than announced`;
          return;
        }
        buf.set(chunk.data, at);
        got[i] = at + chunk.data.length;
      });
      call.on('error', (err: unknown) => finish(`cannot fetch blocks from ${address}: ${describeRpcError(err)}`));
      call.on('end', () => finish(null));
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

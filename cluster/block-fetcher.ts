/**
 * Reads blocks that live on other workers: one FetchBlocks stream per peer and task, each block's
 * chunks copied into one SharedArrayBuffer of its size (worker threads then read it without another
 * copy). A block the peer does not hold, or cannot send, comes back as the reason instead — always
 * one entry per wanted block, so an unreachable peer is a fetch failure for every block, never a hole
 * that the task would dereference. The deadline grows with the bytes asked for, and the caller's
 * signal cancels the stream (the task was killed, or the driver declared the peer lost).
 */
import type * as grpc from '@grpc/grpc-js';
import { executorService, TASK_MESSAGE_LIMIT, type BlockChunk } from './protocol.js';
import { clientFor, describeRpcError, serverStream } from './rpc.js';

/** A fetch may take this long before its bytes even start... */
const FETCH_BASE_DEADLINE_MS = 15_000;
/** ...plus this long per byte asked for (25 MB/s: a loaded machine's grpc-js still moves ~150 MB/s). */
const FETCH_MS_PER_BYTE = 1 / 25_000;

/** How long a fetch of `bytes` may take before it counts as failed. */
export function fetchDeadlineMs(bytes: number): number {
  return Math.ceil(FETCH_BASE_DEADLINE_MS + bytes * FETCH_MS_PER_BYTE);
}

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

  /**
   * The bytes of each wanted block of `appId` held by the worker at `address`, or why it could not be
   * had: exactly one entry per want, in order.
   */
  fetch(address: string, appId: string, wants: readonly BlockWant[], signal?: AbortSignal): Promise<(Uint8Array | string)[]> {
    const blockIds = wants.map((w) => w.blockId);
    if (signal?.aborted === true) return Promise.resolve(blockIds.map((id) => `fetch of block ${id} from ${address} was cancelled`));
    const bytes = wants.reduce((n, w) => n + w.length, 0);
    const call = serverStream(this.client(address), executorService, 'FetchBlocks', { appId, blockIds }, { secret: this.secret, deadlineMs: fetchDeadlineMs(bytes) });
    // Filled, not sparse: Array.prototype.map skips holes, and a hole reached the task as undefined.
    const out = Array.from<Uint8Array | string | undefined>({ length: wants.length });
    const got = new Array<number>(wants.length).fill(0);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (reason: string | null): void => {
        if (settled) return;
        settled = true;
        resolve(
          out.map((b, i) => {
            if (typeof b === 'string') return b;
            if (b !== undefined && got[i] === b.length) return b;
            return reason ?? `block ${blockIds[i]} from ${address} ended after ${got[i]} bytes`;
          }),
        );
      };
      const onAbort = (): void => {
        call.cancel();
        finish(`fetch from ${address} was cancelled (the task was killed or the worker was declared lost)`);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
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
      call.on('close', () => signal?.removeEventListener('abort', onAbort));
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

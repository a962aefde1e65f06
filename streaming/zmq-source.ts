/**
 * A ZeroMQ receiver feeding a MessageQueue. PULL connects to the detector's bound PUSH and is
 * lossless: before each receive it waits for queue space, so a slow pipeline stops the reads and
 * ZeroMQ's high-water marks push back on the sender. SUB connects to a PUB, reads as fast as it can
 * and lets the queue drop the oldest frames (counted).
 */
import type { Pull, Subscriber } from 'zeromq';
import { ConfigError } from '../core/index.js';
import { MessageQueue } from './message-queue.js';
import type { ProtocolDecoder } from './protocol-decoder.js';

/** 'pull' (lossless: a slow pipeline pushes back on the sender) or 'sub' (live: the oldest frames are dropped). */
export type SocketKind = 'pull' | 'sub';

/** Where and how a detector stream receives. */
export interface ZmqSourceOptions {
  /** Endpoint to connect to, e.g. `tcp://127.0.0.1:9999`. */
  readonly connect: string;
  /** Socket type (default 'pull'), connecting to the detector's PUSH or PUB. */
  readonly socket?: SocketKind;
  /** Bound of the queue between the socket and the decoder, bytes (default 256 MiB). */
  readonly maxQueueBytes?: number;
  /** ZeroMQ receive high-water mark, messages (default 64 for PULL, 1000 for SUB). */
  readonly receiveHighWaterMark?: number;
}

/** A ZeroMQ PULL or SUB receiver feeding a byte-bounded MessageQueue. */
export class ZmqSource {
  /** The queue between the socket and the decoder ('block' for pull, 'drop-oldest' for sub). */
  readonly queue: MessageQueue;
  /** The socket type in use. */
  readonly socketKind: SocketKind;
  private sock: Pull | Subscriber | null = null;
  private loop: Promise<void> | null = null;
  private closing = false;
  /** The error that ended the receive loop, if any. */
  error: Error | null = null;

  constructor(
    private readonly options: ZmqSourceOptions,
    private readonly decoder: ProtocolDecoder,
  ) {
    this.socketKind = options.socket ?? 'pull';
    if (this.socketKind !== 'pull' && this.socketKind !== 'sub') throw new ConfigError('socket', `socket must be 'pull' or 'sub', got '${String(options.socket)}'`);
    if (!/^(tcp|ipc|inproc):\/\/.+/.test(options.connect)) throw new ConfigError('connect', `connect must be a ZeroMQ endpoint like tcp://host:port, got '${options.connect}'`);
    this.queue = new MessageQueue(options.maxQueueBytes ?? 256 * 1024 * 1024, this.socketKind === 'pull' ? 'block' : 'drop-oldest');
  }

  /** Connects (ZeroMQ reconnects by itself while the peer is away) and starts receiving. */
  async start(): Promise<void> {
    const zmq = await import('zeromq');
    const pull = this.socketKind === 'pull';
    const hwm = this.options.receiveHighWaterMark ?? (pull ? 64 : 1000);
    const sock = pull ? new zmq.Pull({ receiveHighWaterMark: hwm, linger: 0 }) : new zmq.Subscriber({ receiveHighWaterMark: hwm, linger: 0 });
    if (!pull) (sock as Subscriber).subscribe();
    sock.connect(this.options.connect);
    this.sock = sock;
    this.loop = this.receive(sock);
  }

  /** Stops receiving and closes the socket; queued messages stay readable. */
  async close(): Promise<void> {
    if (this.closing) return this.loop ?? undefined;
    this.closing = true;
    this.queue.close();
    this.sock?.close();
    await this.loop;
  }

  private async receive(sock: Pull | Subscriber): Promise<void> {
    const block = this.queue.policy === 'block';
    try {
      while (!this.closing) {
        if (block) await this.queue.waitForSpace();
        if (this.closing) break;
        const parts = await sock.receive();
        this.queue.push(parts, this.decoder.peek(parts));
      }
    } catch (err) {
      if (!this.closing) this.error = err instanceof Error ? err : new Error(String(err));
    } finally {
      this.queue.close();
    }
  }
}

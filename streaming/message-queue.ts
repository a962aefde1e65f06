/**
 * The bounded queue between a ZeroMQ socket and the decoder, bounded in bytes. Two policies:
 *   - 'block' (PULL): `push` always succeeds (the receive loop asked `waitForSpace` first, so the
 *     queue exceeds its bound by at most one message); the receive loop then stops calling receive,
 *     ZeroMQ's receive high-water mark fills, and TCP and the sender's HWM push back on the detector.
 *   - 'drop-oldest' (SUB): when full, the oldest *data* message is replaced by a tombstone that keeps
 *     its place in the order and its series/frame, so the scan assembler counts it as dropped in the
 *     right scan. Control messages (headers, series ends) are tiny and never dropped: losing one
 *     would lose a whole scan's bookkeeping.
 */
import { ConfigError } from '../core/index.js';

/** What the receive loop learns about a message before queueing it (cheap: no pixel decoding). */
export interface MessagePeek {
  /** Control messages (headers, series ends) are never dropped; data messages (frames) may be. */
  readonly kind: 'control' | 'data';
  /** The series the message belongs to, when the peek can tell. */
  readonly series: string | null;
  /** The frame number of a data message, when the peek can tell. */
  readonly frame: number | null;
}

/** A received multipart message, or the tombstone of one dropped in live mode. */
export type QueuedMessage =
  | {
      /** The message is here. */
      readonly state: 'message';
      /** Its multipart frames, as received. */
      readonly parts: readonly Buffer[];
      /** What the receive loop learnt about it. */
      readonly peek: MessagePeek;
      /** Its size: the sum of its parts' lengths. */
      readonly bytes: number;
      /** performance.now() when it was received. */
      readonly receivedAt: number;
    }
  | {
      /** The message was dropped (live mode); only its peek and size are kept. */
      readonly state: 'dropped';
      /** What the receive loop learnt about it: the scan assembler counts it in its scan. */
      readonly peek: MessagePeek;
      /** Its size before it was dropped (no longer counted in the queue's bytes). */
      readonly bytes: number;
      /** performance.now() when it was received. */
      readonly receivedAt: number;
    };

/** What a full queue does: 'block' stops receiving (PULL sockets), 'drop-oldest' drops the oldest data message (SUB sockets). */
export type QueuePolicy = 'block' | 'drop-oldest';

/** The byte-bounded queue between a ZeroMQ socket and the decoder; see QueuePolicy for what happens when it is full. */
export class MessageQueue {
  /** Shifted entries are cleared to undefined (so they can be collected) until the array is compacted. */
  private items: (QueuedMessage | undefined)[] = [];
  private head = 0;
  private queuedBytes = 0;
  private spaceWaiters: (() => void)[] = [];
  private itemWaiters: (() => void)[] = [];
  private closed = false;
  /** Messages replaced by tombstones (drop-oldest only). */
  dropped = 0;
  /** Largest byte count the queue has held. */
  peakBytes = 0;
  /** Messages pushed and shifted so far (tombstones included). */
  pushed = 0;
  /** Messages shifted so far (tombstones included). */
  shifted = 0;

  constructor(
    /** The bound in bytes (> 0) that decides when the queue is full. */
    readonly maxBytes: number,
    /** What to do when full. */
    readonly policy: QueuePolicy,
  ) {
    if (!(maxBytes > 0)) throw new ConfigError('maxBytes', `MessageQueue: maxBytes must be > 0, got ${maxBytes}`);
  }

  /** Bytes of the messages queued now (tombstones count 0). */
  get bytes(): number {
    return this.queuedBytes;
  }

  /** Messages queued now, tombstones included. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Whether the queued bytes reached maxBytes. */
  get full(): boolean {
    return this.queuedBytes >= this.maxBytes;
  }

  /** Resolves when the queue holds less than its bound (or is closed). */
  waitForSpace(): Promise<void> {
    if (!this.full || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  /** Queues a message (no-op once closed); under 'drop-oldest', drops the oldest data messages until the queue fits its bound. */
  push(parts: readonly Buffer[], peek: MessagePeek): void {
    if (this.closed) return;
    let bytes = 0;
    for (const p of parts) bytes += p.length;
    this.items.push({ state: 'message', parts, peek, bytes, receivedAt: performance.now() });
    this.pushed++;
    this.queuedBytes += bytes;
    if (this.policy === 'drop-oldest') this.dropUntilFits();
    if (this.queuedBytes > this.peakBytes) this.peakBytes = this.queuedBytes;
    this.wake(this.itemWaiters);
  }

  /** The next message, or null once the queue is closed and empty. */
  async shift(): Promise<QueuedMessage | null> {
    for (;;) {
      if (this.head < this.items.length) {
        const m = this.items[this.head] as QueuedMessage;
        this.items[this.head++] = undefined;
        if (this.head > 1024 && this.head * 2 > this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        if (m.state === 'message') this.queuedBytes -= m.bytes;
        this.shifted++;
        if (!this.full) this.wake(this.spaceWaiters);
        return m;
      }
      if (this.closed) return null;
      await new Promise<void>((resolve) => this.itemWaiters.push(resolve));
    }
  }

  /** Like shift, but resolves null after `ms` without a message (the queue stays open). */
  async shiftWithin(ms: number): Promise<QueuedMessage | null | 'timeout'> {
    if (this.length > 0 || this.closed) return this.shift();
    let timer: NodeJS.Timeout | undefined;
    const woke = await Promise.race([
      new Promise<'item'>((resolve) => this.itemWaiters.push(() => resolve('item'))),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms))),
    ]);
    clearTimeout(timer);
    return woke === 'timeout' && this.length === 0 && !this.closed ? 'timeout' : this.shift();
  }

  /** Empties the queue; returns how many messages (tombstones included) it held. */
  drain(): number {
    const n = this.length;
    this.items = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.shifted += n;
    this.wake(this.spaceWaiters);
    return n;
  }

  /** No more pushes; waiting consumers get the rest, then null. */
  close(): void {
    this.closed = true;
    this.wake(this.itemWaiters);
    this.wake(this.spaceWaiters);
  }

  private dropUntilFits(): void {
    // Oldest first; the message just pushed is dropped too if it alone is over the bound.
    for (let i = this.head; i < this.items.length && this.queuedBytes > this.maxBytes; i++) {
      const m = this.items[i] as QueuedMessage;
      if (m.state !== 'message' || m.peek.kind !== 'data') continue;
      this.items[i] = { state: 'dropped', peek: m.peek, bytes: m.bytes, receivedAt: m.receivedAt };
      this.queuedBytes -= m.bytes;
      this.dropped++;
    }
  }

  private wake(waiters: (() => void)[]): void {
    for (const w of waiters.splice(0)) w();
  }
}

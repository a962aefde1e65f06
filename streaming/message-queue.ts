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
  readonly kind: 'control' | 'data';
  readonly series: string | null;
  readonly frame: number | null;
}

/** A received multipart message, or the tombstone of one dropped in live mode. */
export type QueuedMessage =
  | { readonly state: 'message'; readonly parts: readonly Buffer[]; readonly peek: MessagePeek; readonly bytes: number; readonly receivedAt: number }
  | { readonly state: 'dropped'; readonly peek: MessagePeek; readonly bytes: number; readonly receivedAt: number };

export type QueuePolicy = 'block' | 'drop-oldest';

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
  shifted = 0;

  constructor(
    readonly maxBytes: number,
    readonly policy: QueuePolicy,
  ) {
    if (!(maxBytes > 0)) throw new ConfigError('maxBytes', `MessageQueue: maxBytes must be > 0, got ${maxBytes}`);
  }

  get bytes(): number {
    return this.queuedBytes;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  get full(): boolean {
    return this.queuedBytes >= this.maxBytes;
  }

  /** Resolves when the queue holds less than its bound (or is closed). */
  waitForSpace(): Promise<void> {
    if (!this.full || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

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

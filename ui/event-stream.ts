/**
 * Server-sent events for `/api/v1/events`. Each message names the topics (endpoints) whose answers
 * changed; the page refetches those. Changes are coalesced over `intervalMs`, so a stage of ten
 * thousand tasks costs a few messages a second, not one per task.
 */
import type { ServerResponse } from 'node:http';
import type { Topic } from './api-types.js';

export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly dirty = new Set<Topic>();
  private timer: NodeJS.Timeout | null = null;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly intervalMs = 200) {
    // A comment line now and then keeps proxies and idle sockets from closing the stream.
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), 15_000);
    this.heartbeat.unref();
  }

  /** Takes over a response as an event stream. */
  attach(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-content-type-options': 'nosniff' });
    res.write('retry: 1000\n\nevent: hello\ndata: {}\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Marks a topic changed; subscribers hear of it within `intervalMs`. */
  changed(topic: Topic): void {
    this.dirty.add(topic);
    if (this.timer !== null || this.clients.size === 0) {
      if (this.clients.size === 0) this.dirty.clear();
      return;
    }
    this.timer = setTimeout(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Ends every stream (the server is closing). */
  close(): void {
    clearInterval(this.heartbeat);
    if (this.timer !== null) clearTimeout(this.timer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private flush(): void {
    this.timer = null;
    const topics = [...this.dirty].sort();
    this.dirty.clear();
    if (topics.length > 0) this.write(`event: update\ndata: ${JSON.stringify({ topics })}\n\n`);
  }

  private write(text: string): void {
    for (const res of this.clients) res.write(text);
  }
}

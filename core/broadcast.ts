/**
 * Broadcast variables: a large read-only value sent once per worker instead of once per task.
 * On worker threads the value lives in a SharedArrayBuffer that every thread decodes once.
 */

type Resolver = (id: number) => unknown;
let resolver: Resolver | null = null;

/** Installs how worker-side broadcast stubs find their value (set by the worker runtime). */
export function setBroadcastResolver(fn: Resolver | null): void {
  resolver = fn;
}

/** A read-only value shared by all tasks. Pass it through `env` and read `.value` in the task. */
export class Broadcast<T = unknown> {
  private destroyed = false;
  private hasValue: boolean;
  private local: T | undefined;

  constructor(
    /** The context-wide id workers find the value by. */
    readonly id: number,
    value?: T,
    // biome-ignore lint/complexity/noArguments: `new Broadcast(id, undefined)` holds the value undefined; `new Broadcast(id)` holds none.
    hasValue = arguments.length > 1,
  ) {
    this.local = value;
    this.hasValue = hasValue;
  }

  /** The broadcast value. */
  get value(): T {
    if (this.destroyed) throw new Error(`broadcast ${this.id} was destroyed; create a new one with ctx.broadcast(value)`);
    if (!this.hasValue) {
      if (resolver === null) throw new Error(`broadcast ${this.id} has no value on this thread`);
      this.local = resolver(this.id) as T;
      this.hasValue = true;
    }
    return this.local as T;
  }

  /** Drops the driver's copy; later reads fail. */
  destroy(): void {
    this.destroyed = true;
    this.local = undefined;
  }

  /** Whether destroy() was called. */
  get isDestroyed(): boolean {
    return this.destroyed;
  }
}

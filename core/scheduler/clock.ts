/**
 * Where the task scheduler reads the time and sets its timers (the speculation check, the wait for
 * executors). The system clock by default; tests pass a fake one and move time by hand, so speculation
 * and timeouts are tested without threads or wall-clock limits.
 *
 * @example
 *   const cancel = systemClock.schedule(50, () => console.log('50 ms later'));
 *   cancel(); // it will not run
 */

/** The time source and timers of the task scheduler. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once, `ms` from now; the returned function cancels the call. Never keeps the process alive. */
  schedule(ms: number, fn: () => void): () => void;
}

/** `Date.now()` and unref'd `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

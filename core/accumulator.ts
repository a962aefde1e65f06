/**
 * Accumulators: values that tasks add to and only the driver reads. Updates made by a task attempt
 * are merged on the driver when that attempt succeeds, once per partition of a stage, as in Spark.
 */
import { TaskContext } from './task-context.js';

/** How updates combine: numbers add, lists concatenate. */
export type AccumulatorKind = 'sum' | 'list';

/** A write-only-in-tasks, read-on-driver variable. Pass it to functions through `env`. */
export class Accumulator<T extends number | unknown[] = number> {
  private current: T;

  constructor(
    /** The context-wide id task updates are keyed by. */
    readonly id: number,
    /** The starting value (0, or an empty list). */
    readonly zero: T,
    /** How updates combine. */
    readonly kind: AccumulatorKind,
  ) {
    this.current = (Array.isArray(zero) ? zero.slice() : zero) as T;
  }

  /** Adds `value` (a number, or an item for list accumulators). */
  add(value: T extends unknown[] ? T[number] : number): void {
    const tc = TaskContext.get();
    if (tc === null) {
      this.current = mergeAccumulatorValue(this.kind, this.current, this.kind === 'list' ? [value] : value) as T;
      return;
    }
    const previous = tc.accumulatorUpdates.get(this.id);
    const update = this.kind === 'list' ? [value] : value;
    tc.accumulatorUpdates.set(this.id, previous === undefined ? update : mergeAccumulatorValue(this.kind, previous, update));
  }

  /** The merged value; only meaningful on the driver after an action. */
  get value(): T {
    if (TaskContext.get() !== null) {
      throw new Error(`accumulator ${this.id} can only be read on the driver; tasks may only add to it`);
    }
    return this.current;
  }

  /** Merges a successful task's update (driver side). */
  mergeUpdate(update: unknown): void {
    this.current = mergeAccumulatorValue(this.kind, this.current, update) as T;
  }
}

/** Combines two accumulator values of one kind. */
export function mergeAccumulatorValue(kind: AccumulatorKind, a: unknown, b: unknown): unknown {
  if (kind === 'list') return (a as unknown[]).concat(b as unknown[]);
  return (a as number) + (b as number);
}

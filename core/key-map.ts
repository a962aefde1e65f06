/**
 * KeyMap: a hash map whose keys compare structurally (see keys.ts), used by the combiners behind
 * `reduceByKey`, `groupByKey` and joins.
 *
 * Most keys in practice are numbers or strings, so those live in native Maps and cost one native
 * lookup. A native Map already compares with SameValueZero, which is exactly the key equality for
 * numbers (`-0` is stored as `0`, `NaN` finds `NaN`). Composite keys (arrays, objects, booleans,
 * null, undefined) are stored under their canonical string, next to the original key so iteration
 * gives back what was inserted.
 *
 * Iteration order: number keys, then string keys, then the rest, each in insertion order.
 */

import { canonicalKeyString } from './keys.js';

/** A Map with structural keys: `[1, 'a']` and `[1, 'a']` are the same key. */
export class KeyMap<K, V> implements Iterable<[K, V]> {
  private readonly numbers = new Map<number, V>();
  private readonly strings = new Map<string, V>();
  private readonly composite = new Map<string, [K, V]>();

  /** Creates a map, optionally filled from `[key, value]` pairs (later pairs win). */
  constructor(entries?: Iterable<readonly [K, V]>) {
    if (entries !== undefined) for (const [k, v] of entries) this.set(k, v);
  }

  /** Number of distinct keys. */
  get size(): number {
    return this.numbers.size + this.strings.size + this.composite.size;
  }

  /** The value stored under a key structurally equal to `key`, or undefined. */
  get(key: K): V | undefined {
    if (typeof key === 'number') return this.numbers.get(key);
    if (typeof key === 'string') return this.strings.get(key);
    return this.composite.get(canonicalKeyString(key))?.[1];
  }

  /** Stores `value` under `key`, replacing the value of an equal key (which keeps its original form). */
  set(key: K, value: V): this {
    if (typeof key === 'number') {
      this.numbers.set(key, value);
    } else if (typeof key === 'string') {
      this.strings.set(key, value);
    } else {
      const id = canonicalKeyString(key);
      const entry = this.composite.get(id);
      if (entry !== undefined) entry[1] = value;
      else this.composite.set(id, [key, value]);
    }
    return this;
  }

  /** Whether a key structurally equal to `key` is present. */
  has(key: K): boolean {
    if (typeof key === 'number') return this.numbers.has(key);
    if (typeof key === 'string') return this.strings.has(key);
    return this.composite.has(canonicalKeyString(key));
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: K): boolean {
    if (typeof key === 'number') return this.numbers.delete(key);
    if (typeof key === 'string') return this.strings.delete(key);
    return this.composite.delete(canonicalKeyString(key));
  }

  /** Removes every entry. */
  clear(): void {
    this.numbers.clear();
    this.strings.clear();
    this.composite.clear();
  }

  /** Calls `fn(value, key)` for every entry, without allocating per entry. */
  forEach(fn: (value: V, key: K) => void): void {
    this.numbers.forEach((v, k) => fn(v, k as K));
    this.strings.forEach((v, k) => fn(v, k as K));
    this.composite.forEach((entry) => fn(entry[1], entry[0]));
  }

  /** `[key, value]` pairs; number keys first, then strings, then composite keys. */
  *entries(): IterableIterator<[K, V]> {
    for (const [k, v] of this.numbers) yield [k as K, v];
    for (const [k, v] of this.strings) yield [k as K, v];
    for (const entry of this.composite.values()) yield [entry[0], entry[1]];
  }

  /** The keys, in the order of entries(). */
  *keys(): IterableIterator<K> {
    for (const k of this.numbers.keys()) yield k as K;
    for (const k of this.strings.keys()) yield k as K;
    for (const entry of this.composite.values()) yield entry[0];
  }

  /** The values, in the order of entries(). */
  *values(): IterableIterator<V> {
    yield* this.numbers.values();
    yield* this.strings.values();
    for (const entry of this.composite.values()) yield entry[1];
  }

  /** Same as entries(). */
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
}

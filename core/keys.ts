/**
 * Structural keys: the values `reduceByKey`, `join` and the partitioners group by.
 *
 * A key is a number, string, boolean, null, undefined, an array of keys (nested), or a plain object
 * whose own enumerable properties are keys. Two keys are the same when they are structurally equal,
 * with `0 === -0` and `NaN` equal to itself (SameValueZero on the leaves). Hashes are computed from
 * the structure only, never from object identity or randomness, so a driver and its workers agree
 * on which partition a key belongs to.
 *
 * Hashing is murmur3 (Appleby): integers go through `fmix32`, other doubles hash their IEEE-754
 * bits, strings are consumed two UTF-16 code units per 32-bit block.
 */

import { ConfigError } from './errors.js';

// Shared scratch view for reading a double's bits; hashing must not allocate per call.
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
// Read words in a fixed (little-endian) order so hashes agree across machines of either byte order.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;

// Distinct seeds per kind so that, say, `[]` and `{}` or `true` and `1` rarely collide.
const UNDEFINED_HASH = 0x2c1b3c6d;
const NULL_HASH = 0x297a2d39;
const FALSE_HASH = 0x5bd1e995;
const TRUE_HASH = 0x1b873593;
const NAN_HASH = 0x7ff80000;
const STRING_SEED = 0x9747b28c;
const ARRAY_SEED = 0x3c6ef372;
const OBJECT_SEED = 0x510e527f;

/** murmur3 finalizer: avalanches all 32 bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** One murmur3 body round: folds the 32-bit block `k` into the running hash `h`. */
function mixBlock(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * Hashes a structural key to a non-negative 31-bit integer. Deterministic across processes;
 * `hashKey(a) === hashKey(b)` whenever `keysEqual(a, b)`. Throws ConfigError for other values
 * (class instances, functions, symbols, bigints).
 */
export function hashKey(key: unknown): number {
  return hashAny(key) & 0x7fffffff;
}

function hashAny(key: unknown): number {
  switch (typeof key) {
    case 'number':
      return hashNumber(key);
    case 'string':
      return hashString(key);
    case 'boolean':
      return key ? TRUE_HASH : FALSE_HASH;
    case 'undefined':
      return UNDEFINED_HASH;
    case 'object':
      if (key === null) return NULL_HASH;
      if (Array.isArray(key)) return hashArray(key);
      if (isPlainObject(key)) return hashObject(key);
  }
  throw unsupportedKey(key);
}

function hashNumber(n: number): number {
  // Every int32 (and -0, since -0 | 0 === 0) takes the integer path, so equal numbers hash equal.
  if ((n | 0) === n) return fmix32(n | 0);
  if (n !== n) return NAN_HASH; // NaN has many bit patterns; they are all one key
  F64[0] = n;
  return fmix32(mixBlock(mixBlock(0, U32[LO]!), U32[HI]!));
}

function hashString(s: string): number {
  const n = s.length;
  let h = STRING_SEED;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mixBlock(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) h = mixBlock(h, s.charCodeAt(i));
  return fmix32(h ^ n);
}

function hashArray(a: readonly unknown[]): number {
  let h = ARRAY_SEED;
  for (let i = 0; i < a.length; i++) h = mixBlock(h, hashAny(a[i]));
  return fmix32(h ^ a.length);
}

function hashObject(o: object): number {
  const names = Object.keys(o).sort();
  let h = OBJECT_SEED;
  for (const name of names) {
    h = mixBlock(h, hashString(name));
    h = mixBlock(h, hashAny((o as Record<string, unknown>)[name]));
  }
  return fmix32(h ^ names.length);
}

/**
 * Structural equality of keys: arrays element-wise, plain objects by their own enumerable
 * properties, leaves by SameValueZero (`0` equals `-0`, `NaN` equals `NaN`, `1` is not `'1'`).
 */
export function keysEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number') return typeof b === 'number' && a !== a && b !== b;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!keysEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return false;
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  for (const name of names) {
    if (!Object.hasOwn(b, name)) return false;
    if (!keysEqual((a as Record<string, unknown>)[name], (b as Record<string, unknown>)[name])) return false;
  }
  return true;
}

/** Rank of each kind in the total order. */
// biome-ignore lint/suspicious/noConstEnum: module-private and inlined by tsc in the key comparison hot path.
const enum Kind {
  Undefined,
  Null,
  Boolean,
  Number,
  String,
  Array,
  Object,
}

function kindOf(key: unknown): Kind {
  switch (typeof key) {
    case 'undefined':
      return Kind.Undefined;
    case 'boolean':
      return Kind.Boolean;
    case 'number':
      return Kind.Number;
    case 'string':
      return Kind.String;
    case 'object':
      if (key === null) return Kind.Null;
      if (Array.isArray(key)) return Kind.Array;
      if (isPlainObject(key)) return Kind.Object;
  }
  throw unsupportedKey(key);
}

/**
 * A total order on keys, consistent with keysEqual (0 exactly when equal):
 * undefined < null < false < true < numbers (ascending, NaN last) < strings (UTF-16 code-unit
 * order) < arrays (lexicographic, a prefix first) < plain objects (by their sorted entries).
 */
export function compareKeys(a: unknown, b: unknown): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) return ka - kb;
  switch (ka) {
    case Kind.Boolean:
      return (a as boolean) === b ? 0 : a ? 1 : -1;
    case Kind.Number: {
      const x = a as number;
      const y = b as number;
      if (x < y) return -1;
      if (x > y) return 1;
      if (x === y) return 0; // includes 0 vs -0
      return x !== x ? (y !== y ? 0 : 1) : -1; // at least one is NaN
    }
    case Kind.String:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case Kind.Array:
      return compareArrays(a as readonly unknown[], b as readonly unknown[]);
    case Kind.Object:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
    default:
      return 0; // undefined, null: one value each
  }
}

function compareArrays(a: readonly unknown[], b: readonly unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareKeys(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const na = Object.keys(a).sort();
  const nb = Object.keys(b).sort();
  const n = Math.min(na.length, nb.length);
  for (let i = 0; i < n; i++) {
    const x = na[i]!;
    const y = nb[i]!;
    if (x !== y) return x < y ? -1 : 1;
    const c = compareKeys(a[x], b[y]);
    if (c !== 0) return c;
  }
  return na.length - nb.length;
}

/**
 * An injective string encoding of a key: `canonicalKeyString(a) === canonicalKeyString(b)` iff
 * `keysEqual(a, b)`. Every token is self-delimiting (strings are length-prefixed), so nesting
 * cannot make two different keys collide.
 */
export function canonicalKeyString(key: unknown): string {
  switch (kindOf(key)) {
    case Kind.Undefined:
      return 'u';
    case Kind.Null:
      return 'n';
    case Kind.Boolean:
      return key ? 't' : 'f';
    case Kind.Number:
      return `d${String(key)}`; // String(-0) is '0'; shortest round-trip form is injective
    case Kind.String:
      return `s${(key as string).length}:${key as string}`;
    case Kind.Array: {
      let out = '[';
      const a = key as readonly unknown[];
      for (let i = 0; i < a.length; i++) out += (i > 0 ? ',' : '') + canonicalKeyString(a[i]);
      return `${out}]`;
    }
    case Kind.Object: {
      const o = key as Record<string, unknown>;
      let out = '{';
      const names = Object.keys(o).sort();
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        out += `${i > 0 ? ',' : ''}${name.length}:${name}=${canonicalKeyString(o[name])}`;
      }
      return `${out}}`;
    }
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function unsupportedKey(key: unknown): ConfigError {
  const found =
    typeof key === 'object' && key !== null ? `an instance of ${key.constructor?.name ?? 'an unknown class'}` : `a ${typeof key}`;
  return new ConfigError(
    'key',
    `keys must be numbers, strings, booleans, null, undefined, arrays or plain objects, got ${found}; ` +
      `map it to one first, e.g. rdd.keyBy((x) => x.id)`,
  );
}

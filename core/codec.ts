/**
 * The one binary codec for records, plans and results (msgpackr). Functions inside plans and envs are
 * written as their source and revived on the worker; broadcasts and accumulators travel as ids.
 */
import { Packr, addExtension } from 'msgpackr';
import { Accumulator, type AccumulatorKind } from './accumulator.js';
import { Broadcast } from './broadcast.js';
import { functionSource, reviveFunction } from './closure.js';
import { lookupNamedFunction, namedFunctionInfo } from './registry.js';

addExtension({
  Class: Broadcast,
  type: 0x51,
  write: (b: Broadcast) => b.id,
  read: (id: number) => new Broadcast(id, undefined, false),
});

addExtension({
  Class: Accumulator,
  type: 0x52,
  write: (a: Accumulator<number | unknown[]>) => [a.id, a.kind, a.zero],
  read: ([id, kind, zero]: [number, AccumulatorKind, number | unknown[]]) => new Accumulator(id, zero, kind),
});

// msgpack maps decode as plain objects; Maps and Sets keep their class through these.
addExtension({
  Class: Map,
  type: 0x54,
  write: (m: Map<unknown, unknown>) => [...m],
  read: (entries: [unknown, unknown][]) => new Map(entries),
});

addExtension({
  Class: Set,
  type: 0x55,
  write: (s: Set<unknown>) => [...s],
  read: (items: unknown[]) => new Set(items),
});

// Modules that named functions met while encoding come from; the worker imports them first.
let collecting: Set<string> | null = null;

addExtension({
  Class: Function,
  type: 0x53,
  write: (fn: () => unknown) => {
    const named = namedFunctionInfo(fn);
    if (named === undefined) return functionSource(fn, 'shipped');
    collecting?.add(named.module);
    return { named: named.name };
  },
  read: (data: string | { named: string }) => (typeof data === 'string' ? reviveFunction(data) : lookupNamedFunction(data.named)),
});

const packr = new Packr({ useRecords: false, moreTypes: true });

/** Encodes any record, plan or result. */
export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Decodes bytes written by `encode`. */
export function decode<T = unknown>(bytes: Uint8Array): T {
  return packr.unpack(bytes) as T;
}

/** Encodes into a SharedArrayBuffer and lists the modules of the named functions inside. */
export function encodeSharedWithModules(value: unknown): { bytes: Uint8Array; modules: string[] } {
  collecting = new Set();
  try {
    const bytes = encodeShared(value);
    return { bytes, modules: [...collecting] };
  } finally {
    collecting = null;
  }
}

/** Encodes into a SharedArrayBuffer so worker threads can read it without a copy. */
export function encodeShared(value: unknown): Uint8Array {
  const bytes = packr.pack(value);
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}

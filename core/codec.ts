/**
 * The one binary codec for records, plans and results (msgpackr). Functions inside plans and envs are
 * written as their source and revived on the worker; broadcasts and accumulators travel as ids.
 */
import { Packr, addExtension } from 'msgpackr';
import { Accumulator, type AccumulatorKind } from './accumulator.js';
import { Broadcast } from './broadcast.js';
import { functionSource, reviveFunction } from './closure.js';

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

addExtension({
  Class: Function,
  type: 0x53,
  write: (fn: () => unknown) => functionSource(fn, 'shipped'),
  read: (source: string) => reviveFunction(source),
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

/** Encodes into a SharedArrayBuffer so worker threads can read it without a copy. */
export function encodeShared(value: unknown): Uint8Array {
  const bytes = packr.pack(value);
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}

/**
 * Errors as data across threads and processes: a task's error becomes plain data on the worker
 * (`errorToData`: name, message, stack, tag, its own data fields and its cause, all of which
 * survive structured clone and msgpack) and is rebuilt on the driver (`rebuildError`) as the class
 * its tag names in the registry of core/errors.ts, with the same fields and the remote stack.
 */
import { inspect } from 'node:util';
import { errorClass, FetchFailedError, TaskFailedError, VoxelflowError } from './errors.js';

/** A field of an error that travels: plain data only. */
export type ErrorField = string | number | boolean | null | readonly ErrorField[] | { readonly [key: string]: ErrorField };

/** Remote error rebuilt on the driver: the original name, message, stack and fields travel as data. */
export interface RemoteErrorData {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly tag?: string | undefined;
  /** The error's own enumerable fields that are plain data (a TableError's `where`, an errno `code`). */
  readonly fields?: Readonly<Record<string, ErrorField>> | undefined;
  readonly cause?: RemoteErrorData | undefined;
  /** Set when the task could not read a shuffle block: the parent stage must be recomputed. */
  readonly fetchFailed?: { readonly shuffleId: number; readonly mapIndex: number; readonly executorId?: string | undefined } | undefined;
  /** Set when the executor running the task was lost: the task runs again elsewhere without counting as a failure. */
  readonly executorLost?: boolean | undefined;
}

/** How deep causes and nested fields are followed: errors are messages, not data stores. */
const MAX_DEPTH = 4;
/** Longest array or object field that travels; a larger one stays on the worker. */
const MAX_FIELD_ITEMS = 256;
/** Own properties that travel in their own slots, or not at all. */
const NOT_FIELDS = new Set(['name', 'message', 'stack', 'cause', '_tag']);
/** Built-in classes a plain error is rebuilt as, by name. */
const BUILT_IN: Readonly<Record<string, ErrorConstructor>> = { TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

/** Turns any thrown value into plain data that survives structured clone and msgpack. */
export function errorToData(err: unknown): RemoteErrorData {
  if (!(err instanceof Error)) {
    return {
      name: 'Error',
      message: `a non-Error value was thrown: ${inspect(err, { depth: 2, breakLength: Infinity })} (throw new Error(...) to get a stack trace)`,
    };
  }
  return toData(err, 0);
}

function toData(err: Error, depth: number): RemoteErrorData {
  const tag = (err as { _tag?: unknown })._tag;
  const fields = dataFields(err);
  const data: { -readonly [K in keyof RemoteErrorData]: RemoteErrorData[K] } = { name: err.name, message: err.message, stack: err.stack };
  if (typeof tag === 'string') data.tag = tag;
  if (fields !== undefined) data.fields = fields;
  if (err.cause !== undefined && depth < MAX_DEPTH) data.cause = err.cause instanceof Error ? toData(err.cause, depth + 1) : { name: 'Error', message: inspect(err.cause, { depth: 2, breakLength: Infinity }) };
  if (err instanceof FetchFailedError) data.fetchFailed = { shuffleId: err.shuffleId, mapIndex: err.mapIndex, executorId: err.executorId };
  return data;
}

function dataFields(err: Error): Record<string, ErrorField> | undefined {
  let out: Record<string, ErrorField> | undefined;
  for (const [key, raw] of Object.entries(err)) {
    if (NOT_FIELDS.has(key)) continue;
    const value = asField(raw, 0);
    if (value === undefined) continue;
    (out ??= {})[key] = value;
  }
  return out;
}

/** `value` when it is plain data within the limits, else undefined (it does not travel). */
function asField(value: unknown, depth: number): ErrorField | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'object' || depth >= MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    if (value.length > MAX_FIELD_ITEMS) return undefined;
    const items: ErrorField[] = [];
    for (const v of value) {
      const item = asField(v, depth + 1);
      if (item === undefined) return undefined;
      items.push(item);
    }
    return items;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  const entries = Object.entries(value);
  if (entries.length > MAX_FIELD_ITEMS) return undefined;
  const out: Record<string, ErrorField> = {};
  for (const [k, v] of entries) {
    const item = asField(v, depth + 1);
    if (item === undefined) return undefined;
    out[k] = item;
  }
  return out;
}

/**
 * Rebuilds an error from remote data: the class its tag names in the registry (or the built-in
 * class its name names, else Error), with its fields, its cause and the remote stack. The class's
 * constructor does not run: the fields are the ones the worker's instance had.
 */
export function rebuildError(data: RemoteErrorData): Error {
  const cause = data.cause === undefined ? undefined : rebuildError(data.cause);
  const cls = (data.tag === undefined ? undefined : errorClass(data.tag)) ?? BUILT_IN[data.name] ?? Error;
  const err = Reflect.construct(Error, cause === undefined ? [data.message] : [data.message, { cause }], cls) as Error;
  own(err, 'name', data.name);
  if (data.tag !== undefined) own(err, '_tag', data.tag);
  for (const [key, value] of Object.entries(data.fields ?? {})) own(err, key, value);
  if (data.stack !== undefined) err.stack = data.stack;
  return err;
}

/** Sets an own field the way a class field or constructor assignment would. */
function own(err: Error, key: string, value: unknown): void {
  Object.defineProperty(err, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * What a failed job rejects with: the task's own error when its class is an input error (see
 * `VoxelflowError.inputError`), else `err` as it is.
 */
export function jobFailure(err: unknown): unknown {
  if (!(err instanceof TaskFailedError) || !(err.cause instanceof VoxelflowError)) return err;
  return (err.cause.constructor as typeof VoxelflowError).inputError ? err.cause : err;
}

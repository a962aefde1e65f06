/**
 * Tagged error classes for the engine. Every error carries a `_tag` so callers can branch without
 * `instanceof` across realms (worker threads rebuild errors from plain data), structured fields, and
 * a message that says what failed, where, and how to fix it.
 */
import { inspect } from 'node:util';

/** Base class of every error voxelflow raises on purpose. */
export class VoxelflowError extends Error {
  readonly _tag: string = 'VoxelflowError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A bad option or argument given by the caller (the TypeError of voxelflow). */
export class ConfigError extends VoxelflowError {
  override readonly _tag = 'ConfigError';
  constructor(readonly option: string, message: string) {
    super(message);
  }
}

/** A user function cannot be shipped to workers because it reads variables it does not own. */
export class FreeVariableError extends VoxelflowError {
  override readonly _tag = 'FreeVariableError';
  constructor(readonly operation: string, readonly variables: readonly string[], message: string) {
    super(message);
  }
}

/** A function or value could not be serialized for a worker (native code, bound functions, syntax). */
export class SerializationError extends VoxelflowError {
  override readonly _tag = 'SerializationError';
}

/** Remote error rebuilt on the driver: the original name, message and stack travel as data. */
export interface RemoteErrorData {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly tag?: string | undefined;
  /** Set when the task could not read a shuffle block: the parent stage must be recomputed. */
  readonly fetchFailed?: { readonly shuffleId: number; readonly mapIndex: number; readonly executorId?: string | undefined } | undefined;
  /** Set when the executor running the task was lost: the task runs again elsewhere without counting as a failure. */
  readonly executorLost?: boolean | undefined;
}

/** A task failed all its attempts; the job fails with the task's own error as `cause`. */
export class TaskFailedError extends VoxelflowError {
  override readonly _tag = 'TaskFailedError';
  constructor(
    readonly stageId: number,
    readonly partition: number,
    readonly attempts: number,
    readonly remote: RemoteErrorData,
  ) {
    super(
      `task for partition ${partition} of stage ${stageId} failed ${attempts} time(s); last error: ` +
        `${remote.name}: ${remote.message}` +
        (remote.stack ? `\n  remote stack:\n${indent(remote.stack)}` : ''),
      { cause: rebuildError(remote) },
    );
  }
}

/** A job was cancelled or its context stopped before it finished. */
export class JobAbortedError extends VoxelflowError {
  override readonly _tag = 'JobAbortedError';
}

/** Tasks waited longer than `executorWaitTimeout` with no executor to run them (every worker gone). */
export class ExecutorWaitTimeoutError extends VoxelflowError {
  override readonly _tag = 'ExecutorWaitTimeoutError';
  constructor(
    readonly waitedMs: number,
    /** When the last executor went away (ms since the epoch). */
    readonly since: number,
  ) {
    super(
      `no executors: tasks waited ${Math.round(waitedMs / 1000)} s with 0 registered (since ${new Date(since).toISOString()}); ` +
        'start workers for this master, or raise the Context option executorWaitTimeout (0 waits forever)',
    );
  }
}

/** A shuffle block could not be read; the scheduler resubmits the map stage that wrote it. */
export class FetchFailedError extends VoxelflowError {
  override readonly _tag = 'FetchFailedError';
  constructor(
    readonly shuffleId: number,
    readonly mapIndex: number,
    message: string,
    /** The executor that held the block, when the block was remote: its other outputs are suspect too. */
    readonly executorId?: string,
  ) {
    super(message);
  }
}

/** Turns any thrown value into plain data that survives structured clone and msgpack. */
export function errorToData(err: unknown): RemoteErrorData {
  if (err instanceof FetchFailedError) {
    return {
      name: err.name,
      message: err.message,
      stack: err.stack,
      tag: err._tag,
      fetchFailed: { shuffleId: err.shuffleId, mapIndex: err.mapIndex, executorId: err.executorId },
    };
  }
  if (err instanceof Error) {
    const tag = (err as { _tag?: unknown })._tag;
    return { name: err.name, message: err.message, stack: err.stack, tag: typeof tag === 'string' ? tag : undefined };
  }
  return {
    name: 'Error',
    message: `a non-Error value was thrown: ${inspect(err, { depth: 2, breakLength: Infinity })} (throw new Error(...) to get a stack trace)`,
  };
}

/** Rebuilds an Error from remote data, keeping the remote stack. */
export function rebuildError(data: RemoteErrorData): Error {
  const err = new Error(data.message);
  err.name = data.name;
  if (data.stack !== undefined) err.stack = data.stack;
  return err;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/**
 * A block could not be spilled because the disk holding the spill folder is full (ENOSPC) or over
 * quota (EDQUOT). The partial file is removed before this is thrown; the folder goes at `stop()`.
 */
export class SpillDiskFullError extends VoxelflowError {
  override readonly _tag = 'SpillDiskFullError';
  constructor(
    /** The block manager's spill folder (inside the `spillDir` the context was given). */
    readonly directory: string,
    /** Size of the block that did not fit. */
    readonly blockBytes: number,
    /** Bytes of spilled blocks on that disk when it filled up. */
    readonly spilledBytes: number,
    /** Bytes the disk had left for this process, when it could be measured. */
    readonly freeBytes: number | null,
    options?: { cause?: unknown },
  ) {
    super(
      `no space left to spill in ${directory}: it needed at least ${bytes(spilledBytes + blockBytes)} ` +
        `(${bytes(spilledBytes)} already spilled, then a ${bytes(blockBytes)} block` +
        `${freeBytes === null ? '' : `; ${bytes(freeBytes)} free`}); ` +
        'pass a spillDir on a disk with more room, or raise the memory budget so fewer blocks spill',
      options,
    );
  }

  /** How many bytes the spill folder needed at least: what it held plus the block that failed. */
  get bytesNeeded(): number {
    return this.spilledBytes + this.blockBytes;
  }
}

/** True for a `SpillDiskFullError`, also when it was rebuilt from another realm (a worker's tag). */
export function isSpillDiskFullError(err: unknown): err is SpillDiskFullError {
  return typeof err === 'object' && err !== null && (err as { _tag?: unknown })._tag === 'SpillDiskFullError';
}

function bytes(n: number): string {
  return `${n.toLocaleString('en-US')} bytes`;
}

/**
 * Tagged error classes for the engine. Every error carries a `_tag` so callers can branch without
 * `instanceof` across realms, structured fields, and a message that says what failed, where, and
 * how to fix it. An error thrown in a task travels to the driver as data (`errorToData`) and is
 * rebuilt there (`rebuildError`) as the same class with the same fields, so `TaskFailedError.cause`
 * is the task's own typed error. Classes outside core join the tag -> class registry from their
 * folder's index.ts (`registerErrorClasses`), next to the rest of what that folder adds.
 *
 * @example
 *   try {
 *     await ctx.readCsv('cells.csv').count();
 *   } catch (err) {
 *     if (isVoxelflowError(err, 'TableError')) console.error(err.where, err.problem);
 *     else throw err;
 *   }
 */
import type { RemoteErrorData } from './error-data.js';
import { thousands } from './thousands.js';

/**
 * Tag -> class of every voxelflow error, for `isVoxelflowError`'s narrowing. Folders outside core
 * add theirs by declaration merging (`declare module '../core/errors.js' { interface VoxelflowErrorTags { ... } }`).
 */
export interface VoxelflowErrorTags {
  /** `isVoxelflowError(err, 'VoxelflowError')` narrows to VoxelflowError. */
  VoxelflowError: VoxelflowError;
  /** `isVoxelflowError(err, 'ConfigError')` narrows to ConfigError. */
  ConfigError: ConfigError;
  /** `isVoxelflowError(err, 'FreeVariableError')` narrows to FreeVariableError. */
  FreeVariableError: FreeVariableError;
  /** `isVoxelflowError(err, 'SerializationError')` narrows to SerializationError. */
  SerializationError: SerializationError;
  /** `isVoxelflowError(err, 'TaskFailedError')` narrows to TaskFailedError. */
  TaskFailedError: TaskFailedError;
  /** `isVoxelflowError(err, 'JobAbortedError')` narrows to JobAbortedError. */
  JobAbortedError: JobAbortedError;
  /** `isVoxelflowError(err, 'ExecutorWaitTimeoutError')` narrows to ExecutorWaitTimeoutError. */
  ExecutorWaitTimeoutError: ExecutorWaitTimeoutError;
  /** `isVoxelflowError(err, 'FetchFailedError')` narrows to FetchFailedError. */
  FetchFailedError: FetchFailedError;
  /** `isVoxelflowError(err, 'SpillDiskFullError')` narrows to SpillDiskFullError. */
  SpillDiskFullError: SpillDiskFullError;
}

/** The tag of a voxelflow error class (its class name). */
export type VoxelflowErrorTag = keyof VoxelflowErrorTags;

/** Base class of every error voxelflow raises on purpose. */
export class VoxelflowError extends Error {
  /** The class's tag (its name): what `isVoxelflowError` and the driver's rebuild go by. */
  readonly _tag: VoxelflowErrorTag = 'VoxelflowError';
  /**
   * True for errors about the data a job reads (a CSV row that does not parse, a corrupt chunk):
   * a job whose task fails with one rejects with that error itself rather than a TaskFailedError,
   * because it is the user's input to fix, not the engine's failure (the `jobEnd` event still names the task).
   */
  static readonly inputError: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * True when `err` is a voxelflow error, with one of `tags` when any are given; narrows to their
 * classes. Reads the tag, so it also holds for errors from another copy of the package.
 */
export function isVoxelflowError<K extends VoxelflowErrorTag = 'VoxelflowError'>(err: unknown, ...tags: K[]): err is VoxelflowErrorTags[K] {
  if (!(err instanceof Error)) return false;
  const tag = (err as { _tag?: unknown })._tag;
  if (typeof tag !== 'string') return false;
  return tags.length === 0 ? err instanceof VoxelflowError || errorClasses.has(tag) : (tags as readonly string[]).includes(tag);
}

/** A voxelflow error class, as the registry holds it. */
export type ErrorClass<E extends VoxelflowError = VoxelflowError> = abstract new (...args: never[]) => E;

/**
 * Adds error classes to the tag -> class registry the driver rebuilds task errors with; each key is
 * the class's tag (its name). Core's classes are in it from the start; a folder registers its own
 * in its index.ts, e.g. `registerErrorClasses({ TableError })`.
 */
export function registerErrorClasses(classes: { readonly [K in VoxelflowErrorTag]?: ErrorClass<VoxelflowErrorTags[K]> }): void {
  for (const [tag, cls] of Object.entries(classes) as [string, ErrorClass][]) {
    if (cls.name !== tag) throw new ConfigError('classes', `registerErrorClasses: key '${tag}' names class ${cls.name}; use the class name as the key`);
    errorClasses.set(tag, cls);
  }
}

/** The registered class for `tag`, if any. */
export function errorClass(tag: string): ErrorClass | undefined {
  return errorClasses.get(tag);
}

/**
 * An error about the data a job reads or writes (a file, a row, a column), raised by a folder's
 * own class (ImageFormatError, TableError). Its message is one line, `<where>: <problem>; <fix>`, so a
 * CLI prints it as it is; a job whose task fails with one rejects with it (see `inputError`).
 */
export abstract class InputError extends VoxelflowError {
  static override readonly inputError: boolean = true;
  constructor(
    /** Where the input is wrong: a file, `file:line`, a column or the verb given a bad argument. */
    readonly where: string,
    /** What is wrong, in the input's own terms. */
    readonly problem: string,
    /** What the user can do about it. */
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    // Text quoted from a corrupt file may hold control characters; keep the message one line.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this escapes.
    super(`${where}: ${problem}; ${fix}`.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`), options);
  }
}

/** A bad option or argument given by the caller (the TypeError of voxelflow). */
export class ConfigError extends VoxelflowError {
  /** 'ConfigError'. */
  override readonly _tag = 'ConfigError';
  constructor(
    /** The option or argument at fault, e.g. `ui.port`. */
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

/** A user function cannot be shipped to workers because it reads variables it does not own. */
export class FreeVariableError extends VoxelflowError {
  /** 'FreeVariableError'. */
  override readonly _tag = 'FreeVariableError';
  constructor(
    /** The operation given the function (map, filter, ...). */
    readonly operation: string,
    /** The names it reads from outside itself; pass them in its `env` argument instead. */
    readonly variables: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

/** A function or value could not be serialized for a worker (native code, bound functions, syntax). */
export class SerializationError extends VoxelflowError {
  /** 'SerializationError'. */
  override readonly _tag = 'SerializationError';
}

/**
 * A task failed all its attempts; the job fails with the task's own error as `cause`, rebuilt from
 * `remote` as its own class and fields (`rebuildError`).
 */
export class TaskFailedError extends VoxelflowError {
  /** 'TaskFailedError'. */
  override readonly _tag = 'TaskFailedError';
  constructor(
    /** The stage the task belonged to. */
    readonly stageId: number,
    /** The partition the task computed. */
    readonly partition: number,
    /** How many times it was tried. */
    readonly attempts: number,
    /** The last attempt's error as it came from the executor (name, message, stack, fields). */
    readonly remote: RemoteErrorData,
    cause: Error,
  ) {
    super(
      `task for partition ${partition} of stage ${stageId} failed ${attempts} time(s); last error: ` +
        `${remote.name}: ${remote.message}` +
        (remote.stack ? `\n  remote stack:\n${indent(remote.stack)}` : ''),
      { cause },
    );
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** A job was cancelled or its context stopped before it finished. */
export class JobAbortedError extends VoxelflowError {
  /** 'JobAbortedError'. */
  override readonly _tag = 'JobAbortedError';
}

/** Tasks waited longer than `executorWaitTimeout` with no executor to run them (every worker gone). */
export class ExecutorWaitTimeoutError extends VoxelflowError {
  /** 'ExecutorWaitTimeoutError'. */
  override readonly _tag = 'ExecutorWaitTimeoutError';
  constructor(
    /** How long tasks waited, ms. */
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
  /** 'FetchFailedError'. */
  override readonly _tag = 'FetchFailedError';
  constructor(
    /** The shuffle whose block was lost. */
    readonly shuffleId: number,
    /** The map task (partition of the map stage) that wrote it. */
    readonly mapIndex: number,
    message: string,
    /** The executor that held the block, when the block was remote: its other outputs are suspect too. */
    readonly executorId?: string,
  ) {
    super(message);
  }
}

/**
 * A block could not be spilled because the disk holding the spill folder is full (ENOSPC) or over
 * quota (EDQUOT). The partial file is removed before this is thrown; the folder goes at `stop()`.
 */
export class SpillDiskFullError extends VoxelflowError {
  /** 'SpillDiskFullError'. */
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
  return isVoxelflowError(err, 'SpillDiskFullError');
}

function bytes(n: number): string {
  return `${thousands(n)} bytes`;
}

const errorClasses = new Map<string, ErrorClass>([
  ['VoxelflowError', VoxelflowError],
  ['ConfigError', ConfigError],
  ['FreeVariableError', FreeVariableError],
  ['SerializationError', SerializationError],
  ['TaskFailedError', TaskFailedError],
  ['JobAbortedError', JobAbortedError],
  ['ExecutorWaitTimeoutError', ExecutorWaitTimeoutError],
  ['FetchFailedError', FetchFailedError],
  ['SpillDiskFullError', SpillDiskFullError],
]);

/**
 * The error tables raise for bad input or bad arguments: a CSV row that does not parse, a header
 * that differs between files, a column that does not exist. One line, `<where>: <what>; <fix>`, so
 * the CLI prints it as is. Errors raised on workers come back inside TaskFailedError; table actions
 * rethrow them as TableError (see `rethrowTableError`).
 */
import { VoxelflowError, type TaskFailedError } from '../core/index.js';

/** A table input or argument is wrong; `where` names the file or column. */
export class TableError extends VoxelflowError {
  override readonly _tag = 'TableError';
  constructor(
    readonly where: string,
    readonly problem: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(`${where}: ${problem}; ${fix}`.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`), options);
  }
}

/** True for a TableError, also one rebuilt from a worker. */
export function isTableError(err: unknown): err is TableError {
  return typeof err === 'object' && err !== null && (err as { _tag?: unknown })._tag === 'TableError';
}

/**
 * Runs a job and turns a task failure caused by a TableError on a worker into that TableError on
 * the driver: a bad CSV row is an input problem, not an engine failure.
 */
export async function rethrowTableError<T>(job: Promise<T>): Promise<T> {
  try {
    return await job;
  } catch (err) {
    // Walk the cause chain: a job failure wraps a task failure, which carries the worker's error as data.
    for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
      if (isTableError(e)) throw e;
      const remote = (e as Partial<TaskFailedError>).remote;
      if (remote?.tag === 'TableError') {
        const rebuilt = new TableError('', '', '', { cause: err });
        Object.defineProperty(rebuilt, 'message', { value: remote.message });
        throw rebuilt;
      }
    }
    throw err;
  }
}

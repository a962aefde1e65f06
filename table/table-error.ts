/**
 * The error tables raise for bad input or bad arguments: a CSV row that does not parse, a header
 * that differs between files, a column that does not exist. One line, `<where>: <what>; <fix>`, so
 * the CLI prints it as is. A TableError raised in a task is rebuilt on the driver (it is in the
 * error registry from table/index.ts), and the job rejects with it: an input error (core/errors.ts).
 */
import { InputError, isVoxelflowError } from '../core/index.js';

declare module '../core/errors.js' {
  interface VoxelflowErrorTags {
    /** `isVoxelflowError(err, 'TableError')` narrows to TableError. */
    TableError: TableError;
  }
}

/** A table input or argument is wrong; `where` names the file (and line) or the column. */
export class TableError extends InputError {
  /** 'TableError'. */
  override readonly _tag = 'TableError';
}

/** True for a TableError, also one rebuilt from a worker. */
export function isTableError(err: unknown): err is TableError {
  return isVoxelflowError(err, 'TableError');
}

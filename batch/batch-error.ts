/** A bad batch project: batch.json or manifest.csv, or a refused run. One line naming the file, row and field. */
export class BatchProjectError extends Error {
  readonly _tag = 'BatchProjectError';
  constructor(
    /** The file at fault (batch.json, manifest.csv, the lock file), as the user names it. */
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** True for a BatchProjectError, also across module copies. */
export function isBatchProjectError(err: unknown): err is BatchProjectError {
  return typeof err === 'object' && err !== null && (err as { _tag?: unknown })._tag === 'BatchProjectError';
}

import { isVoxelflowError, VoxelflowError } from '../core/index.js';

declare module '../core/errors.js' {
  interface VoxelflowErrorTags {
    /** `isVoxelflowError(err, 'BatchProjectError')` narrows to BatchProjectError. */
    BatchProjectError: BatchProjectError;
  }
}

/** A bad batch project: batch.json or manifest.csv, or a refused run. One line naming the file, row and field. */
export class BatchProjectError extends VoxelflowError {
  override readonly _tag = 'BatchProjectError';
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
  return isVoxelflowError(err, 'BatchProjectError');
}

/**
 * The one error every reader and writer throws for bad input: a missing, truncated or corrupt file,
 * a header that contradicts the file, or a feature this layer does not read. The message is one line,
 * `<file>: <what is wrong>; <how to fix>`, so a CLI can print it as is.
 */
import { VoxelflowError } from '../../core/index.js';

/** A file could not be read or written as an image; `problem` and `fix` are the message's two halves. */
export class ImageFormatError extends VoxelflowError {
  override readonly _tag = 'ImageFormatError';
  constructor(
    readonly file: string,
    readonly format: string,
    readonly problem: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    // Header text quoted from a corrupt file may hold control characters; keep the message one line.
    super(`${file}: ${problem}; ${fix}`.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`), options);
  }
}

/** True for an `ImageFormatError`, also across realms (worker threads rebuild errors as data). */
export function isImageFormatError(err: unknown): err is ImageFormatError {
  return typeof err === 'object' && err !== null && (err as { _tag?: unknown })._tag === 'ImageFormatError';
}

/** Binds a file and format so a reader can raise errors with just `problem` and `fix`. */
export type Fail = (problem: string, fix: string, cause?: unknown) => never;

/** Makes the `fail` function a reader threads through its parsing. */
export function failFor(file: string, format: string): Fail {
  return (problem, fix, cause) => {
    throw new ImageFormatError(file, format, problem, fix, cause === undefined ? undefined : { cause });
  };
}

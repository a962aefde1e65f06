/**
 * The one error every reader and writer throws for bad input: a missing, truncated or corrupt file,
 * a header that contradicts the file, or a feature this layer does not read. The message is one line,
 * `<file>: <what is wrong>; <how to fix>`, so a CLI can print it as is.
 */
import { InputError, isVoxelflowError } from '../../core/index.js';

declare module '../../core/errors.js' {
  interface VoxelflowErrorTags {
    /** `isVoxelflowError(err, 'ImageFormatError')` narrows to ImageFormatError. */
    ImageFormatError: ImageFormatError;
  }
}

/** A file could not be read or written as an image; `problem` and `fix` are the message's two halves (`where` is `file`). */
export class ImageFormatError extends InputError {
  /** 'ImageFormatError'. */
  override readonly _tag = 'ImageFormatError';
  constructor(
    /** The file (or store) at fault, as given. */
    readonly file: string,
    /** The format it was read or written as (npy, tiff, nrrd, zarr, ...). */
    readonly format: string,
    problem: string,
    fix: string,
    options?: { cause?: unknown },
  ) {
    super(file, problem, fix, options);
  }
}

/** True for an `ImageFormatError`, also across realms (worker threads rebuild errors as data). */
export function isImageFormatError(err: unknown): err is ImageFormatError {
  return isVoxelflowError(err, 'ImageFormatError');
}

/** Binds a file and format so a reader can raise errors with just `problem` and `fix`. */
export type Fail = (problem: string, fix: string, cause?: unknown) => never;

/** Makes the `fail` function a reader threads through its parsing. */
export function failFor(file: string, format: string): Fail {
  return (problem, fix, cause) => {
    throw new ImageFormatError(file, format, problem, fix, cause === undefined ? undefined : { cause });
  };
}

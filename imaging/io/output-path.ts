/**
 * The two ends of every image output: `refuseExisting` before any work (an existing file or store is
 * replaced only with `overwrite`, the same default for every format), and `renameIntoPlace` when the
 * output is complete under its temporary name. Without `overwrite` the final rename does not replace
 * either: a file that appeared at the path while the output was computed is kept and the run fails.
 */
import { existsSync, linkSync, lstatSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ImageFormatError } from './image-format-error.js';

/** The fix half of the refusal: the library's option and the CLI's flag. */
const OVERWRITE_FIX = 'pass --overwrite (overwrite: true) to replace it, or write elsewhere';

/** Throws `ImageFormatError` when `path` exists (a dangling symlink counts) and `overwrite` is not true. */
export function refuseExisting(path: string, format: string, overwrite: boolean | undefined): void {
  if (overwrite !== true && pathExists(path)) throw alreadyExists(path, format);
}

/**
 * Renames the finished `temp` (a file or a store folder) to `final`. With `overwrite`, an existing
 * `final` is replaced: a file by one rename, a folder moved aside first and removed after. Without it,
 * a file is linked into place (link(2) fails on an existing name: no window in which a file that
 * appeared meanwhile is replaced) and its temporary name removed.
 */
export function renameIntoPlace(temp: string, final: string, format: string, overwrite: boolean | undefined): void {
  if (overwrite === true) {
    replace(temp, final);
    return;
  }
  if (lstatSync(temp).isDirectory()) {
    // No link(2) for folders; a non-empty folder in the way makes the rename fail anyway (ENOTEMPTY).
    if (pathExists(final)) throw alreadyExists(final, format);
    renameSync(temp, final);
    return;
  }
  try {
    linkSync(temp, final);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw alreadyExists(final, format);
    // File systems without hard links (some FUSE and SMB mounts): check, then rename.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
    if (pathExists(final)) throw alreadyExists(final, format);
    renameSync(temp, final);
    return;
  }
  unlinkSync(temp);
}

function replace(from: string, to: string): void {
  let old: string | null = null;
  if (lstatOrNull(to)?.isDirectory() === true) {
    old = join(dirname(to), `.${basename(to)}.old-${process.pid}-${randomBytes(4).toString('hex')}`);
    renameSync(to, old);
  }
  try {
    renameSync(from, to);
  } catch (err) {
    if (old !== null) renameSync(old, to);
    throw err;
  }
  if (old !== null) rmSync(old, { recursive: true, force: true });
}

function alreadyExists(path: string, format: string): ImageFormatError {
  return new ImageFormatError(path, format, 'already exists', OVERWRITE_FIX);
}

function pathExists(path: string): boolean {
  return existsSync(path) || lstatOrNull(path) !== null;
}

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

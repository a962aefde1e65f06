/**
 * The last step of every output written under a temporary name (images, stores, tables, DXchange
 * files): putting it in place. Each folder wraps these in its own error type (imaging/io/output-path.ts,
 * table/write-table.ts); the file-system rules live here once.
 */
import { close, closeSync, existsSync, linkSync, lstatSync, openSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** Whether anything is at `path`, a dangling symlink included. */
export function pathExists(path: string): boolean {
  return existsSync(path) || lstatOrNull(path) !== null;
}

/**
 * Moves the finished `temp` (a file or a folder) to `final`; false, with `temp` left where it is, when
 * `final` exists and `overwrite` is not true. With `overwrite`, an existing `final` is replaced: a file
 * by one rename, a folder moved aside first and removed after. Without it, a file is linked into place
 * (link(2) fails on an existing name: no window in which a file that appeared meanwhile is replaced)
 * and its temporary name removed.
 */
export function placeOutput(temp: string, final: string, overwrite: boolean | undefined): boolean {
  if (overwrite === true) {
    replace(temp, final);
    return true;
  }
  if (lstatSync(temp).isDirectory()) {
    // No link(2) for folders; a non-empty folder in the way makes the rename fail anyway (ENOTEMPTY).
    if (pathExists(final)) return false;
    renameSync(temp, final);
    return true;
  }
  try {
    linkSync(temp, final);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // File systems without hard links (some FUSE and SMB mounts): check, then rename.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
    if (pathExists(final)) return false;
    renameSync(temp, final);
    return true;
  }
  unlinkSync(temp);
  return true;
}

function replace(from: string, to: string): void {
  let old: string | null = null;
  const was = lstatOrNull(to);
  if (was?.isDirectory() === true) {
    old = join(dirname(to), `.${basename(to)}.old-${process.pid}-${randomBytes(4).toString('hex')}`);
    renameSync(to, old);
  }
  // A replaced file is freed (its blocks and page cache) when its last name and descriptor go: held open
  // over the rename, that happens at the close, on the thread pool, instead of inside the rename on
  // this thread (90 ms for a 512 MB output, measured).
  // Linux only: elsewhere a file held open may refuse to be replaced.
  const held = was?.isFile() === true && process.platform === 'linux' ? openOrNull(to) : null;
  try {
    renameSync(from, to);
  } catch (err) {
    if (held !== null) closeSync(held);
    if (old !== null) renameSync(old, to);
    throw err;
  }
  if (held !== null) close(held, () => {});
  if (old !== null) rmSync(old, { recursive: true, force: true });
}

function openOrNull(path: string): number | null {
  try {
    return openSync(path, 'r');
  } catch {
    return null;
  }
}

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

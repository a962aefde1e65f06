/**
 * The outputs of `voxelflow analyze`: checked before any work (folders, symlinks, special files, two
 * outputs naming one file), written under temporary names, and moved into place only when all succeeded.
 */
import { accessSync, constants, existsSync, lstatSync, realpathSync, renameSync, rmSync, type Stats } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { isZarr, type Flags } from './analyze-flags.js';
import { UsageError } from './usage-error.js';

/** Renames a finished output into place; a .zarr store in the way was checked against --overwrite. */
export function moveIntoPlace(tmp: string, final: string): void {
  if (isZarr(final) && existsSync(final)) {
    const old = join(dirname(final), `.${basename(final)}.old-${process.pid}`);
    renameSync(final, old);
    renameSync(tmp, final);
    rmSync(old, { recursive: true, force: true });
    return;
  }
  renameSync(tmp, final);
}

/**
 * Refuses an output whose folder does not exist or cannot be written, and an existing .zarr store
 * without --overwrite, before any work is done.
 */
/**
 * Checks every output before any work, and points each at the file it will replace: an output that
 * is a symlink to a regular file is written through (its target replaced, the link kept); one that is
 * a folder, a device or a pipe is refused (outputs are written to a temporary name and renamed over
 * the target, which would replace /dev/stdout itself); two outputs naming the same file are refused
 * (except --labels and --filtered in one .zarr store).
 */
export function checkOutputs(a: Flags): void {
  const outputs = (['labels', 'filtered', 'stats', 'preview', 'out'] as const).filter((flag) => a[flag] !== null);
  const seen = new Map<string, string>();
  for (const flag of outputs) {
    const given = a[flag] as string;
    if (given === '-') throw new UsageError(`--${flag} -: outputs are files (stdout is not one); --json prints the summary on stdout`);
    let path = resolve(given);
    let st = lstatOrNull(path);
    if (st?.isSymbolicLink() === true) {
      path = realpathOrSelf(path);
      st = lstatOrNull(path);
    }
    if (st !== null && !st.isFile() && !(isZarr(path) && st.isDirectory())) {
      throw new UsageError(`--${flag} ${given} is ${st.isDirectory() ? 'a folder' : 'not a regular file (a device, pipe or socket)'}; give the path of a file to write`);
    }
    const other = seen.get(path);
    if (other !== undefined && !(isZarr(path) && new Set([other, flag]).size === 2 && [other, flag].every((f) => f === 'labels' || f === 'filtered'))) {
      throw new UsageError(`--${other} and --${flag} name the same file ${given}; give each output its own file`);
    }
    seen.set(path, flag);
    checkOutputFolder(path, a.overwrite);
    a[flag] = path;
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // a dangling link: written as a new file in its place
  }
}

function checkOutputFolder(path: string, overwrite: boolean): void {
  if (isZarr(path) && !overwrite && existsSync(path)) throw new UsageError(`${path} already exists; pass --overwrite to replace it, or write elsewhere`);
  const dir = dirname(resolve(path));
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `cannot write ${path}: the folder ${dir} does not exist; create it first` : `cannot write ${path}: the folder ${dir} is not writable (${code ?? 'error'})`);
  }
}

export async function writeTemp(final: string, write: (tmp: string) => Promise<void>): Promise<[string, string]> {
  const tmp = join(dirname(final), `.${basename(final, extname(final))}.tmp-${process.pid}${extname(final)}`);
  await write(tmp);
  return [tmp, final];
}

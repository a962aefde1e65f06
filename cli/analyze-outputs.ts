/**
 * The outputs of `voxelflow analyze` (and reconstruct, and batch items): checked before any work
 * (folders, symlinks, special files, two outputs naming one file, an existing file or store without
 * --overwrite), written under temporary names, and moved into place only when all succeeded.
 */
import { accessSync, constants, lstatSync, realpathSync, type Stats } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { removeStaleTemporaries, renameIntoPlace } from '../imaging/io/output-path.js';
import { isZarr, type Flags } from './analyze-flags.js';
import { UsageError } from './usage-error.js';

/**
 * Renames a finished output into place. Without --overwrite it does not replace a file or store that
 * appeared at the path since checkOutputs (an ImageFormatError naming it; the temporary one is removed by the caller).
 */
export function moveIntoPlace(tmp: string, final: string, overwrite: boolean): void {
  renameIntoPlace(tmp, final, extname(final).slice(1).toLowerCase(), overwrite);
}

/**
 * Checks every output before any work, and points each at the file it will replace: an output that
 * is a symlink to a regular file is written through (its target replaced, the link kept); one that is
 * a folder, a device or a pipe is refused (outputs are written to a temporary name and renamed over
 * the target, which would replace /dev/stdout itself); two outputs naming the same file are refused
 * (except --labels and --filtered in one .zarr store). Once every output is accepted, the temporary
 * files a killed run left beside them are removed (imaging/io/output-path.ts).
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
    // Before the folder check: an existing output says so, whatever its folder's permissions.
    if (st !== null && !a.overwrite) throw new UsageError(`--${flag} ${path} already exists; pass --overwrite to replace it, or write elsewhere`);
    checkOutputFolder(path);
    a[flag] = path;
  }
  // Every output is accepted: what a killed run left beside them goes (nothing of a refused run changes).
  for (const path of seen.keys()) removeStaleTemporaries(path);
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

function checkOutputFolder(path: string): void {
  const dir = dirname(resolve(path));
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `cannot write ${path}: the folder ${dir} does not exist; create it first` : `cannot write ${path}: the folder ${dir} is not writable (${code ?? 'error'})`);
  }
}

export async function writeTemp(final: string, write: (tmp: string) => Promise<void>): Promise<[string, string]> {
  // `.NAME.tmp-PID.EXT`: the extension last (it picks the format), the name first (output-path.ts finds it after a kill).
  const tmp = join(dirname(final), `.${basename(final)}.tmp-${process.pid}${extname(final)}`);
  await write(tmp);
  return [tmp, final];
}

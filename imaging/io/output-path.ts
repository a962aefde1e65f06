/**
 * The two ends of every image output: `refuseExisting` before any work (an existing file or store is
 * replaced only with `overwrite`, the same default for every format), and `renameIntoPlace` when the
 * output is complete under its temporary name. Without `overwrite` the final rename does not replace
 * either: a file that appeared at the path while the output was computed is kept and the run fails.
 * `removeStaleTemporaries` removes what a killed writer of the same output left beside it.
 *
 * Temporary names all start with `.NAME.` (NAME the output's file name) followed by the writing
 * process's pid: `.NAME.PID.N.tmp` (writeImage), `.NAME.PID.HEX.partial` (task-side files),
 * `.NAME.partial-PID-HEX` (Zarr stores), `.NAME.tmp-PID.EXT` (the CLI's outputs, which hold the
 * library's own temporaries in turn: `..NAME.tmp-PID.EXT.PID.HEX.partial`).
 */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathExists, placeOutput } from '../../core/place-output.js';
import { ImageFormatError } from './image-format-error.js';

/** The fix half of the refusal: the library's option and the CLI's flag. */
const OVERWRITE_FIX = 'pass --overwrite (overwrite: true) to replace it, or write elsewhere';

/** Throws `ImageFormatError` when `path` exists (a dangling symlink counts) and `overwrite` is not true. */
export function refuseExisting(path: string, format: string, overwrite: boolean | undefined): void {
  if (overwrite !== true && pathExists(path)) throw alreadyExists(path, format);
}

/** A temporary of the output named `name` and the pid that wrote it (see the module comment); not `.NAME.old-…`, an old store moved aside. */
function temporaryPid(entry: string, name: string): number | null {
  const rest = entry.startsWith(`..${name}.`) ? entry.slice(name.length + 3) : entry.startsWith(`.${name}.`) ? entry.slice(name.length + 2) : null;
  const m = rest === null ? null : /^(?:tmp-|partial-)?(\d+)(?:[.-]|$)/.exec(rest);
  return m === null ? null : Number(m[1]);
}

/** Whether a process with this pid runs on this host (EPERM: it does, as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporaries of `path` that a writer no longer running on this host left beside it (a
 * killed run: SIGKILL leaves no chance to clean up). Those of running processes, this one included,
 * are kept; so is anything else in the folder.
 */
export function removeStaleTemporaries(path: string): void {
  const dir = dirname(path);
  const name = basename(path);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return; // a missing folder is reported by the write itself
  }
  for (const entry of entries) {
    const pid = temporaryPid(entry, name);
    if (pid !== null && pid !== process.pid && !isAlive(pid)) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

/**
 * Renames the finished `temp` (a file or a store folder) to `final` (core/place-output.ts says how);
 * ImageFormatError when `final` exists and `overwrite` is not true.
 */
export function renameIntoPlace(temp: string, final: string, format: string, overwrite: boolean | undefined): void {
  if (!placeOutput(temp, final, overwrite)) throw alreadyExists(final, format);
}

/** Temporaries of whole-file outputs written by this process so far (names them apart). */
let temporaries = 0;

/**
 * Writes a whole-file output with `write(temp)` under a temporary name beside `path`
 * (`.NAME.PID.N.tmp`), then puts it in place with `renameIntoPlace`; the temporary never outlives the
 * call. Callers refuse an existing output (`refuseExisting`) before they start the work.
 */
export function writeBeside(path: string, format: string, overwrite: boolean | undefined, write: (temp: string) => void): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++temporaries}.tmp`);
  try {
    write(temp);
    renameIntoPlace(temp, path, format, overwrite);
  } finally {
    rmSync(temp, { force: true });
  }
}

function alreadyExists(path: string, format: string): ImageFormatError {
  return new ImageFormatError(path, format, 'already exists', OVERWRITE_FIX);
}

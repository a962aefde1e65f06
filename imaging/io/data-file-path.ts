/**
 * Where a header's detached data file is, and whether it may be read. A header is data: an `.nhdr` or
 * `.mhd` someone sent must not make voxelflow read `/etc/shadow` or `../../secret` and present its
 * bytes as voxels (issue 13). So the data file must resolve inside the header's own folder — after
 * symlinks are followed, since a link inside the folder may point anywhere — unless the caller trusts
 * the header and passes `allowOutsideData`.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

import type { Fail } from './image-format-error.js';

/** How the caller lifts the containment rule, for the refusal's fix half. */
const HOW_TO_ALLOW =
  'put the data file in the header\'s folder, or, if you trust this header, pass --allow-outside-data (library: { allowOutsideData: true })';

/**
 * The path to open for the data file `name` that the header at `headerPath` names in `field`.
 * Relative names resolve against the header's folder. Without `allowOutside`, fails unless the file
 * (symlinks followed) lies inside that folder; the returned path is then the real one, so a later open
 * does not follow a link swapped in after this check.
 */
export function dataFilePath(headerPath: string, field: string, name: string, allowOutside: boolean, fail: Fail): string {
  const folder = dirname(resolve(headerPath));
  const path = resolve(folder, name);
  if (allowOutside) return path;
  const refuse = (why: string): never => fail(`${field} '${name}' ${why}`, HOW_TO_ALLOW);
  if (name.includes('\0')) refuse('holds a NUL byte');
  if (isAbsolute(name)) refuse(`is an absolute path; data files must be inside the header's folder ${folder}`);
  if (!inside(folder, path)) refuse(`leaves the header's folder ${folder}`);
  const realFolder = realOrNull(folder) ?? folder;
  const real = realOrNull(path);
  // A file that does not exist is reported by the reader's open ("no such file"), which cannot
  // escape: open follows the same links realpath would have.
  if (real === null) return path;
  if (!inside(realFolder, real)) refuse(`leads through a symlink to ${real}, outside the header's folder ${realFolder}`);
  return real;
}

/** True when `path` is `folder` or below it (by path segments, not string prefix). */
function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

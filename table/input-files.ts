/**
 * Resolves a table source path: a file, a directory (its files with the given extension), a glob
 * (`*`, `?` and `[abc]` in the last path segment), or a comma-separated list of those. Files come
 * out sorted, so partition i is the same file on every run.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { globRegExp, hasGlob } from '../core/index.js';
import { TableError } from './table-error.js';

/** The files `pattern` names; a TableError when one part matches nothing. */
export function listTableFiles(pattern: string, extension: string, what: string): string[] {
  const out: string[] = [];
  for (const part of pattern.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const found = resolvePart(part, extension);
    if (found.length === 0) throw new TableError(part, `no ${extension} file matches`, `check the path (globs use * ? [abc] in the file name) given to ${what}`);
    out.push(...found);
  }
  if (out.length === 0) throw new TableError(what, 'no path given', 'pass a file, directory or glob');
  return [...new Set(out)];
}

function resolvePart(part: string, extension: string): string[] {
  if (!hasGlob(part)) {
    if (!existsSync(part)) return [];
    if (!statSync(part).isDirectory()) return [part];
    return readdirSync(part)
      .filter((f) => f.endsWith(extension))
      .sort()
      .map((f) => join(part, f))
      .filter((f) => statSync(f).isFile());
  }
  const dir = dirname(part);
  if (hasGlob(dir)) throw new TableError(part, 'wildcards are only allowed in the file name', 'put the files in one directory, or list the directories with commas');
  if (!existsSync(dir)) return [];
  const re = globRegExp(basename(part));
  return readdirSync(dir)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

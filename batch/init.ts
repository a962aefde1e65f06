/**
 * `batch init`: a project folder from a set of images: batch.json with defaults to edit, and
 * manifest.csv with one item per file (the sample from a regex's first group of the file name, else
 * the file's folder). Existing files are replaced only with `overwrite` (the CLI's --overwrite), each
 * written under a temporary name and renamed into place.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { globRegExp, hasGlob } from '../core/index.js';
import { BatchProjectError } from './batch-error.js';
import { csvField } from './manifest.js';
import { DEFAULT_CONFIG } from './project.js';

export interface InitResult {
  readonly items: number;
  readonly samples: number;
  readonly files: readonly string[];
}

/** Options of `initProject`. */
export interface InitOptions {
  /** Replace an existing batch.json and manifest.csv (default: refuse, before anything is written). */
  readonly overwrite?: boolean;
}

/** Writes PROJECT/batch.json and PROJECT/manifest.csv for the files `glob` names. */
export function initProject(dir: string, glob: string, sampleRegex: string | null, options: InitOptions = {}): InitResult {
  const project = resolve(dir);
  const written = [join(dir, 'batch.json'), join(dir, 'manifest.csv')];
  if (options.overwrite !== true) {
    for (const f of written) if (existsSync(f)) throw new BatchProjectError(f, 'already exists; edit it, pass --overwrite to write the defaults again, or remove it to start again');
  }
  let re: RegExp | null = null;
  if (sampleRegex !== null) {
    try {
      re = new RegExp(sampleRegex);
    } catch (err) {
      throw new BatchProjectError('--sample', `is not a regular expression: ${(err as Error).message}`);
    }
  }
  const files = listImages(glob);
  const ids = new Map<string, number>();
  const rows = files.map((f) => {
    const name = basename(f);
    const m = re?.exec(name);
    if (re !== null && (m?.[1] === undefined)) throw new BatchProjectError('--sample', `'${sampleRegex}' has no first group matching the file name '${name}'; write the sample part in parentheses, e.g. '^([^_]+)_'`);
    const sample = m?.[1] ?? basename(dirname(resolve(f)));
    const stem = basename(name, extname(name)).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_');
    const n = (ids.get(stem) ?? 0) + 1;
    ids.set(stem, n);
    const item = n === 1 ? stem : `${stem}-${n}`;
    const abs = resolve(f);
    const rel = relative(project, abs);
    const input = rel.startsWith('..') ? abs : rel;
    return [item, input, sample].map(csvField).join(',');
  });
  mkdirSync(dir, { recursive: true });
  writeInPlace(join(dir, 'batch.json'), `${JSON.stringify(DEFAULT_CONFIG, null, 2)}\n`);
  writeInPlace(join(dir, 'manifest.csv'), `item,input,sample\n${rows.join('\n')}\n`);
  return { items: rows.length, samples: new Set(rows.map((r) => r.split(',').pop())).size, files: written };
}

/**
 * The images `glob` names: a folder (its entries), or a glob in the last path segment; entries are
 * files and `.zarr` folders (a Zarr image is a folder), hidden ones left out, sorted.
 */
function listImages(glob: string): string[] {
  const wild = hasGlob(basename(glob));
  if (hasGlob(dirname(glob))) throw new BatchProjectError(`--input ${glob}`, "wildcards are only allowed in the file name; give a glob such as 'input/*.tif'");
  const isImage = (p: string): boolean => {
    const st = statSync(p, { throwIfNoEntry: false });
    return st !== undefined && (st.isFile() || (st.isDirectory() && extname(p).toLowerCase() === '.zarr'));
  };
  const list = (dir: string, keep: (name: string) => boolean): string[] =>
    readdirSync(dir).filter((n) => !n.startsWith('.') && keep(n)).sort().map((n) => join(dir, n)).filter(isImage);
  let files: string[] = [];
  if (wild) {
    const re = globRegExp(basename(glob));
    if (existsSync(dirname(glob))) files = list(dirname(glob), (n) => re.test(n));
  } else if (isImage(glob)) files = [glob];
  else if (existsSync(glob) && statSync(glob).isDirectory()) files = list(glob, () => true);
  if (files.length === 0) throw new BatchProjectError(`--input ${glob}`, "no image matches; give the images as a folder or a glob such as 'input/*.tif' (* ? [abc] in the file name; .zarr folders count)");
  return files;
}

/** Writes `file` under a temporary name and renames it into place: a killed init leaves the old file or the new one. */
function writeInPlace(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);
  writeFileSync(temp, text);
  renameSync(temp, file);
}

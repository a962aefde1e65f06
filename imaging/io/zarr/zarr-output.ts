/**
 * The driver side of a Zarr write: `createZarrOutput` makes the store under a temporary name beside
 * the target (`.NAME.partial-…`) with every level's array metadata; tasks write the chunks
 * (write-zarr-chunks.ts); `commit` writes the OME-Zarr group metadata last and renames the store into
 * place, so a failed or killed run leaves no store under the final name. An existing store is
 * replaced only with `overwrite`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../../../core/index.js';
import type { ImageMeta } from '../../block.js';
import type { Shape3 } from '../../volume.js';
import { ImageFormatError } from '../image-format-error.js';
import { refuseExisting, removeStaleTemporaries, renameIntoPlace } from '../output-path.js';
import type { WriteCodec } from './chunk-codecs.js';
import type { DownsampleMethod } from './downsample.js';
import { arrayJson, imageGroupJson, labelsGroupJson } from './ome-metadata.js';
import type { ZarrTarget } from './write-zarr-chunks.js';

/** Options of a Zarr write (`img.write('out.zarr', options)`). */
export interface ZarrWriteOptions {
  /** Replace an existing store at the path (default: refuse). */
  readonly overwrite?: boolean;
  /** Pyramid levels below full resolution, each half the size of the one above (default 0). */
  readonly pyramid?: number;
  /** How levels are made: `mean` (default) or `mode` (default for labels). */
  readonly downsample?: DownsampleMethod;
  /**
   * A label image: mode downsampling and OME `image-label` metadata. Written at `IMAGE.zarr/labels/NAME`
   * it is also listed in that image's `labels` group.
   */
  readonly label?: boolean;
  /** Chunk compression: `gzip` (default) or `none`. */
  readonly codec?: 'gzip' | 'none';
  /** gzip level 1-9 (default 1: labels and masks compress well at the fastest level). */
  readonly gzipLevel?: number;
}

/** A store being written: what the tasks need, and how to finish or abandon it. */
export interface PendingZarr {
  readonly target: ZarrTarget;
  commit(): void;
  abandon(): void;
}

/** Creates the temporary store; fails, naming the path, before any task runs. */
export function createZarrOutput(path: string, meta: ImageMeta, options: ZarrWriteOptions = {}): PendingZarr {
  const levels = options.pyramid ?? 0;
  if (!Number.isInteger(levels) || levels < 0 || levels > 16) throw new ConfigError('pyramid', `pyramid must be an integer in 0..16, got ${String(options.pyramid)}`);
  const level = options.gzipLevel ?? 1;
  if (!Number.isInteger(level) || level < 1 || level > 9) throw new ConfigError('gzipLevel', `gzipLevel must be an integer in 1..9, got ${String(options.gzipLevel)}`);
  if (options.codec !== undefined && options.codec !== 'gzip' && options.codec !== 'none') throw new ConfigError('codec', `codec must be 'gzip' or 'none', got '${String(options.codec)}'`);
  const fail = (problem: string, fix: string, cause?: unknown): never => {
    throw new ImageFormatError(path, 'zarr', problem, fix, cause === undefined ? undefined : { cause });
  };
  refuseExisting(path, 'zarr', options.overwrite);
  removeStaleTemporaries(path);
  const labelsOf = labelsGroupOf(path);
  const downsampleZ = meta.shape[0] > 1;
  checkPyramidBlocks(meta, levels);
  const factors: Shape3[] = [];
  const levelChunks: Shape3[] = [];
  for (let k = 0; k <= levels; k++) {
    const f: Shape3 = [downsampleZ ? 2 ** k : 1, 2 ** k, 2 ** k];
    factors.push(f);
    levelChunks.push(ceilDiv(meta.blockShape, f));
  }
  const codecs: WriteCodec[] = options.codec === 'none' ? [] : [{ name: 'gzip', level }];
  const root = join(dirname(path), `.${basename(path)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    if (labelsOf !== null) mkdirSync(dirname(path), { recursive: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') fail(`cannot create ${dirname(path)}: ${(err as NodeJS.ErrnoException).code}`, `write the image ${labelsOf} first`, err);
  }
  try {
    mkdirSync(root);
    for (let k = 0; k <= levels; k++) {
      const shape = ceilDiv(meta.shape, factors[k]!);
      mkdirSync(join(root, String(k)));
      writeFileSync(join(root, String(k), 'zarr.json'), JSON.stringify(arrayJson(shape, levelChunks[k]!, meta.dtype, codecs), null, 2));
    }
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    fail(`cannot write: ${code ?? (err as Error).message}`, code === 'ENOENT' ? `create the folder ${dirname(path)} first` : 'check that the folder exists, is writable and has space', err);
  }
  const label = options.label === true;
  const target: ZarrTarget = { root, dtype: meta.dtype, levelChunks, codecs, downsampleZ, method: options.downsample ?? (label ? 'mode' : 'mean') };
  return {
    target,
    commit() {
      try {
        const name = basename(path).replace(/\.zarr$/i, '');
        writeFileSync(join(root, 'zarr.json'), JSON.stringify(imageGroupJson(name, meta.spacing, factors, label && labelsOf !== null), null, 2));
        renameIntoPlace(root, path, 'zarr', options.overwrite);
        if (labelsOf !== null) addToLabelsGroup(dirname(path), basename(path));
      } catch (err) {
        rmSync(root, { recursive: true, force: true });
        if (err instanceof ImageFormatError) throw err;
        fail(`cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'check that the folder is writable and has space', err);
      }
    },
    abandon() {
      // Tasks of the failed job may still be writing chunks (they cannot make the store's folders
      // again: write-zarr-chunks.ts mkdirsUnder); a file they add during the removal is retried.
      rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 10 });
    },
  };
}

/**
 * Throws `ConfigError` unless `levels` pyramid levels fall on whole chunks: along any axis with several
 * blocks (z only when it is downsampled, i.e. larger than 1), the block size is a multiple of 2^levels.
 */
export function checkPyramidBlocks(meta: ImageMeta, levels: number): void {
  const f = 2 ** levels;
  for (let a = 0; a < 3; a++) {
    if (a === 0 && meta.shape[0] === 1) continue;
    const bs = meta.blockShape[a]!;
    if (bs < meta.shape[a]! && bs % f !== 0) {
      throw new ConfigError(
        'pyramid',
        `pyramid: ${levels} levels need block sizes that are multiples of ${f} (chunk grid = block grid), but the ${'zyx'[a]} block size is ${bs}; ` +
          `pass a block shape such as ${meta.blockShape.map((b) => Math.max(f, Math.round(b / f) * f)).join('x')} (--block), or fewer levels`,
      );
    }
  }
}

/** For `IMAGE/labels/NAME` where IMAGE is a Zarr group: IMAGE; else null. */
function labelsGroupOf(path: string): string | null {
  const labels = dirname(path);
  if (basename(labels) !== 'labels') return null;
  const image = dirname(labels);
  return existsSync(join(image, 'zarr.json')) || existsSync(join(image, '.zgroup')) ? image : null;
}

/** Adds `name` to the `labels` group's list, creating the group when it is new. */
function addToLabelsGroup(labelsDir: string, name: string): void {
  const file = join(labelsDir, 'zarr.json');
  let names: string[] = [];
  if (existsSync(file)) {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { attributes?: { ome?: { labels?: unknown } } };
    const listed = doc.attributes?.ome?.labels;
    if (Array.isArray(listed)) names = listed.filter((n): n is string => typeof n === 'string');
  }
  if (!names.includes(name)) names.push(name);
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, JSON.stringify(labelsGroupJson(names), null, 2));
  renameSync(temp, file);
}

/** `ceil(a / b)` per axis. */
function ceilDiv(a: readonly [number, number, number], b: Shape3): Shape3 {
  return [Math.ceil(a[0] / b[0]), Math.ceil(a[1] / b[1]), Math.ceil(a[2] / b[2])];
}

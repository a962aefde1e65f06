/**
 * `voxelflow analyze <input>`: read → roi → box filter → threshold → label → shape statistics, with
 * optional outputs. The chain runs fused, one task per block, with nothing cached; labels are written
 * by the tasks of the relabel pass (.npy, .zarr). Outputs are written to temporary names and renamed
 * only when everything succeeded, so a failed run leaves no partial file behind; their folders are
 * checked before any work starts, and an existing .zarr store is replaced only with --overwrite.
 * `--labels X.zarr --filtered X.zarr` writes one OME-Zarr image with its labels at X.zarr/labels/labels.
 */
import { accessSync, constants, existsSync, lstatSync, realpathSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { tmpdir, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, Context, formatBytes, parseSize, type ContextOptions } from '../core/index.js';
import { isSpillDiskFullError } from '../core/errors.js';
import { readSecretFile } from '../cluster/secret.js';
import type { SgeOptions } from '../cluster/sge/index.js';
import { ImageFormatError, openImage, parseDType, PHANTOM_KINDS, writeImage, type ImageRDD, type OpenOptions, type ShapeRow, type SyntheticOptions, type Vec3 } from '../imaging/index.js';
import type { PhantomKind } from '../imaging/nodes/synthetic.js';
import { checkPyramidBlocks } from '../imaging/io/zarr/index.js';
import { showAnalysis } from './dashboard-previews.js';
import { Progress } from './progress.js';
import { uiPortFlag } from './ui-flag.js';
import { usage, UsageError } from './usage-error.js';

const HELP = `usage: voxelflow analyze <input> [options]

Reads an image (.npy, .tif/.tiff or a folder of TIFF slices, .raw, .mha/.mhd, .nrrd/.nhdr, .png,
.zarr: Zarr v2/v3 or OME-Zarr 0.4/0.5),
or generates a phantom (synthetic:KIND:XxYxZ[:SEED], KIND blobs, bone or known), then crops, smooths,
thresholds, labels connected components and measures them.

  --above T, --below T     foreground where value > T and/or value < T (at least one)
  --box R                  box filter radius before thresholding (f32 mean over (2R+1)^d)
  --roi x0,y0,z0,x1,y1,z1  crop to [x0, x1) x [y0, y1) x [z0, z1) first
  --connectivity C         6, 18 or 26 (3D), 4 or 8 (2D); default 26 (8 in 2D)
  --labels FILE            write u32 labels (.npy, .tif or .zarr: OME-Zarr 0.5, one gzip chunk per block)
  --filtered FILE          write the f32 box-filtered image (.npy, .tif or .zarr; needs --box); with
                           the same X.zarr as --labels, the labels go into it at X.zarr/labels/labels
  --pyramid N              .zarr outputs: N more levels, each half the size (mean; labels: mode)
  --overwrite              replace existing .zarr outputs (refused otherwise)
  --stats FILE             write one CSV row per label
  --preview FILE.png       write the middle z slice (filtered when --box) with the labels painted over it
  --master M               local, local[N], local[*] (default), a cluster (voxelflow://HOST:PORT) or sge
  --workers N              with --master sge: Grid Engine workers to submit (default 2)
  --worker-cores C         with --master sge: cores per worker (default 1)
  --queue Q, --walltime T  with --master sge: queue, and wall time HH:MM:SS of the worker jobs
  --secret-file F          the cluster's secret (default: the VOXELFLOW_SECRET variable)
  --memory SIZE            block-store budget of this driver, e.g. 8g (default: half of this machine's memory)
  --spill-dir DIR          where blocks past --memory spill (default: the OS temp dir); this run's files there go at exit
  --block ZxYxX            block shape (default: a few MB per block)
  --json                   print a JSON summary on stdout instead of text, and progress as JSON lines on stderr
  --quiet                  no progress on stderr
  --ui-port P              serve the live dashboard on 127.0.0.1:P while the analysis runs (0: a free port)
  --ui-wait                keep serving the dashboard after the analysis, until Ctrl-C
  --allow-outside-data     let a .nhdr/.mhd header read a data file outside its own folder (absolute
                           path, '..' or a symlink leading out); only for headers you trust
  raw input: --shape X,Y,Z --dtype u8|u16|i16|u32|i32|f32|f64 [--endian little|big] [--header-bytes N]`;

export async function runAnalyze(argv: string[]): Promise<number> {
  const a = parseFlags(argv);
  if (a === 'help') {
    console.log(HELP);
    return 0;
  }
  const t0 = performance.now();
  const timings = { read: 0, label: 0, stats: 0, write: 0, total: 0 };
  // Outputs are checked before any work: a missing folder costs nothing but this line.
  checkOutputs(a);
  // So is the input's header, before a context exists: creating one with --master sge submits jobs.
  if (a.synthetic === null) checkInput(a.input, a.open);
  const ctx = await createContext({
    master: a.master,
    memory: a.memory,
    ...(a.spillDir !== null ? { spillDir: a.spillDir } : {}),
    ...(a.secretFile !== null ? { secret: readSecretFile(a.secretFile) } : {}),
    ...(a.sge !== null ? { sge: a.sge } : {}),
    ...(a.uiPort !== null ? { ui: { port: a.uiPort } } : {}),
  });
  if (ctx.ui !== null) process.stderr.write(`voxelflow analyze: dashboard at ${ctx.ui.url}\n`);
  const progress = new Progress(ctx, a.quiet ? 'off' : a.json ? 'json' : 'auto');
  const temps: [string, string][] = [];
  try {
    let t = performance.now();
    const input = readInput(ctx, a);
    timings.read = performance.now() - t;
    // Nothing is cached: read, crop, filter, threshold and the block pass of labeling run fused in one
    // task per block (the filter reads its halo from the file), and the labels are written by the
    // relabel pass's tasks. The driver holds equivalences and statistics, never voxels.
    const img: ImageRDD = a.roi === null ? input : checkRoi(input, a.roi);
    const filtered: ImageRDD | null = a.box !== null ? img.boxFilter(a.box) : null;
    const mask = (filtered ?? img).threshold({ ...(a.above !== null ? { above: a.above } : {}), ...(a.below !== null ? { below: a.below } : {}) });
    t = performance.now();
    progress.begin('label', voxelsOf(img));
    const labels = mask.labelComponents({ ...(a.connectivity !== null ? { connectivity: a.connectivity } : {}), intensity: filtered ?? img });
    const components = await labels.componentCount();
    timings.label = performance.now() - t;
    t = performance.now();
    progress.begin('stats', voxelsOf(img));
    const rows = await labels.shapeStats();
    timings.stats = performance.now() - t;
    if (ctx.ui !== null) await showAnalysis(ctx.ui, filtered ?? img, labels, rows);
    t = performance.now();
    progress.begin('write', a.labels !== null ? voxelsOf(img) : 0);
    const zarr = { pyramid: a.pyramid, overwrite: a.overwrite };
    if (a.filtered !== null && filtered !== null && a.filtered === a.labels) {
      // One OME-Zarr image with its labels inside: labels/labels, listed in its labels group.
      temps.push(await writeTemp(a.filtered, async (tmp) => {
        await (filtered as ImageRDD).write(tmp, zarr);
        await labels.write(join(tmp, 'labels', 'labels'), { ...zarr, label: true });
      }));
    } else {
      if (a.labels !== null) temps.push(await writeTemp(a.labels, (tmp) => labels.write(tmp, isZarr(tmp) ? { ...zarr, label: true } : {})));
      if (a.filtered !== null && filtered !== null) temps.push(await writeTemp(a.filtered, (tmp) => (filtered as ImageRDD).write(tmp, isZarr(tmp) ? zarr : {})));
    }
    if (a.stats !== null) temps.push(await writeTemp(a.stats, async (tmp) => writeFileSync(tmp, statsCsv(rows))));
    if (a.preview !== null) {
      // The middle plane across z (the image itself in 2D), through its auto window, with the labels over it.
      const z = Math.floor(img.shape[0] / 2);
      const picture = (await (filtered ?? img).slice(z)).withLabels(await labels.slice(z));
      temps.push(await writeTemp(a.preview, async (tmp) => writeFileSync(tmp, picture.png())));
    }
    for (const [tmp, final] of temps.splice(0)) moveIntoPlace(tmp, final);
    timings.write = performance.now() - t;
    timings.total = performance.now() - t0;
    progress.end();
    const foreground = rows.reduce((n, r) => n + r.voxels, 0);
    report(a.json, img, components, foreground, rows, timings);
    if (a.uiWait && ctx.ui !== null) await untilInterrupted(`dashboard stays up at ${ctx.ui.url}; Ctrl-C to exit`);
    return 0;
  } catch (err) {
    progress.end();
    if (err instanceof ImageFormatError) throw new UsageError(err.message);
    if (isSpillDiskFullError(err)) throw new UsageError(spillFullLine(a.spillDir ?? tmpdir(), err.bytesNeeded));
    throw err;
  } finally {
    for (const [tmp] of temps) rmSync(tmp, { recursive: true, force: true });
    await ctx.stop();
  }
}

interface Flags {
  input: string;
  /** `synthetic:KIND:XxYxZ[:SEED]` as input: a phantom generated by the tasks instead of a file. */
  synthetic: SyntheticOptions | null;
  open: OpenOptions;
  above: number | null;
  below: number | null;
  box: number | null;
  roi: [number, number, number, number, number, number] | null;
  connectivity: 4 | 6 | 8 | 18 | 26 | null;
  labels: string | null;
  filtered: string | null;
  stats: string | null;
  preview: string | null;
  master: string;
  secretFile: string | null;
  memory: number;
  spillDir: string | null;
  sge: SgeOptions | null;
  block: Vec3 | null;
  pyramid: number;
  overwrite: boolean;
  json: boolean;
  quiet: boolean;
  uiPort: number | null;
  uiWait: boolean;
}

function parseFlags(argv: string[]): Flags | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        above: { type: 'string' },
        below: { type: 'string' },
        box: { type: 'string' },
        roi: { type: 'string' },
        connectivity: { type: 'string' },
        labels: { type: 'string' },
        filtered: { type: 'string' },
        stats: { type: 'string' },
        preview: { type: 'string' },
        master: { type: 'string', default: 'local[*]' },
        'secret-file': { type: 'string' },
        workers: { type: 'string' },
        memory: { type: 'string' },
        'spill-dir': { type: 'string' },
        'allow-outside-data': { type: 'boolean', default: false },
        'worker-cores': { type: 'string' },
        queue: { type: 'string' },
        walltime: { type: 'string' },
        block: { type: 'string' },
        pyramid: { type: 'string' },
        overwrite: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        'ui-port': { type: 'string' },
        'ui-wait': { type: 'boolean', default: false },
        shape: { type: 'string' },
        dtype: { type: 'string' },
        endian: { type: 'string' },
        'header-bytes': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw usage(err, 'analyze');
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (parsed.positionals.length !== 1) throw new UsageError(`expected one input path, got ${parsed.positionals.length}; run 'voxelflow analyze --help'`);
  const num = (name: string, s: string | undefined): number | null => {
    if (s === undefined) return null;
    const n = Number(s);
    if (s.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${s}'`);
    return n;
  };
  const ints = (name: string, s: string | undefined, count: number, sep: RegExp): number[] | null => {
    if (s === undefined) return null;
    const parts = s.split(sep).map((p) => Number(p));
    if (parts.length !== count || parts.some((p) => !Number.isInteger(p) || p < 0)) {
      throw new UsageError(`--${name} needs ${count} non-negative integers separated by '${sep.source.replace(/\\/g, '')}', got '${s}'`);
    }
    return parts;
  };
  const above = num('above', v.above);
  const below = num('below', v.below);
  if (above === null && below === null) throw new UsageError('give --above T and/or --below T to choose the foreground');
  if (above !== null && below !== null && above >= below) throw new UsageError(`--above ${above} --below ${below} selects nothing (foreground is above < v < below); did you mean --below ${above} --above ${below}?`);
  const box = num('box', v.box);
  if (box !== null && (!Number.isInteger(box) || box < 0 || box > 64)) throw new UsageError(`--box must be an integer radius in 0..64, got '${v.box}'`);
  const conn = num('connectivity', v.connectivity);
  if (conn !== null && ![4, 6, 8, 18, 26].includes(conn)) throw new UsageError(`--connectivity must be 6, 18 or 26 (3D) or 4 or 8 (2D), got '${v.connectivity}'`);
  const block = ints('block', v.block, 3, /x/);
  if (block !== null && block.some((b) => b < 1)) throw new UsageError(`--block sizes must be >= 1, got '${v.block}'`);
  const open: { -readonly [K in keyof OpenOptions]: OpenOptions[K] } = {};
  const shape = ints('shape', v.shape, 3, /,/);
  if (shape !== null) open.shape = shape as [number, number, number];
  if (v.dtype !== undefined) {
    const d = parseDType(v.dtype);
    if (d === null) throw new UsageError(`--dtype must be one of u8, u16, i16, u32, i32, f32, f64, got '${v.dtype}'`);
    open.dtype = d;
  }
  if (v.endian !== undefined) {
    if (v.endian !== 'little' && v.endian !== 'big') throw new UsageError(`--endian must be 'little' or 'big', got '${v.endian}'`);
    open.endian = v.endian;
  }
  const hb = ints('header-bytes', v['header-bytes'], 1, /,/);
  if (hb !== null) open.headerBytes = hb[0] as number;
  if (v['allow-outside-data'] === true) open.allowOutsideData = true;
  for (const [flag, file] of [['labels', v.labels], ['filtered', v.filtered]] as const) {
    if (file !== undefined && !['.npy', '.tif', '.tiff', '.raw', '.zarr'].includes(extname(file).toLowerCase())) {
      throw new UsageError(`--${flag} must end in .npy, .tif or .tiff (or .raw, little-endian C order, or .zarr for OME-Zarr), got '${file}'`);
    }
  }
  if (v.labels !== undefined && v.labels === v.filtered && !isZarr(v.labels)) throw new UsageError(`--labels and --filtered name the same file '${v.labels}'; only a .zarr store holds both`);
  const pyramid = ints('pyramid', v.pyramid, 1, /,/)?.[0] ?? 0;
  if (pyramid > 16) throw new UsageError(`--pyramid must be an integer in 0..16, got '${v.pyramid}'`);
  if (pyramid > 0 && ![v.labels, v.filtered].some((f) => f !== undefined && isZarr(f))) throw new UsageError('--pyramid needs a .zarr output (--labels or --filtered)');
  if (v.preview !== undefined && extname(v.preview).toLowerCase() !== '.png') throw new UsageError(`--preview must end in .png, got '${v.preview}'`);
  if (v.filtered !== undefined && box === null) throw new UsageError('--filtered needs --box R (there is no filtered image otherwise)');
  return {
    // Absolute, so that cluster workers started elsewhere read the same file.
    input: resolve(parsed.positionals[0] as string),
    synthetic: syntheticInput(parsed.positionals[0] as string),
    open,
    above,
    below,
    box,
    roi: ints('roi', v.roi, 6, /,/) as Flags['roi'],
    connectivity: conn as Flags['connectivity'],
    labels: v.labels ?? null,
    filtered: v.filtered ?? null,
    stats: v.stats ?? null,
    preview: v.preview ?? null,
    master: v.master ?? 'local[*]',
    secretFile: v['secret-file'] ?? null,
    // Nothing of the pipeline is cached; the budget covers shuffle outputs (boundary faces, partial
    // statistics) and whatever the user's session caches. Past it, blocks spill to --spill-dir.
    memory: memoryFlag(v.memory),
    spillDir: v['spill-dir'] === undefined ? null : resolve(v['spill-dir']),
    sge: sgeFlags(v.master ?? 'local[*]', { workers: v.workers, cores: v['worker-cores'], queue: v.queue, walltime: v.walltime }),
    block: block === null ? null : (block as Vec3),
    pyramid,
    overwrite: v.overwrite ?? false,
    json: v.json ?? false,
    quiet: v.quiet ?? false,
    uiPort: uiPortFlag(v['ui-port']),
    uiWait: v['ui-wait'] ?? false,
  };
}

/** `synthetic:KIND:XxYxZ[:SEED]` (sizes as for raw files: x first), or null for a file path. */
function syntheticInput(text: string): SyntheticOptions | null {
  if (!text.startsWith('synthetic:')) return null;
  const m = /^synthetic:([a-z]+):(\d+)x(\d+)x(\d+)(?::(\d+))?$/.exec(text);
  const kind = m?.[1] as PhantomKind | undefined;
  if (m === null || kind === undefined || !PHANTOM_KINDS.includes(kind) || [m[2], m[3], m[4]].some((n) => Number(n) < 1)) {
    throw new UsageError(`input '${text}': a synthetic input is synthetic:KIND:XxYxZ[:SEED] with KIND ${PHANTOM_KINDS.join(', ')} and sizes >= 1, e.g. synthetic:bone:512x512x512`);
  }
  return { kind, shape: [Number(m[4]), Number(m[3]), Number(m[2])], ...(m[5] !== undefined ? { seed: Number(m[5]) } : {}) };
}

/** Context.create, with a spill folder it cannot make reported as a bad --spill-dir. */
async function createContext(options: ContextOptions): Promise<Context> {
  try {
    return await Context.create(options);
  } catch (err) {
    if (err instanceof ConfigError && err.option === 'spillDir') throw new UsageError(`--spill-dir: ${err.message.replace(/^spillDir: /, '')}`);
    if (err instanceof ConfigError && err.option === 'master' && /unknown master|needs N >= 1/.test(err.message)) throw new UsageError(`--master: ${err.message}`);
    throw err;
  }
}

/**
 * The one line for a full spill disk of this driver: where, how much, and the flags that fix it. The
 * run's spill folder inside `dir` is removed by ctx.stop() in runAnalyze's finally.
 */
function spillFullLine(dir: string, needed: number): string {
  return `spill directory ${dir} is full: this run needed at least ${formatBytes(needed)} there; pass --spill-dir DIR on a disk with more room (or a larger --memory so less spills)`;
}

function untilInterrupted(message: string): Promise<void> {
  process.stderr.write(`voxelflow analyze: ${message}\n`);
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

function memoryFlag(text: string | undefined): number {
  if (text === undefined) return Math.floor(totalmem() / 2);
  try {
    return parseSize(text, 'memory');
  } catch {
    throw new UsageError(`--memory must be a size such as 8g or 512m, got '${text}'`);
  }
}

/** The Grid Engine options of `--master sge`; the flags are refused with any other master. */
function sgeFlags(master: string, f: { workers: string | undefined; cores: string | undefined; queue: string | undefined; walltime: string | undefined }): SgeOptions | null {
  const given = Object.entries(f).filter(([, v]) => v !== undefined).map(([k]) => (k === 'cores' ? '--worker-cores' : `--${k}`));
  if (master !== 'sge') {
    if (given.length > 0) throw new UsageError(`${given[0]} needs --master sge`);
    return null;
  }
  const whole = (flag: string, s: string | undefined): number | undefined => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number >= 1, got '${s}'`);
    return n;
  };
  const workers = whole('--workers', f.workers);
  const cores = whole('--worker-cores', f.cores);
  return { ...(workers !== undefined ? { workers } : {}), ...(cores !== undefined ? { cores } : {}), ...(f.queue !== undefined ? { queue: f.queue } : {}), ...(f.walltime !== undefined ? { walltime: f.walltime } : {}) };
}

const voxelsOf = (img: ImageRDD): number => img.shape[0] * img.shape[1] * img.shape[2];

function checkRoi(img: ImageRDD, r: NonNullable<Flags['roi']>): ImageRDD {
  try {
    return img.roi([r[0], r[1], r[2]], [r[3], r[4], r[5]]);
  } catch (err) {
    throw new UsageError(`--roi: ${(err as Error).message.replace(/^roi: /, '')}`);
  }
}

const isZarr = (path: string): boolean => extname(path).toLowerCase() === '.zarr';

/**
 * The input image, read from a file or generated. With --pyramid and no --block, the automatic block
 * shape is rounded to multiples of 2^N, so that every level falls on whole chunks (chunk grid = block
 * grid); a --block that does not is refused here, before any work.
 */
/** Opens the input's header (no voxels read): a missing or unreadable input is a usage error. */
function checkInput(path: string, open: OpenOptions): void {
  try {
    openImage(path, open);
  } catch (err) {
    if (err instanceof ImageFormatError) throw new UsageError(err.message);
    throw err;
  }
}

function readInput(ctx: Context, a: Flags): ImageRDD {
  const make = (blockShape: Vec3 | null): ImageRDD => {
    const bs = blockShape !== null ? { blockShape } : {};
    return a.synthetic !== null ? ctx.images.synthetic({ ...a.synthetic, ...bs }) : ctx.images.read(a.input, { ...a.open, ...bs });
  };
  let input = make(a.block);
  if (a.pyramid === 0) return input;
  const f = 2 ** a.pyramid;
  if (a.block === null) {
    const aligned = input.blockShape.map((b, i) => (b >= input.shape[i]! ? b : Math.max(f, Math.floor(b / f) * f))) as unknown as Vec3;
    if (aligned.some((b, i) => b !== input.blockShape[i])) input = make(aligned);
  }
  try {
    checkPyramidBlocks(input.meta, a.pyramid);
  } catch (err) {
    throw new UsageError(`--pyramid: ${(err as Error).message.replace(/^pyramid: /, '')}`);
  }
  return input;
}

/** Renames a finished output into place; a .zarr store in the way was checked against --overwrite. */
function moveIntoPlace(tmp: string, final: string): void {
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
function checkOutputs(a: Flags): void {
  const outputs = (['labels', 'filtered', 'stats', 'preview'] as const).filter((flag) => a[flag] !== null);
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

async function writeTemp(final: string, write: (tmp: string) => Promise<void>): Promise<[string, string]> {
  const tmp = join(dirname(final), `.${basename(final, extname(final))}.tmp-${process.pid}${extname(final)}`);
  await write(tmp);
  return [tmp, final];
}

/**
 * The --stats CSV: one row per label, in label order, voxel index coordinates; the same columns as
 * `tableFromShapeStats` (so the CSV reads back as that table): extent_1..3 are the standard deviations
 * of the component's voxel coordinates along its principal axes, largest first.
 */
export function statsCsv(rows: readonly ShapeRow[]): string {
  const head = 'label,voxels,centroid_x,centroid_y,centroid_z,bbox_min_x,bbox_min_y,bbox_min_z,bbox_max_x,bbox_max_y,bbox_max_z,mean_intensity,extent_1,extent_2,extent_3';
  const lines = rows.map((r) => [r.label, r.voxels, ...r.centroid.map(round), ...r.bboxMin, ...r.bboxMax, round(r.meanIntensity), ...r.extents.map(round)].join(','));
  return `${[head, ...lines].join('\n')}\n`;
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(10).replace(/\.?0+$/, '');
}

function report(json: boolean, img: ImageRDD, components: number, foreground: number, rows: readonly ShapeRow[], timings: Record<string, number>): void {
  const ms = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  if (json) {
    console.log(JSON.stringify({ shape: img.shape, dtype: img.dtype, components, voxels_foreground: foreground, timings_ms: ms }));
    return;
  }
  const [z, y, x] = img.shape;
  console.log(`image        ${x} x ${y} x ${z} (x, y, z) ${img.dtype}`);
  console.log(`foreground   ${foreground.toLocaleString('en-US')} voxels in ${components.toLocaleString('en-US')} components`);
  const biggest = [...rows].sort((p, q) => q.voxels - p.voxels).slice(0, 3);
  for (const r of biggest) console.log(`  label ${r.label}: ${r.voxels.toLocaleString('en-US')} voxels at (${r.centroid.map((c) => c.toFixed(1)).join(', ')})`);
  console.log(`time         ${Object.entries(ms).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
}

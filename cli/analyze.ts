/**
 * `voxelflow analyze <input>`: read → roi → box filter → threshold → label → shape statistics, with
 * optional outputs. The chain runs fused, one task per block, with nothing cached; labels are written
 * by the tasks of the relabel pass (.npy, .zarr). Outputs are written to temporary names and renamed
 * only when everything succeeded, so a failed run leaves no partial file behind; their folders are
 * checked before any work starts, and an existing output (file or .zarr store) is replaced only with --overwrite.
 * `--labels X.zarr --filtered X.zarr` writes one OME-Zarr image with its labels at X.zarr/labels/labels.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ConfigError, Context, formatBytes, type ContextOptions } from '../core/index.js';
import { isSpillDiskFullError } from '../core/errors.js';
import { readSecretFile } from '../cluster/secret.js';
import { ImageFormatError, openImage, type ImageRDD, type OpenOptions, ShapeTable, type Vec3 } from '../imaging/index.js';
import { checkPyramidBlocks } from '../imaging/io/zarr/index.js';
import { HELP, isZarr, parseFlags, type Flags } from './analyze-flags.js';
import { checkOutputs, moveIntoPlace, writeTemp } from './analyze-outputs.js';
import { showAnalysis } from './dashboard-previews.js';
import { writeStatsCsv } from './stats-csv.js';
import { Progress } from './progress.js';
import { UsageError } from './usage-error.js';
import { thousands } from '../core/thousands.js';

export async function runAnalyze(argv: string[]): Promise<number> {
  const a = parseFlags(argv);
  if (a === 'help') {
    console.log(HELP);
    return 0;
  }
  return runAnalysis(a, {
    // The input's header is checked before a context exists: creating one with --master sge submits jobs.
    check: () => {
      if (a.synthetic === null) checkInput(a.input, a.open);
    },
    read: async (ctx) => ({ image: readInput(ctx, a), facts: {} }),
  });
}

/** Where `runAnalysis` gets its image: checked before the context exists, read once it does. */
export interface AnalysisInput {
  /** Checks the input without a context (usage errors before any work or job submission). */
  check(): void | Promise<void>;
  /** The image, and facts about it for the report (e.g. a reconstruction's centre). */
  read(ctx: Context): Promise<{ image: ImageRDD; facts: Record<string, number | string> }>;
}

/**
 * `voxelflow analyze` over any input (`voxelflow reconstruct` gives a reconstruction): a context, the
 * analysis (analyzeOnContext) and the report, with the input's facts in it.
 */
export async function runAnalysis(a: Flags, source: AnalysisInput): Promise<number> {
  const t0 = performance.now();
  // Outputs are checked before any work: a missing folder costs nothing but this line.
  checkOutputs(a);
  await source.check();
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
  try {
    const t = performance.now();
    const { image, facts } = await source.read(ctx);
    const opened = performance.now() - t;
    const result = await analyzeOnContext(ctx, a, progress, true, image);
    const timings: Record<string, number> = { ...result.timings, read: result.timings.read + opened, total: performance.now() - t0 };
    if (result.components === null) {
      delete timings['label'];
      delete timings['stats'];
    }
    progress.end();
    report(a.json, result.image, result.components, result.foreground, result.table, timings, facts);
    if (a.uiWait && ctx.ui !== null) await untilInterrupted(`dashboard stays up at ${ctx.ui.url}; Ctrl-C to exit`);
    return 0;
  } catch (err) {
    progress.end();
    if (err instanceof ImageFormatError) throw new UsageError(err.message);
    if (isSpillDiskFullError(err)) throw new UsageError(spillFullLine(a.spillDir ?? tmpdir(), err.bytesNeeded));
    throw err;
  } finally {
    await ctx.stop();
  }
}

/** What one analysis found, and how long its steps took (ms). */
export interface Analysis {
  readonly image: ImageRDD;
  /** null when nothing was labeled (reconstruct without --above/--below). */
  readonly components: number | null;
  readonly foreground: number;
  /** The statistics of every component (typed-array batches: millions of components fit). */
  readonly table: ShapeTable;
  readonly timings: { read: number; label: number; stats: number; write: number };
}

/**
 * The analysis of one input on a running context: read → roi → box filter → threshold → label →
 * statistics, and the outputs `a` names, written under temporary names and moved into place only when
 * all succeeded. `voxelflow analyze` runs it once; `voxelflow batch run` runs it per item, several at
 * once, on one shared context (without `previews` on its dashboard). Errors propagate unchanged (an
 * unreadable input is an ImageFormatError). `given` replaces the input `a` names (a reconstruction);
 * with neither --above nor --below (reconstruct only) the image is written (--out), not labeled.
 */
export async function analyzeOnContext(ctx: Context, a: Flags, progress: Progress | null, previews = true, given: ImageRDD | null = null): Promise<Analysis> {
  const timings = { read: 0, label: 0, stats: 0, write: 0 };
  const temps: [string, string][] = [];
  try {
    let t = performance.now();
    const input = given ?? readInput(ctx, a);
    timings.read = performance.now() - t;
    // Nothing is cached: read, crop, filter, threshold and the block pass of labeling run fused in one
    // task per block (the filter reads its halo from the file), and the labels are written by the
    // relabel pass's tasks. The driver holds equivalences and statistics, never voxels.
    const img: ImageRDD = a.roi === null ? input : checkRoi(input, a.roi);
    const filtered: ImageRDD | null = a.box !== null ? img.boxFilter(a.box) : null;
    const zarr = { pyramid: a.pyramid, overwrite: a.overwrite };
    if (a.above === null && a.below === null) {
      t = performance.now();
      progress?.begin('write', voxelsOf(img));
      if (a.out !== null) temps.push(await writeTemp(a.out, (tmp) => img.write(tmp, isZarr(tmp) ? zarr : {})));
      if (a.filtered !== null && filtered !== null) temps.push(await writeTemp(a.filtered, (tmp) => (filtered as ImageRDD).write(tmp, isZarr(tmp) ? zarr : {})));
      if (a.preview !== null) {
        const picture = await (filtered ?? img).slice(Math.floor(img.shape[0] / 2));
        temps.push(await writeTemp(a.preview, async (tmp) => writeFileSync(tmp, picture.png())));
      }
      for (const [tmp, final] of temps.splice(0)) moveIntoPlace(tmp, final, a.overwrite);
      timings.write = performance.now() - t;
      return { image: img, components: null, foreground: 0, table: new ShapeTable([]), timings };
    }
    const mask = (filtered ?? img).threshold({ ...(a.above !== null ? { above: a.above } : {}), ...(a.below !== null ? { below: a.below } : {}) });
    t = performance.now();
    progress?.begin('label', voxelsOf(img));
    const labels = mask.labelComponents({ ...(a.connectivity !== null ? { connectivity: a.connectivity } : {}), intensity: filtered ?? img });
    const components = await labels.componentCount();
    timings.label = performance.now() - t;
    t = performance.now();
    progress?.begin('stats', voxelsOf(img));
    const table = await labels.shapeTable();
    timings.stats = performance.now() - t;
    if (ctx.ui !== null && previews) await showAnalysis(ctx.ui, filtered ?? img, labels, table);
    t = performance.now();
    progress?.begin('write', a.labels !== null || a.out !== null ? voxelsOf(img) : 0);
    if (a.out !== null) temps.push(await writeTemp(a.out, (tmp) => img.write(tmp, isZarr(tmp) ? zarr : {})));
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
    if (a.stats !== null) temps.push(await writeTemp(a.stats, async (tmp) => writeStatsCsv(tmp, table)));
    if (a.preview !== null) {
      // The middle plane across z (the image itself in 2D), through its auto window, with the labels over it.
      const z = Math.floor(img.shape[0] / 2);
      const picture = (await (filtered ?? img).slice(z)).withLabels(await labels.slice(z));
      temps.push(await writeTemp(a.preview, async (tmp) => writeFileSync(tmp, picture.png())));
    }
    for (const [tmp, final] of temps.splice(0)) moveIntoPlace(tmp, final, a.overwrite);
    timings.write = performance.now() - t;
    return { image: img, components, foreground: table.voxels(), table, timings };
  } finally {
    for (const [tmp] of temps) rmSync(tmp, { recursive: true, force: true });
  }
}

/** Context.create, with a spill folder it cannot make reported as a bad --spill-dir and an unknown master as a bad --master (usage errors). */
export async function createContext(options: ContextOptions): Promise<Context> {
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

const voxelsOf = (img: ImageRDD): number => img.shape[0] * img.shape[1] * img.shape[2];

function checkRoi(img: ImageRDD, r: NonNullable<Flags['roi']>): ImageRDD {
  try {
    return img.roi([r[0], r[1], r[2]], [r[3], r[4], r[5]]);
  } catch (err) {
    throw new UsageError(`--roi: ${(err as Error).message.replace(/^roi: /, '')}`);
  }
}

/** Opens the input's header (no voxels read): a missing or unreadable input is a usage error. */
function checkInput(path: string, open: OpenOptions): void {
  try {
    openImage(path, open);
  } catch (err) {
    if (err instanceof ImageFormatError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * The input image, read from a file or generated. With --pyramid and no --block, the automatic block
 * shape is rounded to multiples of 2^N, so that every level falls on whole chunks (chunk grid = block
 * grid); a --block that does not is refused here, before any work.
 */
function readInput(ctx: Context, a: Flags): ImageRDD {
  const make = (blockShape: Vec3 | null): ImageRDD => {
    const bs = blockShape !== null ? { blockShape } : {};
    return a.synthetic !== null ? ctx.images.synthetic({ ...a.synthetic, ...bs }) : ctx.images.read(a.input, { ...a.open, ...bs });
  };
  let input = make(a.block);
  if (a.pyramid === 0) return input;
  const f = 2 ** a.pyramid;
  if (a.block === null) {
    const align = (i: 0 | 1 | 2): number => {
      const b = input.blockShape[i];
      return b >= input.shape[i] ? b : Math.max(f, Math.floor(b / f) * f);
    };
    const aligned: Vec3 = [align(0), align(1), align(2)];
    if (aligned.some((b, i) => b !== input.blockShape[i])) input = make(aligned);
  }
  try {
    checkPyramidBlocks(input.meta, a.pyramid);
  } catch (err) {
    throw new UsageError(`--pyramid: ${(err as Error).message.replace(/^pyramid: /, '')}`);
  }
  return input;
}

function report(json: boolean, img: ImageRDD, components: number | null, foreground: number, table: ShapeTable, timings: Record<string, number>, facts: Record<string, number | string> = {}): void {
  const ms = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  if (json) {
    const counts = components === null ? {} : { components, voxels_foreground: foreground };
    console.log(JSON.stringify({ shape: img.shape, dtype: img.dtype, ...facts, ...counts, timings_ms: ms, peak_rss_mb: peakRssMiB() }));
    return;
  }
  const [z, y, x] = img.shape;
  console.log(`image        ${x} x ${y} x ${z} (x, y, z) ${img.dtype}`);
  for (const [k, v] of Object.entries(facts)) console.log(`${k.padEnd(12)} ${typeof v === 'number' ? Math.round(v * 1000) / 1000 : v}`);
  if (components !== null) {
    console.log(`foreground   ${thousands(foreground)} voxels in ${thousands(components)} components`);
    const biggest = table.largest(3);
    for (const r of biggest) console.log(`  label ${r.label}: ${thousands(r.voxels)} voxels at (${r.centroid.map((c) => c.toFixed(1)).join(', ')})`);
  }
  console.log(`time         ${Object.entries(ms).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
  console.log(`memory       peak RSS ${peakRssMiB()} MiB (driver and worker threads)`);
}

/** The process's peak resident memory so far, in MiB: the driver and its worker threads together. */
function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/**
 * `voxelflow stream --connect tcp://HOST:PORT`: receives detector scans over ZeroMQ and runs
 * box filter → threshold → label → statistics on each (the analyze command's pipeline), printing
 * one line per scan. Runs until interrupted; SIGINT finishes the scan in hand (within --grace-s, then
 * aborts it), a second one exits at once. Each scan holds at most --max-scan-mb; one that would pass
 * it is aborted and reported, and the stream goes on.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '../core/index.js';
import { PROTOCOLS, StreamingContext, defaultMaxScanBytes, type ProtocolName, type Scan, type SocketKind, type StreamTotals } from '../streaming/index.js';
import { statsCsv } from './stats-csv.js';
import { showAnalysis } from './dashboard-previews.js';
import { uiPortFlag } from './ui-flag.js';
import type { Dashboard } from '../ui/index.js';
import { enumFlag, integerFlag, numberFlag, parseCommandLine, UsageError, type NumberRule } from './flags.js';
import { centerFlag, filterFlag } from './tomo-flags.js';
import { FILTER_NAMES } from '../tomo/index.js';
import type { ImageRDD } from '../imaging/index.js';
import { isImageFormatError } from '../imaging/io/index.js';
import { renameIntoPlace } from '../imaging/io/output-path.js';
import { reconstructScan, StreamReconstructor, type StreamReconstruct } from './stream-reconstruct.js';

const mibDefault = (): string => `${defaultMaxScanBytes(256 * 1024 * 1024) / 1048576} MiB with the default queue`;

const HELP = `usage: voxelflow stream --connect tcp://HOST:PORT [options]

Connects to a detector (or 'voxelflow simulate-beamline'), assembles each series into a volume and
runs box filter → threshold → label → statistics on it, one line per scan.

  --connect ENDPOINT       ZeroMQ endpoint of the detector's bound PUSH/PUB socket
  --protocol P             simplon-v1 (default) or array-1.0
  --socket S               pull (default: lossless, backpressure) or sub (live: drops oldest, counted)
  --above T, --below T     foreground where value > T and/or value < T (at least one)
  --box R                  box filter radius before thresholding
  --connectivity C         6, 18 or 26 (default 26)
  --stats-dir DIR          write <series>.csv per scan (the analyze command's --stats columns)
  --preview FILE.png       after every scan, replace FILE.png with its middle slice and the labels over it
  --overwrite              replace an existing --preview file, and <series>.csv / .npy files already in
                           --stats-dir / --volumes (refused otherwise: the preview before anything starts,
                           a scan's file in that scan's line)
  --scans N                stop after N scans (default: run until interrupted)
  --queue-mb M             receive queue bound in MiB (default 256)
  --max-scan-mb M          memory one scan may hold, MiB: a scan whose frames or volume would pass it
                           is aborted and reported, the rest of its series dropped (counted), and the
                           stream goes on (default: (half the memory - the queue) / 8, here
                           ${mibDefault()})
  --grace-s S              Ctrl-C waits at most S seconds for the scan in hand to end, then aborts
                           it (reported, not analyzed) and exits (default 30)
  --idle-ms MS             array-1.0: a scan ends after MS without frames (default 1000)
  --master M               local, local[N] or local[*] (default local[*])
  --ui-port P              serve the live dashboard (scans, jobs, the latest scan's labels) on 127.0.0.1:P
  --json                   one JSON line per scan: { series, status, why, frames, missing,
                           missing_count, malformed, dropped, shape, components, voxels_foreground,
                           latency_ms, ... }
  --reconstruct            tomography: reconstruct each scan from its dark, flat and projection
                           frames (appendix { frameType, angle }) and analyze the volume; the line adds
                           center and missing_projections (projections without an angle, left out)
  --center C|auto          with --reconstruct: the rotation axis in columns. Projections are back-projected
                           as they come; with auto (the default) around the previous scan's centre (the
                           middle column for the first), and the scan is recomputed when the centre found
                           at its end is more than 0.25 px away (the line says which happened)
  --filter NAME            with --reconstruct: ${FILTER_NAMES.join(', ')} (default ramp)
  --no-flat                with --reconstruct: the projections are transmission already (no flats)
  --volumes DIR            with --reconstruct: write each reconstructed volume as DIR/<series>.npy`;

interface Flags {
  connect: string;
  protocol: ProtocolName;
  socket: SocketKind;
  above: number | null;
  below: number | null;
  box: number | null;
  connectivity: 6 | 18 | 26;
  statsDir: string | null;
  preview: string | null;
  scans: number | null;
  queueBytes: number;
  maxScanBytes: number | null;
  graceMs: number;
  idleMs: number;
  master: string;
  json: boolean;
  uiPort: number | null;
  /** Replace existing outputs (the preview, a series' CSV or volume) instead of refusing them. */
  overwrite: boolean;
  reconstruct: StreamReconstruct | null;
}

export async function runStream(argv: string[]): Promise<number> {
  const a = parseFlags(argv);
  if (a === 'help') {
    console.log(HELP);
    return 0;
  }
  if (a.statsDir !== null) mkdirSync(a.statsDir, { recursive: true });
  const ctx = await Context.create({ master: a.master, ...(a.uiPort !== null ? { ui: { port: a.uiPort } } : {}) });
  if (ctx.ui !== null) process.stderr.write(`voxelflow stream: dashboard at ${ctx.ui.url}\n`);
  const ssc = new StreamingContext(ctx, { batchIntervalMs: 1000 });
  const beam = ssc.zmqStream({ connect: a.connect, protocol: a.protocol, socket: a.socket, maxQueueBytes: a.queueBytes, idleTimeoutMs: a.idleMs, graceMs: a.graceMs, ...(a.maxScanBytes !== null ? { maxScanBytes: a.maxScanBytes } : {}) });
  // --reconstruct: projections are back-projected as they arrive, in the decoding loop.
  const reconstructor = a.reconstruct === null ? null : new StreamReconstructor(a.reconstruct);
  if (reconstructor !== null) beam.onFrame((e) => reconstructor.frame(e));
  let done = 0;
  beam.scans().foreach(async (scan) => {
    const line = await analyzeScan(ctx, scan, a, ctx.ui, reconstructor);
    console.log(a.json ? JSON.stringify(line) : textLine(line));
    if (a.scans !== null && ++done >= a.scans) void ssc.stop({ graceful: false });
  });
  let interrupts = 0;
  const onSigint = (): void => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write(`voxelflow stream: stopping after the scan in hand, within ${a.graceMs / 1000} s (Ctrl-C again to quit now)\n`);
    void ssc.stop({ graceful: true });
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    await ssc.start();
    // Until the first frame comes nothing else is printed: say what it waits for, so that a silent
    // terminal is not mistaken for a hang (or a detector that is not running for a slow pipeline).
    process.stderr.write(`voxelflow stream: waiting for a detector at ${a.connect} (${a.protocol}, ${a.socket}); Ctrl-C to stop\n`);
    await ssc.awaitTermination();
    const t = beam.totals;
    process.stderr.write(
      `voxelflow stream: ${t.messages} messages: ${t.processed} frames processed, ${t.duplicates} duplicate, ${t.malformed} malformed, ${t.dropped} dropped${droppedWhy(t.droppedReasons)}, ${t.control} control, ${t.discarded} discarded at stop; ` +
        `scans ${t.scans.complete} complete, ${t.scans.incomplete} incomplete, ${t.scans.aborted} aborted\n`,
    );
    return beam.pipelineErrors > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await ctx.stop();
  }
}

function droppedWhy(reasons: StreamTotals['droppedReasons']): string {
  const parts = Object.entries(reasons).map(([why, n]) => `${n} ${why}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** The per-scan line: accounting plus the analysis result. */
interface ScanLine {
  series: string;
  status: string;
  /** Why an aborted scan was cut short, e.g. 'scan-too-large: ...'. */
  why: string | null;
  frames: number;
  expected: number | null;
  /** The first missing frame numbers (up to 1000); missing_count counts them all. */
  missing: readonly number[];
  missing_count: number;
  duplicates: number;
  malformed: number;
  dropped: number;
  shape: readonly number[] | null;
  components: number | null;
  voxels_foreground: number | null;
  latency_ms: number;
  /**
   * --reconstruct: the rotation axis the volume was made with (found or given), the one found at the
   * end (auto), the provisional one projections were back-projected with as they came, whether the
   * volume was recomputed at the end and why, and the projections left out for lack of an angle.
   */
  center?: number | null;
  center_found?: number | null;
  center_provisional?: number | null;
  recomputed?: boolean | null;
  recompute_why?: string | null;
  missing_projections?: number | null;
}

async function analyzeScan(ctx: Context, scan: Scan, a: Flags, ui: Dashboard | null, reconstructor: StreamReconstructor | null): Promise<ScanLine> {
  const r = scan.report;
  let components: number | null = null;
  let foreground: number | null = null;
  const arriving = reconstructor?.take(r.series) ?? null;
  let tomo: Pick<ScanLine, 'center' | 'center_found' | 'center_provisional' | 'recomputed' | 'recompute_why' | 'missing_projections'> | null =
    a.reconstruct === null ? null : { center: null, center_found: null, center_provisional: null, recomputed: null, recompute_why: null, missing_projections: null };
  let problem: string | null = null;
  let shape: readonly number[] | null = r.shape;
  let release = (): void => {};
  // A scan the stop cut short is reported, not analyzed: Ctrl-C must not wait for it.
  if (scan.data !== null && r.abort?.reason !== 'stopped') {
    let img: ImageRDD | null = null;
    if (a.reconstruct === null) {
      img = scan.volume;
    } else {
      try {
        const rec = await reconstructScan(ctx, scan, a.reconstruct, arriving, reconstructor);
        img = rec.image;
        shape = img.shape;
        release = rec.release;
        const round = (c: number | null): number | null => (c === null ? null : Math.round(c * 1000) / 1000);
        tomo = {
          center: round(rec.center), center_found: round(rec.centerFound), center_provisional: round(rec.centerProvisional),
          recomputed: rec.recomputed !== null, recompute_why: rec.recomputed, missing_projections: rec.missingProjections,
        };
        if (a.reconstruct.volumes !== null) await img.write(join(a.reconstruct.volumes, `${safeName(r.series)}.npy`), { overwrite: a.overwrite });
      } catch (err) {
        // A scan that cannot be reconstructed is reported in its line, and the stream goes on.
        if (!isImageFormatError(err)) throw err;
        problem = `reconstruct: ${(err as Error).message}`;
      }
    }
    if (img !== null) await measure(img);
  }
  release();
  return {
    series: r.series,
    status: r.status,
    why: problem ?? (r.abort === null ? null : `${r.abort.reason}: ${r.abort.detail}`),
    frames: r.processed,
    expected: r.expected,
    missing: r.missing,
    missing_count: r.missingCount,
    duplicates: r.duplicates,
    malformed: r.malformed,
    dropped: r.dropped,
    shape,
    components,
    voxels_foreground: foreground,
    latency_ms: Math.round((performance.now() - r.endedAt) * 10) / 10,
    ...(tomo ?? {}),
  };

  async function measure(img: ImageRDD): Promise<void> {
    const filtered = a.box !== null ? img.boxFilter(a.box).cache() : null;
    const mask = (filtered ?? img).threshold({ ...(a.above !== null ? { above: a.above } : {}), ...(a.below !== null ? { below: a.below } : {}) });
    const labels = mask.labelComponents({ connectivity: a.connectivity, intensity: filtered ?? img });
    components = await labels.componentCount();
    const rows = await labels.shapeStats();
    foreground = rows.reduce((n, row) => n + row.voxels, 0);
    if (ui !== null) await showAnalysis(ui, filtered ?? img, labels, rows);
    if (a.preview !== null) {
      // The latest scan's middle slice, replaced atomically, for a monitor or a web page to show.
      const z = Math.floor(img.shape[0] / 2);
      ((await (filtered ?? img).slice(z)).withLabels(await labels.slice(z))).writePng(a.preview, { overwrite: true }); // refused at start without --overwrite; then replaced every scan
    }
    if (a.statsDir !== null) {
      const file = join(a.statsDir, `${safeName(r.series)}.csv`);
      const temp = `${file}.tmp-${process.pid}`;
      writeFileSync(temp, statsCsv(rows));
      try {
        renameIntoPlace(temp, file, 'csv', a.overwrite);
      } catch (err) {
        // A CSV of an earlier run (or an earlier scan of this series) is kept without --overwrite; the line says so.
        rmSync(temp, { force: true });
        if (!isImageFormatError(err)) throw err;
        problem = `--stats-dir: ${err.message}`;
      }
    }
    filtered?.unpersist();
  }
}

function textLine(l: ScanLine): string {
  const shape = l.shape === null ? 'no frames' : `${l.shape[2]} x ${l.shape[1]} x ${l.shape[0]}`;
  const result = (l.center !== undefined && l.center !== null ? `, centre ${l.center} (${centreHow(l)}; ${l.missing_projections} projections missing)` : '') + (l.components === null ? '' : `, ${l.components} components, ${l.voxels_foreground} foreground voxels`);
  const why = l.why === null ? '' : ` (${l.why})`;
  return `scan ${l.series} ${l.status}${why}: ${shape}, ${l.frames} frames (${l.missing_count} missing, ${l.duplicates} duplicate, ${l.malformed} malformed, ${l.dropped} dropped)${result}, latency ${l.latency_ms} ms`;
}

/** How the line's volume was made: back-projected as the projections came, or recomputed at the end. */
function centreHow(l: ScanLine): string {
  const found = l.center_found === null || l.center_found === undefined ? '' : `found ${l.center_found}, `;
  return l.recomputed === true ? `${found}recomputed: ${l.recompute_why}` : `${found}back-projected as the projections came`;
}

function safeName(series: string): string {
  return series.replace(/[^A-Za-z0-9._-]/g, '_');
}

function parseFlags(argv: string[]): Flags | 'help' {
  const parsed = parseCommandLine(
    'stream',
    argv,
    {
        connect: { type: 'string' },
        protocol: { type: 'string', default: 'simplon-v1' },
        socket: { type: 'string', default: 'pull' },
        above: { type: 'string' },
        below: { type: 'string' },
        box: { type: 'string' },
        connectivity: { type: 'string', default: '26' },
        'stats-dir': { type: 'string' },
        preview: { type: 'string' },
        scans: { type: 'string' },
        'queue-mb': { type: 'string', default: '256' },
        'max-scan-mb': { type: 'string' },
        'grace-s': { type: 'string', default: '30' },
        'idle-ms': { type: 'string', default: '1000' },
        master: { type: 'string', default: 'local[*]' },
        json: { type: 'boolean', default: false },
        'ui-port': { type: 'string' },
        overwrite: { type: 'boolean', default: false },
        reconstruct: { type: 'boolean', default: false },
        center: { type: 'string' },
        filter: { type: 'string' },
        'no-flat': { type: 'boolean', default: false },
        volumes: { type: 'string' },
    },
    { positionals: false },
  );
  const v = parsed.values;
  if (v.help) return 'help';
  if (v.connect === undefined) throw new UsageError("--connect ENDPOINT is required (e.g. --connect tcp://127.0.0.1:9999); run 'voxelflow stream --help'");
  if (!/^(tcp:\/\/[^:/]+:\d+|ipc:\/\/.+)$/.test(v.connect)) throw new UsageError(`--connect must look like tcp://HOST:PORT or ipc://PATH, got '${v.connect}'`, '--connect');
  const protocol = enumFlag('protocol', v.protocol, PROTOCOLS);
  const socket = enumFlag('socket', v.socket, ['pull', 'sub']);
  const num = (name: string, s: string | undefined, rule: NumberRule): number | null => (s === undefined ? null : numberFlag(name, s, rule));
  const int = (name: string, s: string | undefined, rule: NumberRule): number | null => (s === undefined ? null : integerFlag(name, s, rule));
  const above = num('above', v.above, {});
  const below = num('below', v.below, {});
  if (above === null && below === null) throw new UsageError('give --above T and/or --below T to choose the foreground');
  const maxScanMb = num('max-scan-mb', v['max-scan-mb'], { min: 1, max: 1048576, want: 'a size in MiB (1 <= M <= 1048576)' });
  return {
    connect: v.connect,
    protocol,
    socket,
    above,
    below,
    box: int('box', v.box, { min: 0, max: 64, want: 'an integer radius in 0..64' }),
    connectivity: Number(enumFlag('connectivity', v.connectivity, ['6', '18', '26'], '6, 18 or 26')) as 6 | 18 | 26,
    statsDir: v['stats-dir'] ?? null,
    preview: previewFlag(v.preview, v.overwrite),
    overwrite: v.overwrite,
    scans: int('scans', v.scans, { min: 1, want: 'a positive integer' }),
    queueBytes: numberFlag('queue-mb', v['queue-mb'], { above: 0, max: 65536, want: 'a size in MiB (0 < M <= 65536)' }) * 1024 * 1024,
    maxScanBytes: maxScanMb === null ? null : maxScanMb * 1024 * 1024,
    graceMs: numberFlag('grace-s', v['grace-s'], { min: 0, max: 86400, want: 'a number of seconds in 0..86400' }) * 1000,
    idleMs: integerFlag('idle-ms', v['idle-ms'], { min: 10 }),
    master: v.master ?? 'local[*]',
    json: v.json ?? false,
    uiPort: uiPortFlag(v['ui-port']),
    reconstruct: reconstructFlags(v),
  };
}

/** --reconstruct and the flags that go with it (refused without it). */
function reconstructFlags(v: { reconstruct?: boolean; center?: string; filter?: string; 'no-flat'?: boolean; volumes?: string }): StreamReconstruct | null {
  if (v.reconstruct !== true) {
    const given = (['center', 'filter', 'no-flat', 'volumes'] as const).find((k) => v[k] !== undefined && v[k] !== false);
    if (given !== undefined) throw new UsageError(`--${given} needs --reconstruct`, `--${given}`);
    return null;
  }
  const center = v.center === undefined ? 'auto' : centerFlag(v.center);
  const filter = filterFlag(v.filter ?? 'ramp');
  if (v.volumes !== undefined) mkdirSync(v.volumes, { recursive: true });
  return { center, filter, noFlat: v['no-flat'] === true, volumes: v.volumes ?? null };
}

function previewFlag(file: string | undefined, overwrite: boolean): string | null {
  if (file === undefined) return null;
  if (!file.toLowerCase().endsWith('.png')) throw new UsageError(`--preview must end in .png, got '${file}'`, '--preview');
  if (!overwrite && existsSync(file)) throw new UsageError(`--preview ${file} already exists; pass --overwrite to replace it, or write elsewhere`, '--preview');
  return file;
}

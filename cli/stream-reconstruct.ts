/**
 * `voxelflow stream --reconstruct`: a received scan's darks, flats and projections reconstructed
 * (tomo/) into the volume the stream then analyzes. Projections are back-projected as they arrive
 * (StreamReconstructor, IncrementalFbp), with the given centre or, with `--center auto`, a provisional
 * one: the centre found for the previous scan (the axis rarely moves between scans), or the middle
 * column for the first. At the end of the scan the centre is found; a volume made with a provisional
 * centre more than CENTER_TOLERANCE px from it is recomputed from the scan's frames (broadcast to the
 * workers), as is one the incremental path could not make (calibration frames after projections,
 * projections out of order). Projections without an angle are left out and counted. With a dashboard,
 * the sinogram of the middle row is shown there too.
 */
import { Broadcast, type Context } from '../core/index.js';
import type { ImageRDD } from '../imaging/index.js';
import type { FrameEvent, Scan } from '../streaming/index.js';
import { correctedRows, findCenter, IncrementalFbp, scanFromFrames, type FilterName, type FramesScan } from '../tomo/index.js';

/** The reconstruction options of the stream's flags. */
export interface StreamReconstruct {
  readonly center: number | 'auto';
  readonly filter: FilterName;
  readonly noFlat: boolean;
  readonly volumes: string | null;
}

/** A provisional centre within this many columns of the one found at the end is kept. */
export const CENTER_TOLERANCE = 0.25;

/** A scan's reconstruction as it arrived: the back-projection so far, or why it cannot be used. */
export interface ArrivingScan {
  readonly series: string;
  fbp: IncrementalFbp | null;
  /** Why the volume must be recomputed at the end (set once; the frames are then only counted). */
  stale: string | null;
  lastFrame: number;
}

/** Feeds each kept frame of the stream (BeamlineStream.onFrame) to the incremental reconstruction of its scan. */
export class StreamReconstructor {
  private readonly scans = new Map<string, ArrivingScan>();
  /** The centre found for the latest scan: the next scan's provisional centre. */
  lastCenter: number | null = null;

  constructor(private readonly options: StreamReconstruct) {}

  /** Files one frame; never throws on what the detector sent (it marks the scan stale instead). */
  frame(e: FrameEvent): void {
    let s = this.scans.get(e.series);
    if (s === undefined) {
      // A scan that never reached the pipeline (a stop mid-scan) must not hold its volume forever.
      if (this.scans.size >= 4) this.scans.delete(this.scans.keys().next().value as string);
      s = { series: e.series, fbp: null, stale: null, lastFrame: -1 };
      this.scans.set(e.series, s);
    }
    if (s.stale !== null) return;
    try {
      if (e.frame < s.lastFrame) throw new Error(`frame ${e.frame} came after frame ${s.lastFrame}`);
      s.lastFrame = e.frame;
      if (e.depth !== 1) throw new Error(`frame ${e.frame} holds ${e.depth} slices`);
      const [rows, cols] = e.shape;
      const center = this.options.center !== 'auto' ? this.options.center : (this.lastCenter ?? Math.floor(cols / 2));
      s.fbp ??= new IncrementalFbp({ rows, cols, center, filter: this.options.filter, noFlat: this.options.noFlat });
      if (e.frameType === 'dark' || e.frameType === 'flat') s.fbp.addCalibration(e.frameType, framePixels(e));
      // A projection without an angle is left out here as in the file path (and counted there).
      else if (e.angle !== null) s.fbp.addProjection(framePixels(e), e.angle);
    } catch (err) {
      s.stale = (err as Error).message;
      s.fbp = null;
    }
  }

  /** The scan's incremental reconstruction, handed over once (its memory is the caller's then). */
  take(series: string): ArrivingScan | null {
    const s = this.scans.get(series) ?? null;
    this.scans.delete(series);
    return s;
  }
}

/** A reconstructed scan, and `release` to free its broadcasts when the analysis is done. */
export interface StreamVolume {
  readonly image: ImageRDD;
  /** The centre the volume was made with, and the one found at the end (null when given). */
  readonly center: number;
  readonly centerFound: number | null;
  /** The provisional centre the projections were back-projected with as they came (null: none were). */
  readonly centerProvisional: number | null;
  /** Whether the volume was recomputed at the end, and why. */
  readonly recomputed: string | null;
  readonly missingProjections: number;
  readonly release: () => void;
}

/** The scan's volume: the incremental one when it holds, else reconstructed from the scan's frames. */
export async function reconstructScan(ctx: Context, scan: Scan, options: StreamReconstruct, arriving: ArrivingScan | null, reconstructor: StreamReconstructor | null = null): Promise<StreamVolume> {
  const data = scan.data;
  if (data === null) throw new Error(`scan ${scan.series} has no frames`);
  const frames = scanFromFrames(ctx, { name: `series ${scan.series}`, projections: data, flats: scan.flats, darks: scan.darks, angles: scan.angles }, { noFlat: options.noFlat });
  const release = (): void => {
    for (const b of frames.broadcasts) b.destroy();
  };
  try {
    const fbp = arriving?.fbp ?? null;
    const why = arriving === null ? 'no frame was back-projected as it came' : (arriving.stale ?? mismatch(fbp, frames, options));
    const provisional = fbp === null ? null : fbp.options.center;
    let centerFound: number | null = null;
    if (options.center === 'auto') {
      centerFound = findCenter(frames.scan, { average: 'mean', dezinger: null }).center;
      if (reconstructor !== null) reconstructor.lastCenter = centerFound;
    }
    const target = centerFound ?? (options.center as number);
    let recomputed: string | null = why;
    if (recomputed === null && provisional !== null && Math.abs(target - provisional) > CENTER_TOLERANCE) {
      recomputed = `the provisional centre ${provisional} is ${Math.abs(target - provisional).toFixed(2)} px from the centre found`;
    }
    let image: ImageRDD;
    let center: number;
    let freeVolume = (): void => {};
    if (recomputed === null && fbp !== null && provisional !== null) {
      const [, rows, cols] = frames.scan.shape;
      image = ctx.images.fromArray(fbp.finish(), [rows, cols, cols]);
      const volume = (image.blocks.node as { params?: { data?: unknown } }).params?.data;
      freeVolume = () => {
        if (volume instanceof Broadcast) volume.destroy();
      };
      center = provisional;
    } else {
      image = (await ctx.tomo.fromScan(frames.scan, { center: target, filter: options.filter })).image;
      center = target;
    }
    if (ctx.ui !== null) await showSinogram(ctx, frames);
    return {
      image, center, centerFound, centerProvisional: provisional, recomputed, missingProjections: frames.missingProjections,
      release: () => {
        freeVolume();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** Why the incremental volume does not hold the scan's frames, or null when it does. */
function mismatch(fbp: IncrementalFbp | null, frames: FramesScan, options: StreamReconstruct): string | null {
  if (fbp === null) return 'no projection came';
  const s = frames.scan;
  const flats = s.flats === null ? 0 : s.flats.shape![0];
  const darks = s.darks === null ? 0 : s.darks.shape![0];
  if (fbp.projections !== s.shape[0]) return `${fbp.projections} projections were back-projected as they came, the scan has ${s.shape[0]}`;
  if (!options.noFlat && (fbp.flats.length !== flats || fbp.darks.length !== darks)) return 'the darks and flats of the scan are not those its projections were corrected with';
  return null;
}

/** The dashboard shows the sinogram of the middle detector row (angle down, column across) beside the slice. */
async function showSinogram(ctx: Context, frames: FramesScan): Promise<void> {
  const [angles, rows, cols] = frames.scan.shape;
  const row = Math.floor(rows / 2);
  const sinogram = correctedRows(frames.scan, { average: 'mean', dezinger: null }, row, 1);
  ctx.ui!.showPreview(`sinogram of row ${row}`, await ctx.images.fromArray(sinogram, [1, angles, cols]).slice(0));
}

/** A frame's pixels as float32 (`rows x cols`); its bytes may sit at any offset of the message. */
function framePixels(e: FrameEvent): Float32Array {
  const b = e.bytes;
  const n = e.shape[0] * e.shape[1];
  const aligned = (k: number): ArrayBuffer | SharedArrayBuffer => (b.byteOffset % k === 0 ? b.buffer : b.slice().buffer);
  const at = (k: number): number => (b.byteOffset % k === 0 ? b.byteOffset : 0);
  switch (e.dtype) {
    case 'u8': return Float32Array.from(b.subarray(0, n));
    case 'u16': return Float32Array.from(new Uint16Array(aligned(2), at(2), n));
    case 'i16': return Float32Array.from(new Int16Array(aligned(2), at(2), n));
    case 'u32': return Float32Array.from(new Uint32Array(aligned(4), at(4), n));
    case 'i32': return Float32Array.from(new Int32Array(aligned(4), at(4), n));
    case 'f32': return Float32Array.from(new Float32Array(aligned(4), at(4), n));
    case 'f64': return Float32Array.from(new Float64Array(aligned(8), at(8), n));
  }
}

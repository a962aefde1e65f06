/**
 * A scan whose frames are in memory (a streamed scan, assembled by the stream's receiver) as a
 * TomoScan: projections, flats and darks become broadcast variables (sent once to each worker thread),
 * and projections without an angle (frames that never came, or came without one) are left out and
 * counted, never filled in.
 */
import type { Broadcast, Context } from '../core/index.js';
import type { Volume } from '../imaging/index.js';
import { ImageFormatError } from '../imaging/io/index.js';
import type { StackRef, TomoScan } from './scan.js';

/** The frames of a scan, as the stream assembles them. */
export interface ScanFrames {
  /** For messages: the series. */
  readonly name: string;
  /** Projections `[frame][row][column]`, frame k at angle `angles[k]`. */
  readonly projections: Volume;
  /** Flat (open-beam) frames `[n][row][column]`, or null when none came. */
  readonly flats: Volume | null;
  /** Dark (beam-off) frames `[n][row][column]`, or null when none came. */
  readonly darks: Volume | null;
  /** Degrees per projection; null where the frame had none or never came. */
  readonly angles: readonly (number | null)[];
}

/** The scan, the broadcasts to destroy when it is done, and the projections left out. */
export interface FramesScan {
  /** The scan, its projections kept in memory as broadcasts. */
  readonly scan: TomoScan;
  /** The broadcasts that hold its frames: destroy them when the reconstruction is done. */
  readonly broadcasts: readonly Broadcast<unknown>[];
  /** Projections left out because they had no angle or never came. */
  readonly missingProjections: number;
}

/** Builds the scan; throws `ImageFormatError` for a scan without flats (unless `noFlat`) or projections. */
export function scanFromFrames(ctx: Context, frames: ScanFrames, options: { readonly noFlat?: boolean } = {}): FramesScan {
  const [count, rows, cols] = frames.projections.shape;
  const keep: number[] = [];
  for (let k = 0; k < count; k++) if (frames.angles[k] !== null && frames.angles[k] !== undefined) keep.push(k);
  if (keep.length < 2) throw new ImageFormatError(frames.name, 'stream', `has ${keep.length} projections with an angle`, 'send projection frames with { "frameType": "projection", "angle": degrees } in their appendix');
  if (frames.flats === null && options.noFlat !== true) {
    throw new ImageFormatError(frames.name, 'stream', 'the scan has no flat (open-beam) frames', 'send flat frames ({ "frameType": "flat" }) before the projections, or pass --no-flat if the projections are corrected already');
  }
  const size = rows * cols;
  let data = frames.projections.data;
  if (keep.length < count) {
    const kept = new Float32Array(keep.length * size);
    keep.forEach((k, i) => {
      for (let p = 0; p < size; p++) kept[i * size + p] = data[k * size + p]!;
    });
    data = kept;
  }
  const broadcasts: Broadcast<unknown>[] = [];
  const ref = (part: string, values: Volume['data'], n: number): StackRef => {
    const b = ctx.broadcast(values);
    broadcasts.push(b as Broadcast<unknown>);
    return { path: `${frames.name} (${part})`, format: 'memory', frames: b, shape: [n, rows, cols] };
  };
  const scan: TomoScan = {
    projections: ref('projections', data, keep.length),
    flats: frames.flats === null || options.noFlat === true ? null : ref('flats', frames.flats.data, frames.flats.shape[0]),
    flatsAfter: null,
    darks: frames.darks === null ? null : ref('darks', frames.darks.data, frames.darks.shape[0]),
    angles: keep.map((k) => frames.angles[k] as number),
    shape: [keep.length, rows, cols],
  };
  return { scan, broadcasts, missingProjections: count - keep.length };
}

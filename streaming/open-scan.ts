/**
 * A scan being received: its frames by number and its counters. `seal` turns it into the report
 * and the assembled volume (slice k = frame k, darks and flats set aside, holes zero-filled).
 *
 * Memory (issue 13): nothing is allocated from a count or a frame number the sender claims. Frames
 * are kept as they arrive, in a map keyed by frame number, and `heldBytes` counts what they (and the
 * bookkeeping of every frame number seen) hold. A frame that would take it past `maxBytes` is not
 * kept: the scan is marked over its bound, and the assembler aborts it. The volume is allocated
 * once, when the scan is sealed, and only when its size (frames x frame bytes, holes included) is
 * within the same bound; otherwise the scan is aborted as too large and has no volume.
 */
import type { DType, TypedArray, Volume } from '../imaging/index.js';
import { LayoutVote, fits, type Layout } from './frame-layout.js';
import { missingFrames } from './missing-frames.js';
import { pixelBytes } from './pixel-type.js';
import type { AbortReason, ScanReport, ScanStatus } from './scan-report.js';
import type { FrameEvent, MalformedReason, ScanMeta, SeriesStartEvent } from './stream-event.js';

/** A sealed scan: its accounting, the volume and the calibration frames. */
export interface AssembledScan {
  /** The scan's accounting. */
  readonly report: ScanReport;
  /** `[z, y, x]` volume of the projection/slice frames; null when no frame arrived, or the scan was
   * aborted as too large. */
  readonly volume: Volume | null;
  /** The dark frames as a `[n, y, x]` stack in arrival order, or null when none arrived. */
  readonly darks: Volume | null;
  /** The flat frames as a `[n, y, x]` stack in arrival order, or null when none arrived. */
  readonly flats: Volume | null;
  /** Angle of each volume slice (null where the frame had none or was missing). */
  readonly angles: readonly (number | null)[];
}

/** Where a frame ended up in its scan: 'too-large' frames were dropped because keeping them would
 * have passed the scan's memory bound. */
export type FrameFate = 'processed' | 'duplicates' | 'too-large' | MalformedReason;

/** A frame held for the layout vote whose fate was decided by a later frame. */
export interface SettledFrame {
  readonly frame: FrameEvent;
  readonly fate: FrameFate;
}

/** Bytes a kept frame costs beyond its pixels (the event object and its map entry). */
const FRAME_OVERHEAD_BYTES = 256;
/** Bytes the bookkeeping of one frame number costs (a set entry). */
const FRAME_NUMBER_BYTES = 64;
/** Bytes one volume slice costs beyond its pixels (its angle entry). */
const SLOT_BYTES = 16;
/** Frame numbers one scan may track, and slices one volume may have: V8's Map and Set hold at most
 * 2^24 entries, and an angle array of more would be a crash, not an error. */
export const MAX_FRAMES_PER_SCAN = 1 << 23;

export class OpenScan {
  readonly series: string;
  readonly expected: number | null;
  readonly scan: ScanMeta | null;
  private readonly frames = new Map<number, FrameEvent>();
  private readonly accounted = new Set<number>();
  private readonly vote: LayoutVote;
  private maxFrame = -1;
  /** Bytes this scan holds: kept and held frames plus frame-number bookkeeping. */
  heldBytes = 0;
  /** Why the scan passed its bound, once it did (the assembler then aborts it). */
  overBound: string | null = null;
  received = 0;
  duplicates = 0;
  malformed = 0;
  dropped = 0;
  outOfOrder = 0;
  readonly reasons: Partial<Record<MalformedReason, number>> = {};

  constructor(
    start: SeriesStartEvent,
    readonly startedAt: number,
    /** The per-scan memory bound, bytes. */
    readonly maxBytes: number,
  ) {
    this.series = start.series;
    this.expected = start.expected;
    this.scan = start.scan;
    this.vote = new LayoutVote(start.frameShape);
  }

  /** Frames kept so far. */
  get processed(): number {
    return this.frames.size;
  }

  /** Frames waiting for the layout vote. */
  get waiting(): number {
    return this.vote.waiting.length;
  }

  /** Files a decoded frame. `fate` is 'held' while the layout vote runs; `settled` are the earlier
   * held frames whose fate this frame's vote decided. */
  add(f: FrameEvent): { fate: FrameFate | 'held'; settled: SettledFrame[] } {
    this.received++;
    if (this.expected !== null && f.frame >= this.expected) return { fate: this.fail('frame-out-of-range', f.frame), settled: [] };
    const offer = this.vote.offer(f);
    if (offer === 'mismatch') return { fate: this.fail('shape-mismatch', f.frame), settled: [] };
    if (offer === 'fits') return { fate: this.keep(f), settled: [] };
    this.heldBytes += frameCost(f);
    let fate: FrameFate | 'held' = 'held';
    const settled: SettledFrame[] = [];
    for (const s of this.settleHeld()) {
      if (s.frame === f) fate = s.fate;
      else settled.push(s);
    }
    if (fate === 'held' && this.heldBytes > this.maxBytes) this.overBound ??= this.overDetail();
    return { fate, settled };
  }

  /** Ends the layout vote with the frames there are and files them (before sealing). */
  settleAll(): SettledFrame[] {
    this.vote.decide();
    return this.settleHeld();
  }

  /** Counts a malformed message attributed to this scan. */
  fail(reason: MalformedReason, frame: number | null, counted = true): MalformedReason {
    if (!counted) this.received++;
    this.malformed++;
    this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
    if (frame !== null && (this.expected === null || frame < this.expected)) this.see(frame);
    return reason;
  }

  /** Counts a frame dropped in live mode. */
  drop(frame: number | null): void {
    this.received++;
    this.dropped++;
    if (frame !== null && (this.expected === null || frame < this.expected)) this.see(frame);
  }

  /** The report and, within the bound, the volume. `abort` says why a scan that did not end was cut
   * short; a scan over its bound is aborted as 'scan-too-large' whatever the caller says. */
  seal(abort: { readonly reason: AbortReason; readonly detail: string } | null, endedAt: number): AssembledScan {
    const n = this.expected ?? this.maxFrame + 1;
    const missing = missingFrames(this.accounted, n);
    const l = this.vote.layout;
    let why = this.overBound === null ? abort : { reason: 'scan-too-large' as const, detail: this.overBound };
    let parts: Omit<AssembledScan, 'report'> = { volume: null, darks: null, flats: null, angles: [] };
    if (l !== null && why?.reason !== 'scan-too-large') {
      const bytes = n * (layoutBytes(l) + SLOT_BYTES);
      if (n > MAX_FRAMES_PER_SCAN || bytes > this.maxBytes) {
        why = { reason: 'scan-too-large', detail: `its volume of ${n} frames of ${l.x} x ${l.y} ${l.dtype} would take ${size(bytes)}, over the bound of ${size(this.maxBytes)}` };
      } else {
        try {
          parts = this.assemble(l, n);
        } catch (err) {
          if (!(err instanceof RangeError)) throw err;
          why = { reason: 'scan-too-large', detail: `its volume of ${size(bytes)} could not be allocated (${err.message})` };
        }
      }
    }
    const status: ScanStatus = why !== null ? 'aborted' : this.frames.size === n ? 'complete' : 'incomplete';
    const report: ScanReport = {
      series: this.series,
      status,
      abort: why,
      expected: this.expected,
      received: this.received,
      processed: this.frames.size,
      duplicates: this.duplicates,
      malformed: this.malformed,
      malformedReasons: { ...this.reasons },
      dropped: this.dropped,
      missing: missing.listed,
      missingCount: missing.count,
      outOfOrder: this.outOfOrder,
      shape: parts.volume === null ? null : parts.volume.shape,
      dtype: l?.dtype ?? null,
      scan: this.scan,
      startedAt: this.startedAt,
      endedAt,
    };
    return { report, ...parts };
  }

  private settleHeld(): SettledFrame[] {
    const l = this.vote.layout;
    const out: SettledFrame[] = [];
    for (const h of this.vote.release()) {
      this.heldBytes -= frameCost(h);
      out.push({ frame: h, fate: l !== null && fits(l, h) ? this.keep(h) : this.fail('shape-mismatch', h.frame) });
    }
    return out;
  }

  /** Keeps a frame of the scan's layout, unless it is a duplicate or would pass the bound. */
  private keep(f: FrameEvent): FrameFate {
    if (this.frames.has(f.frame)) {
      this.duplicates++;
      return 'duplicates';
    }
    const cost = frameCost(f) + (this.accounted.has(f.frame) ? 0 : FRAME_NUMBER_BYTES);
    if (this.overBound !== null || this.heldBytes + cost > this.maxBytes || this.frames.size >= MAX_FRAMES_PER_SCAN) {
      this.overBound ??= this.overDetail(cost);
      this.dropped++;
      this.see(f.frame);
      return 'too-large';
    }
    this.frames.set(f.frame, f);
    this.heldBytes += frameCost(f);
    this.see(f.frame);
    return 'processed';
  }

  private see(frame: number): void {
    if (frame < this.maxFrame) this.outOfOrder++;
    else this.maxFrame = frame;
    if (this.accounted.has(frame)) return;
    this.accounted.add(frame);
    this.heldBytes += FRAME_NUMBER_BYTES;
    if (this.accounted.size >= MAX_FRAMES_PER_SCAN || this.heldBytes > this.maxBytes) this.overBound ??= this.overDetail();
  }

  private overDetail(next = 0): string {
    return `after ${this.received} frames it holds ${size(this.heldBytes + next)}, over the bound of ${size(this.maxBytes)}`;
  }

  private assemble(l: Layout, n: number): Omit<AssembledScan, 'report'> {
    // Walk the frames that came (not [0, n)): slot of frame f = f minus the calibration frames before it.
    const numbers = [...this.frames.keys()].sort((a, b) => a - b);
    const darks: FrameEvent[] = [];
    const flats: FrameEvent[] = [];
    const placed: FrameEvent[] = [];
    const slotOf: number[] = [];
    for (const f of numbers) {
      const e = this.frames.get(f) as FrameEvent;
      if (e.frameType === 'dark') darks.push(e);
      else if (e.frameType === 'flat') flats.push(e);
      else {
        placed.push(e);
        slotOf.push(f - darks.length - flats.length);
      }
    }
    const slots = n - darks.length - flats.length;
    const angles: (number | null)[] = new Array<number | null>(slots).fill(null);
    for (let i = 0; i < placed.length; i++) angles[slotOf[i] as number] = (placed[i] as FrameEvent).angle;
    return {
      volume: stack(l, slots, placed, slotOf),
      darks: darks.length === 0 ? null : stack(l, darks.length, darks, darks.map((_, i) => i)),
      flats: flats.length === 0 ? null : stack(l, flats.length, flats, flats.map((_, i) => i)),
      angles,
    };
  }
}

function frameCost(f: FrameEvent): number {
  return f.bytes.byteLength + FRAME_OVERHEAD_BYTES;
}

function layoutBytes(l: Layout): number {
  return l.depth * l.y * l.x * pixelBytes(l.dtype);
}

/** A size for a log line: '12.5 MiB', or '20.0 KiB' below 1 MiB. */
function size(bytes: number): string {
  return bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** A `[slots * depth, y, x]` volume with `frames[i]` at slot `slotOf[i]`, zeros elsewhere. */
function stack(l: Layout, slots: number, frames: readonly FrameEvent[], slotOf: readonly number[]): Volume {
  const frameBytes = layoutBytes(l);
  const buffer = new ArrayBuffer(frameBytes * slots);
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < frames.length; i++) bytes.set((frames[i] as FrameEvent).bytes, (slotOf[i] as number) * frameBytes);
  return { data: typedView(l.dtype, buffer), shape: [slots * l.depth, l.y, l.x], dtype: l.dtype, spacing: [1, 1, 1] };
}

function typedView(dtype: DType, buffer: ArrayBuffer): TypedArray {
  switch (dtype) {
    case 'u8': return new Uint8Array(buffer);
    case 'u16': return new Uint16Array(buffer);
    case 'i16': return new Int16Array(buffer);
    case 'u32': return new Uint32Array(buffer);
    case 'i32': return new Int32Array(buffer);
    case 'f32': return new Float32Array(buffer);
    case 'f64': return new Float64Array(buffer);
  }
}

/**
 * A scan being received: its frames by number and its counters. `seal` turns it into the report
 * and the assembled volume (slice k = frame k, darks and flats set aside, holes zero-filled).
 */
import type { DType, TypedArray, Volume } from '../imaging/index.js';
import { pixelBytes } from './pixel-type.js';
import type { ScanReport, ScanStatus } from './scan-report.js';
import type { FrameEvent, MalformedReason, ScanMeta, SeriesStartEvent } from './stream-event.js';

/** A sealed scan: its accounting, the volume and the calibration frames. */
export interface AssembledScan {
  readonly report: ScanReport;
  /** `[z, y, x]` volume of the projection/slice frames; null when no frame arrived. */
  readonly volume: Volume | null;
  readonly darks: Volume | null;
  readonly flats: Volume | null;
  /** Angle of each volume slice (null where the frame had none or was missing). */
  readonly angles: readonly (number | null)[];
}

interface Layout {
  readonly y: number;
  readonly x: number;
  readonly depth: number;
  readonly dtype: DType;
}

export class OpenScan {
  readonly series: string;
  readonly expected: number | null;
  readonly scan: ScanMeta | null;
  readonly frames = new Map<number, FrameEvent>();
  private readonly accounted = new Set<number>();
  private layout: Layout | null = null;
  private maxFrame = -1;
  received = 0;
  duplicates = 0;
  malformed = 0;
  dropped = 0;
  outOfOrder = 0;
  readonly reasons: Partial<Record<MalformedReason, number>> = {};

  constructor(
    start: SeriesStartEvent,
    readonly startedAt: number,
  ) {
    this.series = start.series;
    this.expected = start.expected;
    this.scan = start.scan;
  }

  /** Files a decoded frame; returns its fate. */
  add(f: FrameEvent): 'processed' | 'duplicates' | MalformedReason {
    this.received++;
    if (this.expected !== null && f.frame >= this.expected) return this.fail('frame-out-of-range', f.frame);
    const l = this.layout;
    if (l !== null && (l.y !== f.shape[0] || l.x !== f.shape[1] || l.depth !== f.depth || l.dtype !== f.dtype)) return this.fail('shape-mismatch', f.frame);
    if (this.frames.has(f.frame)) {
      this.duplicates++;
      return 'duplicates';
    }
    this.layout ??= { y: f.shape[0], x: f.shape[1], depth: f.depth, dtype: f.dtype };
    this.frames.set(f.frame, f);
    this.see(f.frame);
    return 'processed';
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

  seal(status: 'ended' | 'aborted', endedAt: number): AssembledScan {
    const n = this.expected ?? this.maxFrame + 1;
    const missing: number[] = [];
    for (let f = 0; f < n; f++) if (!this.accounted.has(f)) missing.push(f);
    const final: ScanStatus = status === 'aborted' ? 'aborted' : this.frames.size === n ? 'complete' : 'incomplete';
    const slots: number[] = [];
    const darks: FrameEvent[] = [];
    const flats: FrameEvent[] = [];
    for (let f = 0; f < n; f++) {
      const e = this.frames.get(f);
      if (e?.frameType === 'dark') darks.push(e);
      else if (e?.frameType === 'flat') flats.push(e);
      else slots.push(f);
    }
    const l = this.layout;
    const volume = l === null ? null : this.stack(l, slots.map((f) => this.frames.get(f) ?? null));
    const report: ScanReport = {
      series: this.series,
      status: final,
      expected: this.expected,
      received: this.received,
      processed: this.frames.size,
      duplicates: this.duplicates,
      malformed: this.malformed,
      malformedReasons: { ...this.reasons },
      dropped: this.dropped,
      missing,
      outOfOrder: this.outOfOrder,
      shape: volume === null ? null : volume.shape,
      dtype: l?.dtype ?? null,
      scan: this.scan,
      startedAt: this.startedAt,
      endedAt,
    };
    return {
      report,
      volume,
      darks: l === null || darks.length === 0 ? null : this.stack(l, darks),
      flats: l === null || flats.length === 0 ? null : this.stack(l, flats),
      angles: slots.map((f) => this.frames.get(f)?.angle ?? null),
    };
  }

  private see(frame: number): void {
    if (frame < this.maxFrame) this.outOfOrder++;
    else this.maxFrame = frame;
    this.accounted.add(frame);
  }

  private stack(l: Layout, frames: readonly (FrameEvent | null)[]): Volume {
    const frameBytes = l.depth * l.y * l.x * pixelBytes(l.dtype);
    const buffer = new ArrayBuffer(frameBytes * frames.length);
    const bytes = new Uint8Array(buffer);
    for (let k = 0; k < frames.length; k++) {
      const f = frames[k];
      if (f != null) bytes.set(f.bytes, k * frameBytes);
    }
    return { data: typedView(l.dtype, buffer), shape: [frames.length * l.depth, l.y, l.x], dtype: l.dtype, spacing: [1, 1, 1] };
  }
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

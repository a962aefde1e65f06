/**
 * Turns decoded events into scans. One series is open at a time; a new header before the open
 * series' end aborts it (a detector re-armed, a sender restarted mid-scan). Each message ends in
 * exactly one stream-wide counter, and frame messages also in one counter of their scan.
 * Malformed input is logged once per reason and counted every time; nothing here throws on it.
 *
 * Each scan holds at most `maxScanBytes` (issue 13). A scan that would pass it is aborted at once
 * and reported ('scan-too-large'); the rest of its series is dropped, counted, until its end or the
 * next header, and the stream goes on. Frames that wait for the layout vote (see frame-layout.ts)
 * are counted when it is decided, so `handle` may return 'pending'.
 */
import { ConfigError } from '../core/index.js';
import { OpenScan, type AssembledScan, type FrameFate, type SettledFrame } from './open-scan.js';
import { emptyTotals, type AbortReason, type StreamTotals } from './scan-report.js';
import { defaultMaxScanBytes } from './scan-bound.js';
import type { DroppedEvent, FrameEvent, MalformedEvent, MalformedReason, SeriesEndEvent, StreamEvent } from './stream-event.js';

/** Where a message ended up; 'pending': a frame waiting for its scan's layout vote. */
export type Fate = 'control' | 'processed' | 'duplicates' | 'malformed' | 'dropped' | 'pending';

/** The receive queue bound the default scan bound assumes when none is given, bytes. */
const DEFAULT_QUEUE_BYTES = 256 * 1024 * 1024;

/** Where a ScanAssembler delivers scans and frames, and its memory bound. */
export interface ScanAssemblerOptions {
  /** Receives every sealed scan, in order. */
  readonly onScan: (scan: AssembledScan) => void;
  /** Receives every frame kept for a scan's volume, once its fate is known. */
  readonly onFrame?: (frame: FrameEvent) => void;
  /** One line per malformed reason, the first time it is seen; default: none. */
  readonly log?: (line: string) => void;
  /** Memory one scan may hold, bytes (default: defaultMaxScanBytes for a 256 MiB queue). */
  readonly maxScanBytes?: number;
}

/** Files decoded events into scans, one series open at a time, and keeps every message in exactly one counter. */
export class ScanAssembler {
  /** Stream-wide counters. */
  readonly totals: StreamTotals = emptyTotals();
  /** Memory one scan may hold, in bytes. */
  readonly maxScanBytes: number;
  private open: OpenScan | null = null;
  /** The series last aborted as too large: the rest of it is dropped, not 'unknown-series'. */
  private refused: string | null = null;
  private readonly logged = new Set<MalformedReason>();

  constructor(private readonly options: ScanAssemblerOptions) {
    this.maxScanBytes = options.maxScanBytes ?? defaultMaxScanBytes(DEFAULT_QUEUE_BYTES);
    if (!(this.maxScanBytes > 0)) throw new ConfigError('maxScanBytes', `ScanAssembler: maxScanBytes must be > 0, got ${String(options.maxScanBytes)}`);
  }

  /** The series being received, if any. */
  get openSeries(): string | null {
    return this.open?.series ?? null;
  }

  /** The counters of the series being received so far (for live views such as the dashboard), or null. */
  get openCounters(): {
    /** The open series' id. */
    readonly series: string;
    /** Frames its header announced, or null. */
    readonly expected: number | null;
    /** received, processed, waiting, duplicates, malformed, dropped, outOfOrder and heldBytes so far. */
    readonly counters: Record<string, number>;
  } | null {
    const o = this.open;
    if (o === null) return null;
    return { series: o.series, expected: o.expected, counters: { received: o.received, processed: o.processed, waiting: o.waiting, duplicates: o.duplicates, malformed: o.malformed, dropped: o.dropped, outOfOrder: o.outOfOrder, heldBytes: o.heldBytes } };
  }

  /** Accounts for one message: the events its decoder returned. `message: false` for events that
   * came from no message (a decoder's idle timeout). */
  handle(events: readonly StreamEvent[], now: number = performance.now(), message = true): Fate {
    let fate: Fate = 'control';
    for (const e of events) {
      switch (e.kind) {
        case 'series-start':
          if (this.open !== null) this.seal({ reason: 'next-series', detail: `series ${e.series} began before it ended` }, now);
          this.refused = null;
          this.open = new OpenScan(e, now, this.maxScanBytes);
          break;
        case 'series-end':
          fate = this.end(e, now);
          break;
        case 'frame':
          fate = this.frame(e);
          break;
        case 'malformed':
          fate = this.malformed(e);
          break;
        case 'dropped':
          fate = this.dropped(e);
          break;
        case 'control':
          break;
      }
    }
    const open = this.open;
    if (open !== null && open.overBound !== null) {
      this.seal({ reason: 'scan-too-large', detail: open.overBound }, now);
      this.refused = open.series;
    }
    if (!message) return fate;
    this.totals.messages++;
    if (fate !== 'pending') this.totals[fate]++;
    return fate;
  }

  /** Counts messages received but never decoded because the stream stopped. */
  discard(messages: number): void {
    this.totals.messages += messages;
    this.totals.discarded += messages;
  }

  /** Seals the open series as aborted (the stream stopped or went idle mid-scan). */
  abortOpen(now: number = performance.now()): void {
    if (this.open !== null) this.seal({ reason: 'stopped', detail: 'the stream stopped before it ended' }, now);
  }

  private end(e: SeriesEndEvent, now: number): Fate {
    if (this.open === null && e.series === this.refused) {
      this.refused = null;
      return 'control';
    }
    if (this.open?.series !== e.series) return this.count(e.series === null ? 'bad-header' : 'unknown-series', `dseries_end for series ${e.series}, open: ${this.open?.series ?? 'none'}`);
    this.seal(null, now);
    return 'control';
  }

  private frame(e: FrameEvent): Fate {
    const open = this.open;
    if (open === null && e.series === this.refused) return this.drop('scan-too-large');
    if (open?.series !== e.series) return this.count('unknown-series', `frame ${e.frame} of series ${e.series}, open: ${open?.series ?? 'none'}`);
    const { fate, settled } = open.add(e);
    for (const s of settled) this.settle(s);
    return fate === 'held' ? 'pending' : this.fateOf(e, fate);
  }

  /** Counts a frame settled by a later message's layout vote, or at the seal. */
  private settle(s: SettledFrame): void {
    this.totals[this.fateOf(s.frame, s.fate)]++;
  }

  private fateOf(e: FrameEvent, fate: FrameFate): Exclude<Fate, 'pending'> {
    if (fate === 'processed') {
      this.options.onFrame?.(e);
      return 'processed';
    }
    if (fate === 'duplicates') return 'duplicates';
    if (fate === 'too-large') return this.drop('scan-too-large');
    return this.count(fate, `frame ${e.frame} of series ${e.series}`);
  }

  private malformed(e: MalformedEvent): Fate {
    const open = this.open;
    if (open !== null && e.series === open.series) open.fail(e.reason, e.frame, false);
    return this.count(e.reason, e.detail);
  }

  private dropped(e: DroppedEvent): Fate {
    const open = this.open;
    if (open !== null && e.series === open.series) open.drop(e.frame);
    return this.drop('queue-full');
  }

  private drop(reason: 'queue-full' | 'scan-too-large'): 'dropped' {
    this.totals.droppedReasons[reason] = (this.totals.droppedReasons[reason] ?? 0) + 1;
    return 'dropped';
  }

  /** Counts a malformed message stream-wide and logs its reason the first time. */
  private count(reason: MalformedReason, detail: string): 'malformed' {
    this.totals.malformedReasons[reason] = (this.totals.malformedReasons[reason] ?? 0) + 1;
    if (!this.logged.has(reason)) {
      this.logged.add(reason);
      this.options.log?.(`malformed message (${reason}): ${detail}; further '${reason}' messages are counted, not logged`);
    }
    return 'malformed';
  }

  private seal(abort: { readonly reason: AbortReason; readonly detail: string } | null, now: number): void {
    const open = this.open as OpenScan;
    this.open = null;
    for (const s of open.settleAll()) this.settle(s);
    const scan = open.seal(abort, now);
    this.totals.scans[scan.report.status]++;
    this.options.onScan(scan);
  }
}

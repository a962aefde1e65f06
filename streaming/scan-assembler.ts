/**
 * Turns decoded events into scans. At most one series is open; a new header before the open
 * series' end aborts it (a detector re-armed, a sender restarted mid-scan). Each message ends in
 * exactly one stream-wide counter, and frame messages also in one counter of their scan.
 * Malformed input is logged once per reason and counted every time; nothing here throws on it.
 */
import { OpenScan, type AssembledScan } from './open-scan.js';
import { emptyTotals, type StreamTotals } from './scan-report.js';
import type { DroppedEvent, FrameEvent, MalformedEvent, MalformedReason, SeriesEndEvent, StreamEvent } from './stream-event.js';

/** Where a message ended up. */
export type Fate = 'control' | 'processed' | 'duplicates' | 'malformed' | 'dropped';

export interface ScanAssemblerOptions {
  /** Receives every sealed scan, in order. */
  readonly onScan: (scan: AssembledScan) => void;
  /** One line per malformed reason, the first time it is seen; default: none. */
  readonly log?: (line: string) => void;
}

export class ScanAssembler {
  readonly totals: StreamTotals = emptyTotals();
  private open: OpenScan | null = null;
  private readonly logged = new Set<MalformedReason>();

  constructor(private readonly options: ScanAssemblerOptions) {}

  /** The series being received, if any. */
  get openSeries(): string | null {
    return this.open?.series ?? null;
  }

  /** The counters of the series being received so far (for live views such as the dashboard), or null. */
  get openCounters(): { readonly series: string; readonly expected: number | null; readonly counters: Record<string, number> } | null {
    const o = this.open;
    if (o === null) return null;
    return { series: o.series, expected: o.expected, counters: { received: o.received, processed: o.frames.size, duplicates: o.duplicates, malformed: o.malformed, dropped: o.dropped, outOfOrder: o.outOfOrder } };
  }

  /** Accounts for one message: the events its decoder returned. `message: false` for events that
   * came from no message (a decoder's idle timeout). */
  handle(events: readonly StreamEvent[], now: number = performance.now(), message = true): Fate {
    let fate: Fate = 'control';
    for (const e of events) {
      switch (e.kind) {
        case 'series-start':
          if (this.open !== null) this.seal('aborted', now);
          this.open = new OpenScan(e, now);
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
    if (!message) return fate;
    this.totals.messages++;
    this.totals[fate]++;
    return fate;
  }

  /** Counts messages received but never decoded because the stream stopped. */
  discard(messages: number): void {
    this.totals.messages += messages;
    this.totals.discarded += messages;
  }

  /** Seals the open series as aborted (the stream stopped or went idle mid-scan). */
  abortOpen(now: number = performance.now()): void {
    if (this.open !== null) this.seal('aborted', now);
  }

  private end(e: SeriesEndEvent, now: number): Fate {
    if (this.open?.series !== e.series) return this.count(e.series === null ? 'bad-header' : 'unknown-series', `dseries_end for series ${e.series}, open: ${this.open?.series ?? 'none'}`);
    this.seal('ended', now);
    return 'control';
  }

  private frame(e: FrameEvent): Fate {
    const open = this.open;
    if (open?.series !== e.series) return this.count('unknown-series', `frame ${e.frame} of series ${e.series}, open: ${open?.series ?? 'none'}`);
    const fate = open.add(e);
    if (fate === 'processed' || fate === 'duplicates') return fate;
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
    return 'dropped';
  }

  /** Counts a malformed message stream-wide and logs its reason the first time. */
  private count(reason: MalformedReason, detail: string): Fate {
    this.totals.malformedReasons[reason] = (this.totals.malformedReasons[reason] ?? 0) + 1;
    if (!this.logged.has(reason)) {
      this.logged.add(reason);
      this.options.log?.(`malformed message (${reason}): ${detail}; further '${reason}' messages are counted, not logged`);
    }
    return 'malformed';
  }

  private seal(how: 'ended' | 'aborted', now: number): void {
    const open = this.open as OpenScan;
    this.open = null;
    const scan = open.seal(how, now);
    this.totals.scans[scan.report.status]++;
    this.options.onScan(scan);
  }
}

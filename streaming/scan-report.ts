/**
 * Per-scan accounting. Every frame message attributed to a scan ends in exactly one counter:
 * `received = processed + duplicates + malformed + dropped`; frame numbers that never arrived in any
 * form are `missing`. Stream-wide totals add the messages that belong to no scan.
 */
import type { DType } from '../imaging/index.js';
import type { MalformedReason, ScanMeta } from './stream-event.js';

/** complete: every expected frame processed; incomplete: the series ended with holes; aborted: see
 * AbortReason. */
export type ScanStatus = 'complete' | 'incomplete' | 'aborted';

/** Why a scan was aborted: a new series began before it ended, the stream stopped, or it would have
 * passed the per-scan memory bound (its frames, or the volume they make). */
export type AbortReason = 'next-series' | 'stopped' | 'scan-too-large';

/** Why frames were dropped: the live-mode queue was full, or their scan passed its memory bound. */
export type DropReason = 'queue-full' | 'scan-too-large';

export interface ScanReport {
  readonly series: string;
  readonly status: ScanStatus;
  /** Why an aborted scan was cut short (`detail` in words, for the log line); null otherwise. */
  readonly abort: { readonly reason: AbortReason; readonly detail: string } | null;
  /** Frames the header announced, or null when it did not say. */
  readonly expected: number | null;
  readonly received: number;
  readonly processed: number;
  readonly duplicates: number;
  readonly malformed: number;
  readonly malformedReasons: Readonly<Partial<Record<MalformedReason, number>>>;
  readonly dropped: number;
  /** The first (up to 1000) frame numbers in [0, expected) (or up to the highest seen) that never
   * arrived in any form, in order; `missingCount` counts them all. */
  readonly missing: readonly number[];
  readonly missingCount: number;
  /** Frames that arrived after a higher frame number (placed correctly; informational). */
  readonly outOfOrder: number;
  /** `[z, y, x]` of the assembled volume (darks and flats excluded), or null without one. */
  readonly shape: readonly [number, number, number] | null;
  readonly dtype: DType | null;
  readonly scan: ScanMeta | null;
  /** performance.now() of the series header and of the series end (or abort). */
  readonly startedAt: number;
  readonly endedAt: number;
}

/** Stream-wide counters: `messages = control + processed + duplicates + malformed + dropped +
 * discarded` (discarded: received after a stop, never decoded). */
export interface StreamTotals {
  messages: number;
  control: number;
  processed: number;
  duplicates: number;
  malformed: number;
  dropped: number;
  discarded: number;
  /** Dropped frames by why. Frames of a scan aborted as too large that arrive after the abort are
   * counted here (and in `dropped`) only: their scan has been reported. */
  droppedReasons: Partial<Record<DropReason, number>>;
  /** Scans delivered, by status. */
  scans: Record<ScanStatus, number>;
  malformedReasons: Partial<Record<MalformedReason, number>>;
}

/** Fresh totals at zero. */
export function emptyTotals(): StreamTotals {
  return { messages: 0, control: 0, processed: 0, duplicates: 0, malformed: 0, dropped: 0, discarded: 0, droppedReasons: {}, scans: { complete: 0, incomplete: 0, aborted: 0 }, malformedReasons: {} };
}

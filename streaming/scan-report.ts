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

/** The accounting of one scan (series), delivered with the scan when its series ends or it is aborted. */
export interface ScanReport {
  /** The series id from the stream's header. */
  readonly series: string;
  /** How the scan ended. */
  readonly status: ScanStatus;
  /** Why an aborted scan was cut short (`detail` in words, for the log line); null otherwise. */
  readonly abort: {
    /** Why, as a code. */
    readonly reason: AbortReason;
    /** Why, in words. */
    readonly detail: string;
  } | null;
  /** Frames the header announced, or null when it did not say. */
  readonly expected: number | null;
  /** Frame messages attributed to the scan: processed + duplicates + malformed + dropped. */
  readonly received: number;
  /** Frames placed in the volume. */
  readonly processed: number;
  /** Frames whose number had already arrived (ignored). */
  readonly duplicates: number;
  /** Frames that could not be used; by why in `malformedReasons`. */
  readonly malformed: number;
  /** Malformed frames, by reason. */
  readonly malformedReasons: Readonly<Partial<Record<MalformedReason, number>>>;
  /** Frames dropped (full live-mode queue, or the scan over its memory bound). */
  readonly dropped: number;
  /** The first (up to 1000) frame numbers in [0, expected) (or up to the highest seen) that never
   * arrived in any form, in order; `missingCount` counts them all. */
  readonly missing: readonly number[];
  /** How many frame numbers never arrived in any form. */
  readonly missingCount: number;
  /** Frames that arrived after a higher frame number (placed correctly; informational). */
  readonly outOfOrder: number;
  /** `[z, y, x]` of the assembled volume (darks and flats excluded), or null without one. */
  readonly shape: readonly [number, number, number] | null;
  /** Pixel type of the assembled volume, or null without one. */
  readonly dtype: DType | null;
  /** Tomography metadata of the series header, or null when it had none. */
  readonly scan: ScanMeta | null;
  /** performance.now() of the series header and of the series end (or abort). */
  readonly startedAt: number;
  /** performance.now() of the series end (or abort). */
  readonly endedAt: number;
}

/** Stream-wide counters: `messages = control + processed + duplicates + malformed + dropped +
 * discarded` (discarded: received after a stop, never decoded). */
export interface StreamTotals {
  /** Every message received. */
  messages: number;
  /** Control messages (series headers, ends, configuration). */
  control: number;
  /** Frames placed in a scan. */
  processed: number;
  /** Frames whose number had already arrived. */
  duplicates: number;
  /** Messages that could not be used. */
  malformed: number;
  /** Frames dropped, for the reasons in `droppedReasons`. */
  dropped: number;
  /** Messages received after a stop, never decoded. */
  discarded: number;
  /** Dropped frames by why. Frames of a scan aborted as too large that arrive after the abort are
   * counted here (and in `dropped`) only: their scan has been reported. */
  droppedReasons: Partial<Record<DropReason, number>>;
  /** Scans delivered, by status. */
  scans: Record<ScanStatus, number>;
  /** Malformed messages, by reason. */
  malformedReasons: Partial<Record<MalformedReason, number>>;
}

/** Fresh totals at zero. */
export function emptyTotals(): StreamTotals {
  return { messages: 0, control: 0, processed: 0, duplicates: 0, malformed: 0, dropped: 0, discarded: 0, droppedReasons: {}, scans: { complete: 0, incomplete: 0, aborted: 0 }, malformedReasons: {} };
}

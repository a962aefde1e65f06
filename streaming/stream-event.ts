/**
 * What a protocol decoder makes of a message: the start or end of a series, a frame, or a reason why
 * the message could not be used. Decoders never throw on bad input; they return `malformed` events.
 */
import type { DType } from '../imaging/index.js';

/** Tomography metadata from a series header's appendix (`{ "scan": { ... } }`). */
export interface ScanMeta {
  readonly id?: string | number;
  readonly nProjections?: number;
  readonly angleStart?: number;
  readonly angleStep?: number;
  readonly nDarks?: number;
  readonly nFlats?: number;
  readonly pixelSizeUm?: number;
}

/** dark and flat frames are calibration; projection and slice frames are the volume's slices. */
export type FrameType = 'dark' | 'flat' | 'projection' | 'slice';

/** Why a message was not used. Logged once per kind, counted per scan and in the totals. */
export type MalformedReason =
  | 'bad-multipart'
  | 'bad-json'
  | 'unknown-htype'
  | 'bad-header'
  | 'bad-blob-size'
  | 'bad-encoding'
  | 'unknown-series'
  | 'shape-mismatch'
  | 'frame-out-of-range';

export interface SeriesStartEvent {
  readonly kind: 'series-start';
  readonly series: string;
  /** Frames the series announces (scan metadata, or nimages x ntrigger), when it says. */
  readonly expected: number | null;
  readonly scan: ScanMeta | null;
  /** `[y, x]` of every frame, when the header gives the detector size; it then decides the layout. */
  readonly frameShape: readonly [number, number] | null;
}

export interface FrameEvent {
  readonly kind: 'frame';
  readonly series: string;
  readonly frame: number;
  /** `[y, x]` of one slice; `depth` slices when the message carries several (array-1.0 `[z, y, x]`). */
  readonly shape: readonly [number, number];
  readonly depth: number;
  readonly dtype: DType;
  /** Decoded little-endian pixel bytes (may be a view into the received message). */
  readonly bytes: Uint8Array;
  readonly frameType: FrameType | null;
  readonly angle: number | null;
}

export interface SeriesEndEvent {
  readonly kind: 'series-end';
  readonly series: string;
}

export interface MalformedEvent {
  readonly kind: 'malformed';
  readonly reason: MalformedReason;
  readonly detail: string;
  /** Set when the message could be attributed to a series (and frame). */
  readonly series: string | null;
  readonly frame: number | null;
}

/** A frame message dropped in live mode before decoding (its series and frame from the peek). */
export interface DroppedEvent {
  readonly kind: 'dropped';
  readonly series: string | null;
  readonly frame: number | null;
}

/** A control message that changes nothing (a dconfig-only message, an ignored htype we know). */
export interface ControlEvent {
  readonly kind: 'control';
}

export type StreamEvent = SeriesStartEvent | FrameEvent | SeriesEndEvent | MalformedEvent | DroppedEvent | ControlEvent;

/** Builds a malformed event. */
export function malformed(reason: MalformedReason, detail: string, series: string | null = null, frame: number | null = null): MalformedEvent {
  return { kind: 'malformed', reason, detail, series, frame };
}

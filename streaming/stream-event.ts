/**
 * What a protocol decoder makes of a message: the start or end of a series, a frame, or a reason why
 * the message could not be used. Decoders never throw on bad input; they return `malformed` events.
 */
import type { DType } from '../imaging/index.js';

/** Tomography metadata from a series header's appendix (`{ "scan": { ... } }`). */
export interface ScanMeta {
  /** The scan's id in the facility's numbering. */
  readonly id?: string | number;
  /** Projection frames the scan will send. */
  readonly nProjections?: number;
  /** Angle of the first projection, in degrees. */
  readonly angleStart?: number;
  /** Angle between consecutive projections, in degrees. */
  readonly angleStep?: number;
  /** Dark frames (beam off) the scan will send. */
  readonly nDarks?: number;
  /** Flat frames (beam on, no sample) the scan will send. */
  readonly nFlats?: number;
  /** Detector pixel size in micrometres. */
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

/** A series header: a scan begins. */
export interface SeriesStartEvent {
  readonly kind: 'series-start';
  readonly series: string;
  /** Frames the series announces (scan metadata, or nimages x ntrigger), when it says. */
  readonly expected: number | null;
  readonly scan: ScanMeta | null;
  /** `[y, x]` of every frame, when the header gives the detector size; it then decides the layout. */
  readonly frameShape: readonly [number, number] | null;
}

/** One decoded frame (or a stack of `depth` slices) of a series. */
export interface FrameEvent {
  /** Discriminant: 'frame'. */
  readonly kind: 'frame';
  /** The series the frame belongs to. */
  readonly series: string;
  /** Frame number within the series, from 0. */
  readonly frame: number;
  /** `[y, x]` of one slice; `depth` slices when the message carries several (array-1.0 `[z, y, x]`). */
  readonly shape: readonly [number, number];
  /** Slices the message carries (1 for a single frame). */
  readonly depth: number;
  /** Pixel type. */
  readonly dtype: DType;
  /** Decoded little-endian pixel bytes (may be a view into the received message). */
  readonly bytes: Uint8Array;
  /** What the frame is (dark, flat, projection, slice), when its metadata says. */
  readonly frameType: FrameType | null;
  /** Rotation angle in degrees of a projection, when its metadata says. */
  readonly angle: number | null;
}

/** A series end: the scan is sealed. */
export interface SeriesEndEvent {
  readonly kind: 'series-end';
  readonly series: string;
}

/** A message that could not be used, and why. */
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

/** What a protocol decoder makes of one message. */
export type StreamEvent = SeriesStartEvent | FrameEvent | SeriesEndEvent | MalformedEvent | DroppedEvent | ControlEvent;

/** Builds a malformed event. */
export function malformed(reason: MalformedReason, detail: string, series: string | null = null, frame: number | null = null): MalformedEvent {
  return { kind: 'malformed', reason, detail, series, frame };
}

/**
 * Builds PSI array-1.0 messages (for the simulator and tests).
 */
import type { DType } from '../imaging/index.js';
import { pixelTypeName } from './pixel-type.js';
import type { FrameType, ScanMeta } from './stream-event.js';

/** One frame to encode as an array-1.0 message. */
export interface Array1Frame {
  /** Frame number (a reset to 0 begins a new scan). */
  readonly frame: number;
  /** `[y, x]`. */
  readonly shape: readonly [number, number];
  /** Pixel type. */
  readonly dtype: DType;
  /** Little-endian pixel bytes. */
  readonly bytes: Uint8Array;
  /** Tomography metadata (sent with a scan's first frame). */
  readonly scan?: ScanMeta;
  /** What the frame is (dark, flat, projection, slice). */
  readonly frameType?: FrameType;
  /** Rotation angle in degrees. */
  readonly angle?: number;
}

/** The JSON header and the little-endian data. */
export function array1Message(f: Array1Frame): Buffer[] {
  const header: Record<string, unknown> = { htype: 'array-1.0', type: pixelTypeName(f.dtype), shape: [...f.shape], frame: f.frame, endianness: 'little' };
  if (f.scan !== undefined) header['scan'] = f.scan;
  if (f.frameType !== undefined) header['frameType'] = f.frameType;
  if (f.angle !== undefined) header['angle'] = f.angle;
  return [Buffer.from(JSON.stringify(header)), Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength)];
}

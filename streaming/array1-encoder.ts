/**
 * Builds PSI array-1.0 messages (for the simulator and tests).
 */
import type { DType } from '../imaging/index.js';
import { pixelTypeName } from './pixel-type.js';
import type { FrameType, ScanMeta } from './stream-event.js';

export interface Array1Frame {
  readonly frame: number;
  /** `[y, x]`. */
  readonly shape: readonly [number, number];
  readonly dtype: DType;
  readonly bytes: Uint8Array;
  readonly scan?: ScanMeta;
  readonly frameType?: FrameType;
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

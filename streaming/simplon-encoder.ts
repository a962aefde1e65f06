/**
 * Builds SIMPLON stream v1 messages as a DECTRIS detector sends them (for the simulator and tests).
 */
import type { DType } from '../imaging/index.js';
import { lz4EncodeBlock } from '../imaging/io/lz4-block.js';
import { pixelTypeName } from './pixel-type.js';
import type { FrameType, ScanMeta } from './stream-event.js';

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

/** dheader-1.0 with header_detail 'basic' (detector config with nimages and the detector size) and a
 * scan appendix; `nimages` null: a config without a frame count (a detector armed for an open-ended
 * series). */
export function simplonHeader(series: number, nimages: number | null, scan: ScanMeta | null, shape: readonly [number, number]): Buffer[] {
  const count = nimages === null ? {} : { nimages, ntrigger: 1 };
  const parts = [
    json({ htype: 'dheader-1.0', series, header_detail: 'basic' }),
    json({ ...count, x_pixels_in_detector: shape[1], y_pixels_in_detector: shape[0], software_version: 'voxelflow-simulator' }),
  ];
  if (scan !== null) parts.push(json({ scan }));
  return parts;
}

/** One frame to encode as a SIMPLON dimage message. */
export interface SimplonFrame {
  /** Series id of the scan. */
  readonly series: number;
  /** Frame number within the series, from 0. */
  readonly frame: number;
  /** `[y, x]`. */
  readonly shape: readonly [number, number];
  /** Pixel type. */
  readonly dtype: DType;
  /** Little-endian pixel bytes. */
  readonly bytes: Uint8Array;
  /** Blob encoding: raw, or an lz4 block. */
  readonly encoding: 'none' | 'lz4';
  /** The lz4 block of `bytes`, when the caller has it already (a simulator replaying a volume). */
  readonly lz4?: Buffer;
  /** Sent in the image appendix, when given. */
  readonly frameType?: FrameType;
  /** Rotation angle in degrees, sent in the image appendix when given. */
  readonly angle?: number;
}

/** dimage-1.0 + dimage_d-1.0 + blob + dconfig-1.0 (+ appendix when the frame has tomography metadata). */
export function simplonImage(f: SimplonFrame): Buffer[] {
  const blob = f.encoding === 'lz4' ? (f.lz4 ?? lz4EncodeBlock(f.bytes)) : Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
  const parts = [
    json({ htype: 'dimage-1.0', series: f.series, frame: f.frame, hash: '' }),
    json({ htype: 'dimage_d-1.0', shape: [f.shape[1], f.shape[0]], type: pixelTypeName(f.dtype), encoding: f.encoding === 'lz4' ? 'lz4<' : '<', size: blob.length }),
    blob,
    json({ htype: 'dconfig-1.0', start_time: f.frame * 1000, stop_time: f.frame * 1000 + 900, real_time: 900 }),
  ];
  if (f.frameType !== undefined || f.angle !== undefined) parts.push(json({ frameType: f.frameType, angle: f.angle }));
  return parts;
}

/** dseries_end-1.0. */
export function simplonEnd(series: number): Buffer[] {
  return [json({ htype: 'dseries_end-1.0', series })];
}

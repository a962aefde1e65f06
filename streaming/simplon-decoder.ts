/**
 * DECTRIS SIMPLON stream interface v1 (EIGER/PILATUS4 `stream` subsystem). One series = one scan.
 *   dheader-1.0:     {htype, series, header_detail: none|basic|all} [+ detector config JSON (basic/all)]
 *                    [+ (dflatfield-1.0 | dpixelmask-1.0 | dcountrate_table-1.0) header + blob pairs (all)]
 *                    [+ header appendix]
 *   dimage-1.0:      {htype, series, frame, hash} + dimage_d-1.0 {shape: [x, y], type, encoding, size}
 *                    + blob + dconfig-1.0 {start_time, stop_time, real_time} [+ image appendix]
 *   dseries_end-1.0: {htype, series}
 */
import { lz4DecodeBlock } from '../imaging/io/lz4-block.js';
import type { MessagePeek } from './message-queue.js';
import { pixelBytes, pixelDType, isShape, swapBytes } from './pixel-type.js';
import { frameNumber, jsonPart, seriesId, type ProtocolDecoder } from './protocol-decoder.js';
import { malformed, type StreamEvent } from './stream-event.js';
import { expectedFrames, frameMeta, scanMeta } from './tomo-metadata.js';

/** Pixels along one side of a detector, at most (the largest today have ~6000). */
const MAX_DETECTOR_PIXELS = 1 << 16;

const DETAIL_PARTS = new Set(['dflatfield-1.0', 'dpixelmask-1.0', 'dcountrate_table-1.0']);

/** Decodes DECTRIS SIMPLON v1 messages (EIGER/PILATUS4 `stream` interface): one series is one scan. */
export class SimplonDecoder implements ProtocolDecoder {
  /** 'simplon-v1'. */
  readonly name = 'simplon-v1' as const;

  peek(parts: readonly Buffer[]): MessagePeek {
    // Only series headers and ends are control (never dropped); anything else, garbage included, may
    // be dropped in live mode, so a flood of bad messages cannot grow the queue without bound.
    const first = parts[0];
    const h = first !== undefined && first.length <= 4096 ? jsonPart(first) : null;
    const htype = h?.['htype'];
    if (htype === 'dheader-1.0' || htype === 'dseries_end-1.0') return { kind: 'control', series: null, frame: null };
    if (htype === 'dimage-1.0') return { kind: 'data', series: seriesId(h?.['series']), frame: frameNumber(h?.['frame']) };
    return { kind: 'data', series: null, frame: null };
  }

  decode(parts: readonly Buffer[]): StreamEvent[] {
    const h = jsonPart(parts[0]);
    if (h === null) return [malformed('bad-json', 'first part is not a JSON object')];
    const htype = h['htype'];
    if (htype === 'dimage-1.0') return [decodeImage(h, parts)];
    if (htype === 'dheader-1.0') return [decodeHeader(h, parts)];
    if (htype === 'dseries_end-1.0') {
      const series = seriesId(h['series']);
      return [series === null ? malformed('bad-header', 'dseries_end-1.0 without a series id') : { kind: 'series-end', series }];
    }
    return [malformed('unknown-htype', `htype ${JSON.stringify(htype)}`)];
  }

  idle(): StreamEvent[] {
    return [];
  }

  dropped(peek: MessagePeek): StreamEvent[] {
    return [{ kind: 'dropped', series: peek.series, frame: peek.frame }];
  }
}

function decodeHeader(h: Record<string, unknown>, parts: readonly Buffer[]): StreamEvent {
  const series = seriesId(h['series']);
  if (series === null) return malformed('bad-header', 'dheader-1.0 without a series id');
  const detail = h['header_detail'] ?? 'none';
  if (detail !== 'none' && detail !== 'basic' && detail !== 'all') return malformed('bad-header', `header_detail ${JSON.stringify(detail)}`, series);
  let i = 1;
  let config: Record<string, unknown> | null = null;
  if (detail !== 'none') {
    config = jsonPart(parts[i++]);
    if (config === null) return malformed('bad-multipart', `dheader-1.0 (${detail}) without its detector config part`, series);
  }
  if (detail === 'all') {
    for (;;) {
      const d = jsonPart(parts[i]);
      if (d === null || typeof d['htype'] !== 'string' || !DETAIL_PARTS.has(d['htype'])) break;
      const blob = parts[i + 1];
      if (blob === undefined) return malformed('bad-multipart', `${d['htype']} without its data part`, series);
      const dtype = pixelDType(d['type']);
      const shape = d['shape'];
      if (dtype !== null && isShape(shape, [2]) && blob.length !== shape[0]! * shape[1]! * pixelBytes(dtype)) {
        return malformed('bad-blob-size', `${d['htype']} blob has ${blob.length} bytes, header says ${shape.join('x')} ${String(d['type'])}`, series);
      }
      i += 2;
    }
  }
  if (parts.length > i + 1) return malformed('bad-multipart', `dheader-1.0 (${detail}) has ${parts.length} parts, expected at most ${i + 1}`, series);
  const scan = scanMeta(jsonPart(parts[i]));
  let expected = expectedFrames(scan);
  if (expected === null && config !== null) {
    const n = config['nimages'], t = config['ntrigger'] ?? 1;
    if (typeof n === 'number' && typeof t === 'number' && Number.isInteger(n * t) && n * t > 0) expected = n * t;
  }
  return { kind: 'series-start', series, expected, scan, frameShape: detectorSize(config) };
}

/** `[y, x]` from the detector config's x/y_pixels_in_detector, when both are plausible sizes. */
function detectorSize(config: Record<string, unknown> | null): readonly [number, number] | null {
  const x = config?.['x_pixels_in_detector'], y = config?.['y_pixels_in_detector'];
  const size = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= MAX_DETECTOR_PIXELS;
  return size(x) && size(y) ? [y, x] : null;
}

function decodeImage(h: Record<string, unknown>, parts: readonly Buffer[]): StreamEvent {
  const series = seriesId(h['series']);
  const frame = frameNumber(h['frame']);
  if (series === null || frame === null) return malformed('bad-header', 'dimage-1.0 without a series id or frame number', series, frame);
  if (parts.length !== 4 && parts.length !== 5) return malformed('bad-multipart', `dimage-1.0 has ${parts.length} parts, expected 4 or 5`, series, frame);
  const d = jsonPart(parts[1]);
  if (d?.['htype'] !== 'dimage_d-1.0') return malformed('bad-multipart', 'second part is not dimage_d-1.0', series, frame);
  const c = jsonPart(parts[3]);
  if (c?.['htype'] !== 'dconfig-1.0') return malformed('bad-multipart', 'fourth part is not dconfig-1.0', series, frame);
  const dtype = pixelDType(d['type']);
  const shape = d['shape'];
  if (dtype === null || !isShape(shape, [2])) return malformed('bad-header', `dimage_d-1.0 shape ${JSON.stringify(shape)} type ${JSON.stringify(d['type'])}`, series, frame);
  const blob = parts[2] as Buffer;
  const size = shape[0]! * shape[1]! * pixelBytes(dtype);
  const encoding = d['encoding'];
  let bytes: Uint8Array;
  if (encoding === '<' || encoding === '>') {
    if (blob.length !== size) return malformed('bad-blob-size', `blob has ${blob.length} bytes, ${shape.join('x')} ${String(d['type'])} needs ${size}`, series, frame);
    bytes = encoding === '<' || dtype === 'u8' ? blob : swapBytes(blob, pixelBytes(dtype));
  } else if (encoding === 'lz4<') {
    if (typeof d['size'] === 'number' && d['size'] !== blob.length) return malformed('bad-blob-size', `lz4 blob has ${blob.length} bytes, dimage_d says ${d['size']}`, series, frame);
    try {
      bytes = lz4DecodeBlock(blob, size);
    } catch (err) {
      return malformed('bad-blob-size', `lz4 blob does not decode to ${size} bytes (${(err as Error).message})`, series, frame);
    }
  } else {
    return malformed('bad-encoding', `encoding ${JSON.stringify(encoding)} (supported: '<', '>', 'lz4<')`, series, frame);
  }
  const { frameType, angle } = frameMeta(jsonPart(parts[4]));
  return { kind: 'frame', series, frame, shape: [shape[1]!, shape[0]!], depth: 1, dtype, bytes, frameType, angle };
}

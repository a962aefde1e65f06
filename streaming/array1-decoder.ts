/**
 * PSI `array-1.0` (bsread/camera servers): two parts, a JSON header `{ htype: "array-1.0", type,
 * shape: [y, x] | [z, y, x], frame, endianness? }` and the raw data. The protocol has no series
 * messages, so a scan begins on a frame-number reset and ends on the next reset or after an idle
 * timeout. Optional tomography fields ride in the header: `scan` (first frame), `frameType`, `angle`.
 *
 * A reset is a frame number below the scan's highest one that is 0 or more than REORDER_WINDOW below
 * it; anything else is an out-of-order or duplicate frame of the current scan.
 */
import type { MessagePeek } from './message-queue.js';
import { pixelBytes, pixelDType, isShape, swapBytes } from './pixel-type.js';
import { frameNumber, jsonPart, type ProtocolDecoder } from './protocol-decoder.js';
import { malformed, type StreamEvent } from './stream-event.js';
import { expectedFrames, frameMeta, scanMeta } from './tomo-metadata.js';

const REORDER_WINDOW = 64;

/** Decodes PSI `array-1.0` messages: a scan begins on a frame-number reset and ends on the next reset or an idle timeout. */
export class Array1Decoder implements ProtocolDecoder {
  /** 'array-1.0'. */
  readonly name = 'array-1.0' as const;
  private scans = 0;
  private open: string | null = null;
  private maxFrame = -1;

  peek(parts: readonly Buffer[]): MessagePeek {
    const first = parts[0];
    const h = first !== undefined && first.length <= 4096 ? jsonPart(first) : null;
    return { kind: 'data', series: null, frame: h === null ? null : frameNumber(h['frame']) };
  }

  decode(parts: readonly Buffer[]): StreamEvent[] {
    const h = jsonPart(parts[0]);
    if (h === null) return [malformed('bad-json', 'first part is not a JSON object', this.open)];
    if (h['htype'] !== undefined && h['htype'] !== 'array-1.0') return [malformed('unknown-htype', `htype ${JSON.stringify(h['htype'])}`, this.open)];
    const frame = frameNumber(h['frame']);
    if (frame === null) return [malformed('bad-header', 'array-1.0 header without a frame number', this.open)];
    const events = this.boundary(frame, h);
    const series = this.open as string;
    const dtype = pixelDType(h['type']);
    const shape = h['shape'];
    if (parts.length !== 2) {
      events.push(malformed('bad-multipart', `array-1.0 message has ${parts.length} parts, expected 2`, series, frame));
    } else if (dtype === null || !isShape(shape, [2, 3])) {
      events.push(malformed('bad-header', `array-1.0 shape ${JSON.stringify(shape)} type ${JSON.stringify(h['type'])}`, series, frame));
    } else {
      const [depth, y, x] = shape.length === 3 ? (shape as [number, number, number]) : [1, shape[0] as number, shape[1] as number];
      const blob = parts[1] as Buffer;
      const size = depth * y * x * pixelBytes(dtype);
      const endian = h['endianness'] ?? 'little';
      if (endian !== 'little' && endian !== 'big') {
        events.push(malformed('bad-encoding', `endianness ${JSON.stringify(endian)}`, series, frame));
      } else if (blob.length !== size) {
        events.push(malformed('bad-blob-size', `data has ${blob.length} bytes, ${shape.join('x')} ${String(h['type'])} needs ${size}`, series, frame));
      } else {
        const bytes = endian === 'little' || dtype === 'u8' ? blob : swapBytes(blob, pixelBytes(dtype));
        const { frameType, angle } = frameMeta(h);
        events.push({ kind: 'frame', series, frame, shape: [y, x], depth, dtype, bytes, frameType, angle });
      }
    }
    return events;
  }

  idle(): StreamEvent[] {
    if (this.open === null) return [];
    const series = this.open;
    this.open = null;
    this.maxFrame = -1;
    return [{ kind: 'series-end', series }];
  }

  dropped(peek: MessagePeek): StreamEvent[] {
    if (peek.frame === null) return [{ kind: 'dropped', series: this.open, frame: null }];
    const events = this.boundary(peek.frame, null);
    events.push({ kind: 'dropped', series: this.open, frame: peek.frame });
    return events;
  }

  /** Ends the open scan and starts a new one when `frame` is a reset. */
  private boundary(frame: number, header: Record<string, unknown> | null): StreamEvent[] {
    const events: StreamEvent[] = [];
    const reset = this.open !== null && frame < this.maxFrame && (frame === 0 || this.maxFrame - frame > REORDER_WINDOW);
    if (reset) events.push(...this.idle());
    if (this.open === null) {
      this.open = String(++this.scans);
      const scan = scanMeta(header);
      events.push({ kind: 'series-start', series: this.open, expected: expectedFrames(scan), scan, frameShape: null });
    }
    if (frame > this.maxFrame) this.maxFrame = frame;
    return events;
  }
}

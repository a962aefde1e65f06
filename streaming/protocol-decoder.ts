/**
 * The contract between a ZeroMQ source and a wire protocol: a cheap `peek` for the receive loop
 * (control or data, and which series/frame), and `decode` for the assembler.
 */
import type { MessagePeek } from './message-queue.js';
import type { StreamEvent } from './stream-event.js';

/** The wire protocols voxelflow reads. */
export type ProtocolName = 'simplon-v1' | 'array-1.0';

/** Every ProtocolName, for validating the `protocol` option. */
export const PROTOCOLS: readonly ProtocolName[] = ['simplon-v1', 'array-1.0'];

/** A wire protocol's decoder: `peek` for the receive loop, `decode` for the assembler; never throws on bad input. */
export interface ProtocolDecoder {
  /** The protocol it decodes. */
  readonly name: ProtocolName;
  /** Classifies a message without decoding pixels; never throws. */
  peek(parts: readonly Buffer[]): MessagePeek;
  /** Turns one message into events; never throws. */
  decode(parts: readonly Buffer[]): StreamEvent[];
  /** Called when no message arrived for the idle timeout (array-1.0 ends its scan here). */
  idle(): StreamEvent[];
  /** The events for a message dropped in live mode (array-1.0 may start a new scan on it). */
  dropped(peek: MessagePeek): StreamEvent[];
}

/** Parses a JSON object from a message part, or null when it is not one. */
export function jsonPart(part: Buffer | undefined): Record<string, unknown> | null {
  if (part === undefined || part.length === 0 || part.length > 1 << 20) return null;
  try {
    const v: unknown = JSON.parse(part.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A series id as a string (SIMPLON sends integers), or null when absent or not scalar. */
export function seriesId(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.length > 0 && v.length <= 256) return v;
  return null;
}

/** A frame number, or null when it is not a non-negative integer. */
export function frameNumber(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

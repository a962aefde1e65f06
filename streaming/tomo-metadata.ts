/**
 * Tomography metadata carried in appendix parts: `{ "scan": { id, nProjections, angleStart,
 * angleStep, nDarks, nFlats, pixelSizeUm } }` in a series header, `{ "frameType", "angle" }` per frame.
 * Appendices are free-form for the detector, so unknown or invalid fields are ignored, not errors.
 */
import type { FrameType, ScanMeta } from './stream-event.js';

const FRAME_TYPES: readonly string[] = ['dark', 'flat', 'projection', 'slice'];

/** The scan metadata of a header appendix object, or null. */
export function scanMeta(appendix: Record<string, unknown> | null): ScanMeta | null {
  const s = appendix?.['scan'];
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return null;
  const o = s as Record<string, unknown>;
  const meta: { -readonly [K in keyof ScanMeta]: ScanMeta[K] } = {};
  if (typeof o['id'] === 'string' || typeof o['id'] === 'number') meta.id = o['id'];
  for (const k of ['nProjections', 'nDarks', 'nFlats'] as const) {
    const v = o[k];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) meta[k] = v;
  }
  for (const k of ['angleStart', 'angleStep', 'pixelSizeUm'] as const) {
    const v = o[k];
    if (typeof v === 'number' && Number.isFinite(v)) meta[k] = v;
  }
  return meta;
}

/** Frames a scan announces: darks + flats + projections, when it names its projections. */
export function expectedFrames(meta: ScanMeta | null): number | null {
  if (meta?.nProjections === undefined) return null;
  return (meta.nDarks ?? 0) + (meta.nFlats ?? 0) + meta.nProjections;
}

/** The frame type and angle of a frame appendix object. */
export function frameMeta(appendix: Record<string, unknown> | null): { frameType: FrameType | null; angle: number | null } {
  const t = appendix?.['frameType'];
  const a = appendix?.['angle'];
  return {
    frameType: typeof t === 'string' && FRAME_TYPES.includes(t) ? (t as FrameType) : null,
    angle: typeof a === 'number' && Number.isFinite(a) ? a : null,
  };
}

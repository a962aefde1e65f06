/**
 * Pictures shown on the dashboard: PNG bytes (from a Preview of imaging/preview, or any PNG) and SVG
 * plots (histogramSvg, sizeDistributionSvg), by name. Showing a name again replaces its picture and
 * bumps its version; the oldest names go first beyond the bound.
 */
import { ConfigError } from '../core/index.js';
import { Preview } from '../imaging/index.js';
import type { PreviewRow } from './api-types.js';

/** What `showPreview` accepts: an image preview, PNG bytes, or an SVG document as text. */
export type PreviewSource = Preview | Uint8Array | string;

export interface StoredPreview {
  readonly row: PreviewRow;
  readonly bytes: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export class PreviewStore {
  private readonly byId = new Map<string, StoredPreview>();
  private versions = 0;

  constructor(private readonly max = 32) {}

  /** Stores (or replaces) the picture called `name`; returns its row. Throws a TypeError for bad input. */
  show(name: string, source: PreviewSource): PreviewRow {
    if (typeof name !== 'string' || name.trim() === '') throw new ConfigError('name', 'showPreview: name must be a non-empty string, e.g. "labels z=32"');
    const { type, bytes, width, height } = encode(source);
    const id = slug(name);
    this.byId.delete(id);
    while (this.byId.size >= this.max) this.byId.delete(this.byId.keys().next().value as string);
    const version = ++this.versions;
    const row: PreviewRow = { id, name, type, url: `/api/v1/previews/${id}.${type}?v=${version}`, width, height, bytes: bytes.length, version, updated: Date.now() };
    this.byId.set(id, { row, bytes });
    return row;
  }

  /** Newest first. */
  list(): PreviewRow[] {
    return [...this.byId.values()].map((p) => p.row).reverse();
  }

  get(id: string): StoredPreview | undefined {
    return this.byId.get(id);
  }
}

function encode(source: PreviewSource): { type: 'png' | 'svg'; bytes: Buffer; width: number | null; height: number | null } {
  if (source instanceof Preview) return { type: 'png', bytes: source.png(), width: source.width, height: source.height };
  if (source instanceof Uint8Array) {
    const bytes = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
      throw new ConfigError('picture', 'showPreview: bytes are not a PNG (no PNG signature); pass preview.png() or a Preview');
    }
    // Width and height sit in the IHDR chunk, right after the signature and the chunk header.
    return { type: 'png', bytes: Buffer.from(bytes), width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (typeof source === 'string' && /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(source)) {
    return { type: 'svg', bytes: Buffer.from(source, 'utf8'), width: null, height: null };
  }
  throw new ConfigError('picture', 'showPreview: expected a Preview (img.slice(z), img.mip(axis)), PNG bytes or an SVG string (histogramSvg(...))');
}

/** A URL-safe id for a name: lowercase words joined by '-', made unique by a short hash. */
function slug(name: string): string {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  const words = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return `${words || 'preview'}-${(h >>> 0).toString(16)}`;
}

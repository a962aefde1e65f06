/**
 * The structure of a TIFF file: the chain of image file directories (IFDs), one per page, reduced to
 * what reading voxels needs. Classic TIFF and BigTIFF, both byte orders. Every count and offset is
 * checked against the file size before it is used. Spec: TIFF 6.0; BigTIFF: https://www.awaresystems.be/imaging/tiff/bigtiff.html
 */
import { readAt, withFile } from './file-bytes.js';
import { failFor, type Fail } from './image-format-error.js';
import { TAG, toPage, type TiffPage } from './tiff-page.js';

const WANTED: ReadonlySet<number> = new Set(Object.values(TAG));

/** Bytes per value of each TIFF field type. */
const TYPE_SIZE: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };

/** A TIFF file's full-resolution pages, and the voxel size its ImageJ metadata gives. */
export interface TiffFile {
  readonly pages: TiffPage[];
  readonly spacing: readonly [number, number, number] | undefined;
}

/** Reads the full-resolution pages of a TIFF file (reduced-resolution thumbnails are skipped). */
export function readTiffPages(path: string): TiffFile {
  const fail: Fail = failFor(path, 'tiff');
  return withFile(path, fail, (fd, size) => {
    const head = readAt(fd, size, 0, Math.min(size, 16), 'the TIFF header', fail);
    const order = head.toString('latin1', 0, 2);
    if (head.length < 8 || (order !== 'II' && order !== 'MM')) fail('not a TIFF file (no II/MM byte-order mark)', 'pass the right format');
    const le = order === 'II';
    const magic = le ? head.readUInt16LE(2) : head.readUInt16BE(2);
    const big = magic === 43;
    if (magic !== 42 && !big) fail(`not a TIFF file (version ${magic}, expected 42 or 43)`, 'pass the right format');
    if (big && head.length < 16) fail('truncated: the BigTIFF header is cut short', 're-export the file');
    const dir = new IfdReader(fd, size, le, big, fail);
    const pages: TiffPage[] = [];
    let spacing: readonly [number, number, number] | undefined;
    const seen = new Set<number>();
    let offset = big ? dir.number(head, 8, 8) : dir.number(head, 4, 4);
    while (offset !== 0) {
      if (seen.has(offset)) fail(`corrupt: the IFD chain loops back to offset ${offset}`, 're-export the file');
      seen.add(offset);
      const ifd = dir.read(offset, pages.length);
      if (seen.size === 1) spacing = imageJSpacing(ifd.tags, ifd.description);
      if (((ifd.tags.get(TAG.NewSubfileType)?.[0] ?? 0) & 1) === 0) pages.push(toPage(path, pages.length, ifd.tags, le, size, fail));
      offset = ifd.next;
    }
    if (pages.length === 0) fail('has no full-resolution pages', 're-export the file');
    return { pages, spacing };
  });
}

/** Reads IFDs: the entry table, then the out-of-line values of the tags voxel reading needs. */
class IfdReader {
  constructor(
    readonly fd: number,
    readonly size: number,
    readonly le: boolean,
    readonly big: boolean,
    readonly fail: Fail,
  ) {}

  /** An unsigned integer of `width` bytes (up to 8; offsets past 2^53 are rejected). */
  number(buf: Buffer, at: number, width: number): number {
    if (width === 1) return buf[at]!;
    if (width === 2) return this.le ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
    if (width === 4) return this.le ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
    const lo = this.le ? buf.readUInt32LE(at) : buf.readUInt32BE(at + 4);
    const hi = this.le ? buf.readUInt32LE(at + 4) : buf.readUInt32BE(at);
    if (hi >= 2 ** 21) this.fail(`corrupt: an 8-byte value is larger than 2^53`, 're-export the file');
    return hi * 2 ** 32 + lo;
  }

  /** The IFD at `offset`: numeric tags, the image description (when short), and the next IFD's offset. */
  read(offset: number, page: number): { tags: Map<number, Float64Array>; description: string; next: number } {
    const countBytes = this.big ? 8 : 2;
    const entryBytes = this.big ? 20 : 12;
    const inline = this.big ? 8 : 4;
    const head = readAt(this.fd, this.size, offset, countBytes, `IFD ${page}`, this.fail);
    const count = this.number(head, 0, countBytes);
    const tableBytes = count * entryBytes + inline;
    const table = readAt(this.fd, this.size, offset + countBytes, tableBytes, `IFD ${page} (${count} entries)`, this.fail);
    const tags = new Map<number, Float64Array>();
    let description = '';
    for (let i = 0; i < count; i++) {
      const at = i * entryBytes;
      const tag = this.number(table, at, 2);
      if (!WANTED.has(tag)) continue;
      const type = this.number(table, at + 2, 2);
      const n = this.number(table, at + 4, this.big ? 8 : 4);
      const width = TYPE_SIZE[type];
      const metadata = tag === TAG.ImageDescription || tag === TAG.XResolution || tag === TAG.YResolution;
      // Metadata that is odd or long is ignored; it never makes the voxels unreadable.
      if (metadata && (n > 1 << 16 || (tag === TAG.ImageDescription ? type !== 2 : type !== 5))) continue;
      if (width === undefined || (!metadata && (type === 2 || type === 5 || type === 10 || type === 11 || type === 12))) {
        this.fail(`corrupt: tag ${tag} of page ${page} has field type ${type}`, 're-export the file');
      }
      const valueAt = at + 4 + (this.big ? 8 : 4);
      const bytes = n * width;
      let values: Buffer;
      let base = 0;
      if (bytes <= inline) {
        values = table;
        base = valueAt;
      } else {
        const where = this.number(table, valueAt, inline);
        if (metadata && where + bytes > this.size) continue;
        values = readAt(this.fd, this.size, where, bytes, `tag ${tag} of page ${page}`, this.fail);
      }
      if (type === 2) {
        description = values.toString('latin1', base, base + n);
        continue;
      }
      const out = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        out[k] = type === 5 ? this.number(values, base + k * 8, 4) / this.number(values, base + k * 8 + 4, 4) : this.number(values, base + k * width, width);
      }
      tags.set(tag, out);
    }
    return { tags, description, next: this.number(table, count * entryBytes, inline) };
  }
}

/**
 * Voxel size from ImageJ's conventions: pixels per unit in X/YResolution, and `spacing=` (the z step)
 * in an ImageDescription that starts with `ImageJ=`. Other files' resolutions (often a nominal 72 dpi)
 * say nothing about voxels, so they are ignored.
 */
function imageJSpacing(tags: ReadonlyMap<number, Float64Array>, description: string): readonly [number, number, number] | undefined {
  if (!description.startsWith('ImageJ=')) return undefined;
  const x = 1 / (tags.get(TAG.XResolution)?.[0] ?? 1);
  const y = 1 / (tags.get(TAG.YResolution)?.[0] ?? 1);
  const z = Number(/^spacing=(.*)$/m.exec(description)?.[1] ?? 1);
  return [z, y, x].every((v) => Number.isFinite(v) && v > 0) ? [z, y, x] : undefined;
}


/** `ctx.images.read(path)`: blocks read from an image file; each task reads only its box. */
import { statSync } from 'node:fs';

import type { TaskContext } from '../../core/index.js';
import type { ImageMeta } from '../block.js';
import type { Box } from '../box.js';
import type { TypedArray } from '../dtype.js';
import { SourceRegionNode } from './region-node.js';
import { ImageFormatError, openImage, type ImageSource, type OpenOptions } from '../io/index.js';

export interface FileSourceParams {
  readonly meta: ImageMeta;
  readonly path: string;
  readonly options: OpenOptions;
}

// One open source per file per thread: headers are parsed once, not once per block. A source holds
// offsets parsed from the header (TIFF strips, npy data start), so the key includes the file's
// identity and modification time: a file rewritten in place is opened anew, never read through a
// stale header.
const open = new Map<string, ImageSource>();

export class FileSourceNode extends SourceRegionNode<FileSourceParams> {
  readonly op = 'image.file';
  region(box: Box, tc: TaskContext, into?: TypedArray): TypedArray {
    const out = this.source().readRegion(box.origin, box.shape, into);
    tc.count(`voxels:${this.op}`, out.length);
    return out;
  }
  private source(): ImageSource {
    const { path, options } = this.params;
    const key = `${path}\0${JSON.stringify(options)}\0${fileVersion(path)}`;
    let src = open.get(key);
    if (src === undefined) {
      src = openImage(path, options);
      if (open.size > 16) open.clear();
      open.set(key, src);
    }
    const { shape, dtype } = this.meta;
    if (src.dtype !== dtype || src.shape.some((n, i) => n !== shape[i])) {
      throw new ImageFormatError(
        path,
        src.format,
        `changed since it was opened: it now holds ${src.shape.join('x')} ${src.dtype}, the image was opened as ${shape.join('x')} ${dtype}`,
        'open it again with ctx.images.read',
      );
    }
    return src;
  }
  describe(): string {
    return `read ${this.params.path}`;
  }
}

/** Identity and modification time of a file (or a directory of slices), or '' when it cannot be stat'ed. */
function fileVersion(path: string): string {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return ''; // openImage reports the missing file with a proper message
  }
}

/** `ctx.images.read(path)`: blocks read from an image file; each task reads only its box. */
import type { Dependency, RDD, TaskContext } from '../../core/index.js';
import type { Block, ImageMeta } from '../block.js';
import type { Box } from '../box.js';
import type { TypedArray } from '../dtype.js';
import { emitBlock, numBlocks, type RegionNode } from '../image-node.js';
import { openImage, type ImageSource, type OpenOptions } from '../io/index.js';

export interface FileSourceParams {
  readonly meta: ImageMeta;
  readonly path: string;
  readonly options: OpenOptions;
}

// One open source per file per thread: headers are parsed once, not once per block.
const open = new Map<string, ImageSource>();

export class FileSourceNode implements RegionNode {
  readonly op = 'image.file';
  readonly parents: readonly RDD<unknown>[] = [];
  readonly partitioner = null;
  readonly meta: ImageMeta;
  constructor(readonly params: FileSourceParams) {
    this.meta = params.meta;
  }
  numPartitions(): number {
    return numBlocks(this.meta);
  }
  dependencies(): readonly Dependency[] {
    return [];
  }
  compute(split: number, tc: TaskContext, emit: (b: Block) => void): void {
    emitBlock(this, split, tc, emit);
  }
  region(box: Box, tc: TaskContext): TypedArray {
    const key = `${this.params.path}\0${JSON.stringify(this.params.options)}`;
    let src = open.get(key);
    if (src === undefined) {
      src = openImage(this.params.path, this.params.options);
      if (open.size > 16) open.clear();
      open.set(key, src);
    }
    const out = src.readRegion(box.origin, box.shape);
    tc.count(`voxels:${this.op}`, out.length);
    return out;
  }
  describe(): string {
    return `read ${this.params.path}`;
  }
}

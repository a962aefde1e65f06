/**
 * voxelflow imaging: images as RDDs of dense blocks with a key-value voxel view, operators with
 * region rules (threshold, roi, boxFilter, labelComponents, shape statistics) and image IO.
 *
 * @example
 *   import { Context } from 'voxelflow';
 *   const ctx = await Context.create({ master: 'local[2]' });
 *   const img = ctx.images.synthetic({ kind: 'blobs', shape: [64, 64, 64], seed: 7 });
 *   const labels = img.boxFilter(1).threshold({ above: 400 }).labelComponents({ connectivity: 26 });
 *   console.log(await labels.componentCount(), (await labels.shapeStats())[0]);
 *   await ctx.stop();
 */
import { defineContextMembers, registerErrorClasses } from '../core/index.js';
import { setLabelImplementation } from './image-rdd.js';
import { Images } from './images.js';
import { ImageFormatError } from './io/image-format-error.js';
import { labelComponents } from './labeling/label-components.js';
// The lineage node kinds of images, registered with their module URL: worker threads import that
// module (nodes/register.ts) when a plan names one of them, and it registers them there too.
import './nodes/register.js';

declare module '../core/context.js' {
  interface Context {
    /** Image sources: `ctx.images.read(path)`, `fromArray(data, shape)`, `synthetic({ kind, shape })`. */
    readonly images: Images;
  }
}

// ---- what this entry adds -----------------------------------------------------------------------
defineContextMembers({
  images: {
    get() {
      return new Images(this);
    },
  },
});
// ImageRDD.labelComponents: labeling builds on ImageRDD (LabeledImage extends it), so image-rdd.ts
// cannot import it without a cycle; this entry hands it over.
setLabelImplementation(labelComponents);
// Tasks that read or write files raise ImageFormatError: the driver rebuilds it as that class.
registerErrorClasses({ ImageFormatError });

export { ImageRDD, type Voxel } from './image-rdd.js';
export type { UnaryOperator, UnaryParams } from './nodes/operator.js';
export { LabeledImage, type LabelOptions } from './labeling/label-components.js';
export type { ShapeRow } from './labeling/partials.js';
export { ShapeTable, type StatsRows } from './labeling/shape-table.js';
export { Images, PHANTOM_KINDS, type BlockOptions, type SyntheticOptions } from './images.js';
export { knownComponents, KNOWN_BACKGROUND, KNOWN_FOREGROUND, type KnownComponent } from './known-phantom.js';
export type { Block, ImageMeta } from './block.js';
export type { Box, Vec3 } from './box.js';
export { DTYPES, parseDType, type DType, type TypedArray } from './dtype.js';
export type { Volume } from './volume.js';
export { histogramSvg, overlayPng, Preview, sizeDistribution, sizeDistributionSvg, type Axis, type DisplayWindow, type Histogram, type HistogramOptions, type PlotOptions } from './preview/index.js';
export { readImage, writeImage, openImage, ImageFormatError, type ImageSource, type OpenOptions, type WriteOptions } from './io/index.js';

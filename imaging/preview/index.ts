/** Pictures of images: slices and projections as PNG with label overlays, histograms and size plots as SVG. */
export { blockExtent, blockHistogram, histogram, type Histogram, type HistogramOptions } from './histogram.js';
export { axisIndex, blockPlanes, plane, type Axis, type Plane } from './planes.js';
export { histogramSvg, sizeDistribution, sizeDistributionSvg, type PlotOptions } from './plots.js';
export { labelColor, overlayPng, Preview, windowRange, type DisplayWindow } from './preview.js';

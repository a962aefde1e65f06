/**
 * An image operator over one input, described once: its registered name, how the user's options
 * become parameters (checked here and nowhere else, with a ConfigError that names the option and the
 * fix), and the node that computes any box of its output (the region rule `need` and the kernel call
 * `region`, see region-node.ts). ImageRDD's method, the node registry that rebuilds plans on workers
 * (register.ts) and the docs all read the descriptor; adding an operator is one file and one line
 * there.
 */
import type { RDD } from '../../core/index.js';
import type { Block, ImageMeta } from '../block.js';
import type { UnaryRegionNode } from './region-node.js';

/** What every unary operator's parameters hold: the output's meta and the input's. */
export interface UnaryParams {
  /** Shape, dtype, spacing and block shape of the output image. */
  readonly meta: ImageMeta;
  /** The same of the input image. */
  readonly input: ImageMeta;
}

/** An image operator of one input as a descriptor (threshold, roi, boxFilter): its name, option parsing and node; `img.apply(operator, options)` runs it. */
export interface UnaryOperator<Options, Params extends UnaryParams> {
  /** The node's registered name, as plans carry it ('image.threshold'). */
  readonly op: string;
  /** The user's options checked against the input image, as the node's parameters (meta included). */
  parse(options: Options, input: ImageMeta): Params;
  /** The node over `parent` (the input's blocks). */
  create(parent: RDD<Block>, params: Params): UnaryRegionNode<Params>;
}

/**
 * The shared shape of region operators, so each operator file holds only its region rule and its
 * kernel call: sources compute any box from scratch; unary operators compute a box from the box of
 * their input that `need` names.
 */
import type { Dependency, RDD, RddNode, TaskContext } from '../../core/index.js';
import type { Block, ImageMeta } from '../block.js';
import type { Box } from '../box.js';
import type { TypedArray } from '../dtype.js';
import { emitBlock, numBlocks, readRegion, type RegionNode } from '../image-node.js';
import type { UnaryParams } from './operator.js';
import { regionDependency } from './region-dependency.js';

/** A node with no parent that can produce any box of its image. */
export abstract class SourceRegionNode<P extends { readonly meta: ImageMeta }> implements RegionNode, RddNode<Block> {
  abstract readonly op: string;
  readonly parents: readonly RDD<unknown>[] = [];
  readonly partitioner = null;
  readonly meta: ImageMeta;
  constructor(readonly params: P) {
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
  abstract region(box: Box, tc: TaskContext): TypedArray;
}

/** An operator over one input image; `need(box)` is its region rule. */
export abstract class UnaryRegionNode<P extends UnaryParams> implements RegionNode, RddNode<Block> {
  abstract readonly op: string;
  readonly parents: readonly RDD<unknown>[];
  readonly partitioner = null;
  readonly meta: ImageMeta;
  constructor(
    protected readonly parent: RDD<Block>,
    readonly params: P,
  ) {
    this.parents = [parent as RDD<unknown>];
    this.meta = params.meta;
  }
  /** The box of the input that a box of output needs. */
  abstract need(box: Box): Box;
  abstract region(box: Box, tc: TaskContext, into?: TypedArray): TypedArray;
  numPartitions(): number {
    return numBlocks(this.meta);
  }
  dependencies(): readonly Dependency[] {
    return [regionDependency(this.parent, this.params.input, this.meta, (b) => this.need(b))];
  }
  compute(split: number, tc: TaskContext, emit: (b: Block) => void): void {
    emitBlock(this, split, tc, emit);
  }
  /** Reads what `box` needs from the input (into `into`, a scratch the caller owns, where the input node can). */
  protected input(box: Box, tc: TaskContext, into?: TypedArray): TypedArray {
    return readRegion(this.parent, this.params.input, this.need(box), tc, into);
  }
}

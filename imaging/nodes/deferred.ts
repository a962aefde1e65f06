/**
 * An image whose blocks come from an RDD that only a driver-side computation can build (an
 * iterative algorithm with a data-dependent number of rounds). prepare() runs that computation the
 * first time a job needs the image; afterwards the node is a one-to-one view of the built RDD.
 */
import type { Dependency, RDD, RddNode, TaskContext } from '../../core/index.js';
import type { Block, ImageMeta } from '../block.js';
import { numBlocks } from '../image-node.js';

/** The deferred node's parameters: the image's meta and what builds it (its name on progress lines). */
export interface DeferredParams {
  readonly meta: ImageMeta;
  readonly what: string;
}

export class DeferredNode implements RddNode<Block> {
  readonly op = 'image.deferred';
  readonly partitioner = null;
  constructor(
    readonly params: DeferredParams,
    private target: RDD<Block> | null,
    private readonly build: (() => Promise<RDD<Block>>) | null,
  ) {}
  get parents(): readonly RDD<unknown>[] {
    return this.target === null ? [] : [this.target as RDD<unknown>];
  }
  numPartitions(): number {
    return numBlocks(this.params.meta);
  }
  dependencies(): readonly Dependency[] {
    return this.parents.map((rdd) => ({ kind: 'narrow' as const, rdd, getParents: (p: number) => [p] }));
  }
  async prepare(): Promise<void> {
    if (this.target === null && this.build !== null) this.target = await this.build();
  }
  describe(): string {
    return this.params.what;
  }
  compute(split: number, tc: TaskContext, emit: (b: Block) => void): void {
    if (this.target === null) throw new Error(`${this.params.what}: the image was used before it was built`);
    this.target.iterate(split, tc, emit);
  }
}

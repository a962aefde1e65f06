/**
 * Registers the imaging lineage node kinds with core, so worker threads (which import this module
 * when a plan names one of them) can rebuild imaging stages. Unary operators come from their
 * descriptors (operator.ts); sources and the labeling nodes are listed with their factories.
 */
import { registerNode, type NodeFactory, type RDD } from '../../core/index.js';
import type { Block } from '../block.js';
import { RelabelNode, type RelabelParams } from '../labeling/label-components.js';
import { LocalLabelNode, type BlockLabels, type LocalLabelParams } from '../labeling/local-labels.js';
import { ArraySourceNode, type ArraySourceParams } from './array-source.js';
import { BAND_WRITE_OP, BandWriteNode, type BandWriteParams } from './band-write.js';
import { boxFilter } from './box-filter.js';
import { DeferredNode, type DeferredParams } from './deferred.js';
import { FileSourceNode, type FileSourceParams } from './file-source.js';
import type { UnaryOperator, UnaryParams } from './operator.js';
import { roi } from './roi.js';
import { SyntheticNode, type SyntheticParams } from './synthetic.js';
import { threshold } from './threshold.js';
import '../labeling/steps.js';
import '../voxel-blocks.js';

type Parents = RDD<unknown>[];
const blocks = (parents: Parents, i: number): RDD<Block> => parents[i] as RDD<Block>;
const optional = <T>(parents: Parents, i: number): RDD<T> | null => (parents[i] ?? null) as RDD<T> | null;

/** The registry's factory of a unary operator: its node over the plan's one parent. */
function unaryFactory<Options, Params extends UnaryParams>(operator: UnaryOperator<Options, Params>): NodeFactory {
  return (params: Params, parents) => operator.create(blocks(parents, 0), params);
}

const factories: Record<string, NodeFactory> = {
  'image.array': (p: ArraySourceParams) => new ArraySourceNode(p),
  'image.file': (p: FileSourceParams) => new FileSourceNode(p),
  'image.synthetic': (p: SyntheticParams) => new SyntheticNode(p),
  'image.labelLocal': (p: LocalLabelParams, parents) => new LocalLabelNode(blocks(parents, 0), optional<Block>(parents, 1), p),
  'image.relabel': (p: RelabelParams, parents) => new RelabelNode(blocks(parents, 0), optional<Uint32Array>(parents, 1), p, null, optional<BlockLabels>(parents, 2)),
  'image.deferred': (p: DeferredParams, parents) => new DeferredNode(p, optional<Block>(parents, 0), null),
  [BAND_WRITE_OP]: (p: BandWriteParams, parents) => new BandWriteNode(blocks(parents, 0), p),
};
factories[threshold.op] = unaryFactory(threshold);
factories[roi.op] = unaryFactory(roi);
factories[boxFilter.op] = unaryFactory(boxFilter);

for (const [op, factory] of Object.entries(factories)) registerNode(op, factory, import.meta.url);

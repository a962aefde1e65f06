/**
 * Registers the imaging lineage node kinds with core, so worker threads (which import this module
 * when a plan names one of them) can rebuild imaging stages.
 */
import { registerNode, type NodeFactory, type RDD } from '../../core/index.js';
import type { Block } from '../block.js';
import { RelabelNode } from '../labeling/label-components.js';
import { LocalLabelNode, type BlockLabels, type LocalLabelParams } from '../labeling/local-labels.js';
import { ArraySourceNode, type ArraySourceParams } from './array-source.js';
import { BoxFilterNode, type BoxFilterParams } from './box-filter.js';
import { DeferredNode } from './deferred.js';
import { FileSourceNode, type FileSourceParams } from './file-source.js';
import { RoiNode, type RoiParams } from './roi.js';
import { SyntheticNode, type SyntheticParams } from './synthetic.js';
import { ThresholdNode, type ThresholdParams } from './threshold.js';
import '../labeling/steps.js';
import '../voxel-blocks.js';

type Parents = RDD<unknown>[];
const blocks = (parents: Parents, i: number): RDD<Block> => parents[i] as unknown as RDD<Block>;

const factories: Record<string, (params: never, parents: Parents) => unknown> = {
  'image.array': (p: ArraySourceParams) => new ArraySourceNode(p),
  'image.file': (p: FileSourceParams) => new FileSourceNode(p),
  'image.synthetic': (p: SyntheticParams) => new SyntheticNode(p),
  'image.threshold': (p: ThresholdParams, parents) => new ThresholdNode(blocks(parents, 0), p),
  'image.roi': (p: RoiParams, parents) => new RoiNode(blocks(parents, 0), p),
  'image.boxFilter': (p: BoxFilterParams, parents) => new BoxFilterNode(blocks(parents, 0), p),
  'image.labelLocal': (p: LocalLabelParams, parents) =>
    new LocalLabelNode(blocks(parents, 0), parents[1] === undefined ? null : blocks(parents, 1), p),
  'image.relabel': (p: ConstructorParameters<typeof RelabelNode>[2], parents) =>
    new RelabelNode(blocks(parents, 0), (parents[1] ?? null) as RDD<Uint32Array> | null, p, null, (parents[2] ?? null) as RDD<BlockLabels> | null),
  'image.deferred': (p: ConstructorParameters<typeof DeferredNode>[0], parents) => new DeferredNode(p, parents[0] === undefined ? null : blocks(parents, 0), null),
};

for (const [op, factory] of Object.entries(factories)) registerNode(op, factory as unknown as NodeFactory, import.meta.url);

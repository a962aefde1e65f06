/** Registry of lineage node kinds: how each `op` in a plan is rebuilt on a worker. */
import { partitionerFromSpec } from '../partitioner.js';
import type { RddNode } from '../rdd-node.js';
import type { RDD } from '../rdd.js';
import { CartesianNode } from './cartesian.js';
import { CheckpointNode, type CheckpointParams } from './checkpoint.js';
import { CoalesceNode, type CoalesceParams } from './coalesce.js';
import { MapPartitionsNode, type MapParams } from './map-partitions.js';
import { ParallelizeNode, type ParallelizeParams } from './parallelize.js';
import { RangeNode, type RangeParams } from './range.js';
import { SampleNode, type SampleParams } from './sample.js';
import { ShuffledNode, type ShuffledParams } from './shuffled.js';
import { TextFileNode, type TextFileParams } from './text-file.js';
import { UnionNode } from './union.js';
import { ZipWithIndexNode, type ZipWithIndexParams } from './zip-with-index.js';
import { ZipNode } from './zip.js';

type Factory = (params: never, parents: RDD<unknown>[]) => RddNode<unknown>;

const first = (parents: RDD<unknown>[]): RDD<unknown> => parents[0] as RDD<unknown>;

/** op name → factory. Adding an operator means adding a node file and a line here. */
export const nodeFactories: Readonly<Record<string, Factory>> = {
  parallelize: (p: ParallelizeParams) => new ParallelizeNode(p),
  range: (p: RangeParams) => new RangeNode(p),
  textFile: (p: TextFileParams) => new TextFileNode(p),
  mapPartitions: (p: MapParams, parents) => new MapPartitionsNode(first(parents), p),
  union: (_p: unknown, parents) => new UnionNode(parents),
  cartesian: (_p: unknown, parents) => new CartesianNode(first(parents), parents[1] as RDD<unknown>),
  zip: (_p: unknown, parents) => new ZipNode(first(parents), parents[1] as RDD<unknown>),
  coalesce: (p: CoalesceParams, parents) => new CoalesceNode(first(parents), p),
  sample: (p: SampleParams, parents) => new SampleNode(first(parents), p),
  zipWithIndex: (p: ZipWithIndexParams, parents) => new ZipWithIndexNode(first(parents), p),
  shuffled: (p: ShuffledParams) => new ShuffledNode(null, partitionerFromSpec(p.partitioner), p),
  checkpoint: (p: CheckpointParams) => new CheckpointNode(p),
};

export {
  CartesianNode,
  CheckpointNode,
  CoalesceNode,
  MapPartitionsNode,
  ParallelizeNode,
  RangeNode,
  SampleNode,
  ShuffledNode,
  TextFileNode,
  UnionNode,
  ZipNode,
  ZipWithIndexNode,
};

/** Registers the reconstruction node kind with core, so workers can rebuild it from a plan. */
import { registerNode } from '../../core/index.js';
import { RECONSTRUCT_OP, ReconstructNode, type ReconstructParams } from './reconstruct-node.js';

registerNode(RECONSTRUCT_OP, (p: ReconstructParams) => new ReconstructNode(p), import.meta.url);

/**
 * Registers the reconstruction of scans in HDF5. Workers import this module before rebuilding such a
 * plan, and its top-level await starts h5wasm first, so the tasks' synchronous reads find it ready.
 */
import { registerNode } from '../../core/index.js';
import { loadHdf5 } from '../io/hdf5.js';
import { RECONSTRUCT_HDF5_OP, ReconstructNode, type ReconstructParams } from './reconstruct-node.js';

await loadHdf5();

registerNode(RECONSTRUCT_HDF5_OP, (p: ReconstructParams) => new ReconstructNode(p), import.meta.url);

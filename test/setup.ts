/**
 * Property tests are deterministic in CI: fast-check uses one fixed seed unless VOXELFLOW_FC_SEED
 * names another (set it to a random number locally to explore further; a failure prints the seed).
 */
import fc from 'fast-check';

const seed = Number(process.env['VOXELFLOW_FC_SEED'] ?? 20261122);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });

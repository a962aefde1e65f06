/**
 * The cluster's masters for `Context.create`: `voxelflow://HOST:PORT` (a running `voxelflow master`)
 * and `sge` (an embedded master with Grid Engine workers). Registering them loads nothing: gRPC,
 * protobuf and the cluster code are imported when a context first asks for one of these masters, so
 * `import 'voxelflow'` stays fast for the many programs that run on `local[N]`.
 *
 * @example
 *   import { registerClusterMasters } from 'voxelflow/cluster';
 *   registerClusterMasters(); // the package entry and the CLI already do this
 *   const ctx = await Context.create({ master: 'voxelflow://127.0.0.1:7077', secret });
 */
import { registerMasterScheme } from '../core/index.js';

/** Makes `voxelflow://` and `sge` masters known to Context.create; idempotent. */
export function registerClusterMasters(): void {
  registerMasterScheme('voxelflow', async ({ url, options }) => (await import('./cluster-backend.js')).ClusterBackend.connect(url, options));
  registerMasterScheme('sge', async ({ options }) => (await import('./sge/sge-backend.js')).SgeBackend.connect(options));
}

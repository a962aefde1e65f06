/**
 * `voxelflow master --ui-port P`: the dashboard of a master lists its workers (cores, memory, when
 * they joined, why they left). Jobs run in the drivers, so their jobs are on the drivers' dashboards.
 */
import { EventBus } from '../core/index.js';
import type { Master } from '../cluster/index.js';
import type { ClusterEvent } from '../cluster/protocol.js';
import { Dashboard, parseUiOptions } from '../ui/index.js';

export interface MasterDashboard {
  readonly dashboard: Dashboard;
  /** Give this to Master.start as `onClusterEvent`. */
  readonly onClusterEvent: (event: ClusterEvent) => void;
  /** Tells the dashboard which master it describes, once it listens. */
  attach(master: Master): void;
}

/** Starts the dashboard before the master, so that it hears the first worker. */
export async function startMasterDashboard(port: number, secret: string): Promise<MasterDashboard> {
  const bus = new EventBus();
  const started = Date.now();
  let master: Master | null = null;
  const dashboard = await Dashboard.start(
    {
      on: (type, handler) => bus.on(type, handler),
      app: () => ({
        appName: 'voxelflow master',
        master: master?.url ?? '(starting)',
        defaultParallelism: master === null ? 0 : master.liveWorkers().reduce((n, w) => n + w.cores, 0),
        started,
        storage: null,
      }),
      secrets: [secret],
    },
    parseUiOptions({ port }),
  );
  const onClusterEvent = (e: ClusterEvent): void => {
    if (e.worker === null) return;
    if (e.kind === 'ADDED') bus.post({ type: 'executorAdded', executorId: e.worker.workerId, cores: e.worker.cores, host: e.worker.address, memoryBytes: e.worker.memoryBytes });
    else if (e.kind === 'REMOVED') bus.post({ type: 'executorRemoved', executorId: e.worker.workerId, reason: e.reason });
  };
  return { dashboard, onClusterEvent, attach: (m) => void (master = m) };
}

/**
 * A worker's side of RunTask: fetches the task's remote blocks (its own from its block store, others
 * from their workers), runs the task in the worker's thread pool, keeps the map output and cached
 * partitions it produced, and answers with their location instead of their bytes. One block store
 * per driver (app), freed when the driver ends.
 */
import { join } from 'node:path';
import type { BlockLocation, BlockRef, CachePut, StageWorkHandle, TaskInputs, WorkerTaskReply } from '../core/executor/spi.js';
import { BlockManager, decode, encode, readBlock, toShared, type ThreadExecutor } from '../core/executor/worker-kit.js';
import type { BlockFetcher } from './block-fetcher.js';
import type { RunTaskReply, RunTaskRequest } from './protocol.js';
import { PeerBlockCache } from './peer-block-cache.js';
import { parseBlockName, type WireTask } from './wire-task.js';
import { RpcError } from './rpc.js';
import { status } from '@grpc/grpc-js';

type RemoteRef = BlockRef & { kind: 'remote' };

interface AppState {
  readonly blocks: BlockManager;
  readonly works: Map<string, { readonly bytes: Uint8Array; readonly modules: readonly string[] }>;
  /** Broadcast values' bytes, sent once per worker; dropped when the driver stops listing them. */
  readonly broadcasts: Map<number, Uint8Array>;
  /** Cached partitions fetched from peers, read again by later tasks. */
  readonly peerBlocks: PeerBlockCache;
}

const MAX_WORKS = 64;
const FETCH_CONCURRENCY = 16;

export class TaskRunner {
  private readonly apps = new Map<string, AppState>();

  constructor(
    private readonly threads: ThreadExecutor,
    private readonly fetcher: BlockFetcher,
    private readonly memoryBudget: number,
    private readonly workDir: string,
    /** This worker's id and address, as the master knows them now. */
    private readonly location: () => BlockLocation,
  ) {}

  async run(req: RunTaskRequest, signal: AbortSignal): Promise<RunTaskReply> {
    const app = this.app(req.appId);
    let work = app.works.get(req.workId);
    if (req.work.length > 0) {
      work = { bytes: toShared(req.work), modules: [...req.modules] };
      if (app.works.size >= MAX_WORKS) app.works.delete(app.works.keys().next().value as string);
      app.works.set(req.workId, work);
    }
    if (work === undefined) return { needWork: true, outcome: new Uint8Array(0) };
    let task: WireTask;
    try {
      task = decode<WireTask>(req.task);
    } catch (err) {
      throw new RpcError(status.INVALID_ARGUMENT, `task payload is not valid msgpack (${(err as Error).message}); driver and worker must run the same voxelflow`);
    }
    const broadcasts = this.broadcasts(app, task.inputs.broadcasts);
    if (broadcasts === null) return { needWork: true, outcome: new Uint8Array(0) };
    const w = work;
    const handle: StageWorkHandle = {
      id: `${req.appId}/${req.workId}`,
      get live(): never {
        throw new Error('a remote worker has no live stage work');
      },
      encoded: () => ({ bytes: w.bytes, modules: w.modules }),
    };
    const inputs = await this.localize(req.appId, app, { ...task.inputs, broadcasts }, signal);
    // The thread's encoded result goes on to the driver as it is (decoded once, there).
    const reply = await this.threads.runEncoded({ ...task, work: handle, inputs }, signal);
    return { needWork: false, outcome: encode(this.keepBlocks(app, task, reply)) };
  }

  /** The task's broadcasts with their bytes from this worker's copy; null when one was never sent. */
  private broadcasts(app: AppState, listed: TaskInputs['broadcasts']): TaskInputs['broadcasts'] | null {
    for (const [id, bytes] of listed) if (bytes.length > 0) app.broadcasts.set(id, toShared(bytes));
    const live = new Set(listed.map(([id]) => id));
    for (const id of [...app.broadcasts.keys()]) if (!live.has(id)) app.broadcasts.delete(id);
    const out: [number, Uint8Array][] = [];
    for (const [id] of listed) {
      const bytes = app.broadcasts.get(id);
      if (bytes === undefined) return null;
      out.push([id, bytes]);
    }
    return out;
  }

  /** Bytes of a block this worker holds for `appId`, or null. */
  blockBytes(appId: string, blockId: string): Uint8Array | null {
    const app = this.apps.get(appId);
    const name = parseBlockName(blockId);
    if (app === undefined || name === null) return null;
    let ref: BlockRef | undefined;
    if (name.kind === 'shuffle') {
      if (!app.blocks.hasShuffleOutput(name.shuffleId, name.mapIndex)) return null;
      ref = app.blocks.shuffleRef(name.shuffleId, name.mapIndex, name.reduceId);
    } else {
      ref = app.blocks.cachedRef(name.rddId, name.split);
    }
    if (ref === undefined || ref.kind === 'missing' || ref.kind === 'remote') return null;
    return readBlock(ref);
  }

  /** Frees the blocks kept for a driver; false when there were none. */
  endApp(appId: string): boolean {
    const app = this.apps.get(appId);
    if (app === undefined) return false;
    app.blocks.clear();
    app.peerBlocks.clear();
    this.apps.delete(appId);
    return true;
  }

  stop(): void {
    for (const id of [...this.apps.keys()]) this.endApp(id);
  }

  private app(appId: string): AppState {
    if (!/^[\w.-]{1,100}$/.test(appId)) throw new RpcError(status.INVALID_ARGUMENT, `app id must be 1-100 letters, digits, '.', '_' or '-', got '${appId.slice(0, 40)}'`);
    let app = this.apps.get(appId);
    if (app === undefined) {
      app = {
        blocks: new BlockManager(this.memoryBudget, join(this.workDir, appId), null),
        works: new Map(),
        broadcasts: new Map(),
        peerBlocks: new PeerBlockCache(Math.min(this.memoryBudget / 4, 1024 ** 3)),
      };
      this.apps.set(appId, app);
    }
    return app;
  }

  /**
   * Replaces remote refs by local bytes. A shuffle block that cannot be had becomes a 'missing' ref
   * naming its executor, so the task fails with a fetch failure and the driver recomputes it from
   * lineage; a cached block that cannot be had is left out (the task recomputes the partition).
   */
  private async localize(appId: string, app: AppState, inputs: TaskInputs, signal: AbortSignal): Promise<TaskInputs> {
    const self = this.location().executorId;
    // Every remote ref, with where its answer goes; then one fetch per peer.
    const byPeer = new Map<string, { ref: RemoteRef; put: (got: Uint8Array | string) => void }[]>();
    const want = (ref: RemoteRef, put: (got: Uint8Array | string) => void): void => {
      if (ref.executorId === self) return put(this.blockBytes(appId, ref.blockId) ?? `this worker no longer holds ${ref.blockId}`);
      let list = byPeer.get(ref.address);
      if (list === undefined) byPeer.set(ref.address, (list = []));
      list.push({ ref, put });
    };
    const shuffle = inputs.shuffle.map(([shuffleId, reduceId, refs]) => {
      const out: BlockRef[] = [...refs];
      refs.forEach((ref, mapIndex) => {
        if (ref.kind !== 'remote') return;
        want(ref, (got) => {
          out[mapIndex] = typeof got === 'string' ? { kind: 'missing', mapIndex, executorId: ref.executorId, reason: got } : { kind: 'mem', bytes: got };
        });
      });
      return [shuffleId, reduceId, out] as const;
    });
    const cached: (readonly [number, number, BlockRef | null])[] = inputs.cached.map((c) => [...c]);
    inputs.cached.forEach(([rddId, split, ref], i) => {
      if (ref.kind !== 'remote') return;
      // Our own partitions keep their store's ref (a file, or memory with its decode-cache version).
      if (ref.executorId === self) return void (cached[i] = [rddId, split, app.blocks.cachedRef(rddId, split) ?? null]);
      const kept = app.peerBlocks.get(ref.executorId, ref.blockId);
      if (kept !== undefined) return void (cached[i] = [rddId, split, { kind: 'mem', ...kept }]);
      want(ref, (got) => {
        cached[i] = [rddId, split, typeof got === 'string' ? null : { kind: 'mem', ...app.peerBlocks.put(ref.executorId, ref.blockId, got) }];
      });
    });
    const jobs = [...byPeer].map(([address, list]) => async () => {
      const got = await this.fetcher.fetch(address, appId, list.map((w) => ({ blockId: w.ref.blockId, length: w.ref.length })), signal);
      list.forEach((w, i) => w.put(got[i] ?? `no answer for block ${w.ref.blockId} from ${address}`));
    });
    await runLimited(jobs, FETCH_CONCURRENCY);
    return {
      shuffle,
      cached: cached.filter((c): c is readonly [number, number, BlockRef] => c[2] !== null),
      broadcasts: inputs.broadcasts,
    };
  }

  /** Stores the task's map output and cache puts here; the reply names this worker instead. */
  private keepBlocks(app: AppState, task: WireTask, outcome: WorkerTaskReply): WorkerTaskReply {
    if (outcome.status !== 'success') return outcome;
    const location = this.location();
    let shuffleOutput = outcome.shuffleOutput;
    if (shuffleOutput !== null && 'bytes' in shuffleOutput) {
      if (task.shuffleId === null) throw new RpcError(status.INVALID_ARGUMENT, 'a map task arrived without its shuffle id');
      app.blocks.putShuffleOutput(task.shuffleId, task.partition, shuffleOutput.bytes, shuffleOutput.offsets);
      shuffleOutput = { location, offsets: shuffleOutput.offsets };
    }
    const cachePuts: CachePut[] = [];
    for (const put of outcome.cachePuts) {
      if (!('bytes' in put)) continue;
      if (app.blocks.putCached(put.rddId, put.split, put.bytes, put.level)) {
        cachePuts.push({ rddId: put.rddId, split: put.split, level: put.level, location, size: put.bytes.length });
      }
    }
    return { ...outcome, shuffleOutput, cachePuts };
  }
}

async function runLimited(jobs: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length) await (jobs[next++] as () => Promise<void>)();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, lane));
}

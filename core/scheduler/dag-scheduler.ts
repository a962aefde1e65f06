/**
 * Turns a job into stages cut at shuffle dependencies, runs parent stages first (each shuffle's map
 * stage once, its outputs reused by later jobs), and resubmits lost map outputs from lineage when a
 * reduce task cannot fetch them.
 */
import type { Accumulator } from '../accumulator.js';
import { encodeSharedWithModules } from '../codec.js';
import type { ShuffleDependency } from '../dependency.js';
import { jobFailure } from '../error-data.js';
import { VoxelflowError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { StageWork, StageWorkHandle, TaskInputs } from '../executor/executor.js';
import type { EncodedStageWork } from '../executor/worker-main.js';
import { planModules, toPlan } from '../plan.js';
import type { RDD, RunJobOptions } from '../rdd.js';
import type { ResultOp } from '../actions/index.js';
import type { BlockManager } from '../storage/block-manager.js';
import type { BlockRef } from '../storage/block-ref.js';
import { lineage, parentShuffles, stageFootprint } from './stage-planner.js';
import type { FetchFailure, SuccessOutcome } from './scheduler-event.js';
import type { TaskScheduler } from './task-scheduler.js';

const MAX_STAGE_ATTEMPTS = 4;

/** Driver state the DAG scheduler reads. */
export interface DagEnv {
  readonly blocks: BlockManager;
  readonly events: EventBus;
  readonly tasks: TaskScheduler;
  readonly accumulators: ReadonlyMap<number, Accumulator<number | unknown[]>>;
  broadcastInputs(): TaskInputs['broadcasts'];
}

interface ShuffleStage {
  readonly stageId: number;
  readonly dep: ShuffleDependency;
  running: Promise<void> | null;
}

export class DAGScheduler {
  private nextJobId = 0;
  private nextStageId = 0;
  private readonly shuffleStages = new Map<number, ShuffleStage>();
  private readonly stageAttempts = new Map<number, number>();

  constructor(private readonly env: DagEnv) {}

  async runJob<R>(rdd: RDD<unknown>, op: ResultOp, options: RunJobOptions<R> = {}): Promise<R[]> {
    for (const r of lineage(rdd)) if (r.node.prepare) await r.node.prepare();
    const partitions = options.partitions ?? Array.from({ length: rdd.getNumPartitions() }, (_, i) => i);
    const jobId = this.nextJobId++;
    const { events } = this.env;
    events.post({ type: 'jobStart', jobId, rddId: rdd.id, partitions: partitions.length, action: op.op });
    try {
      await this.ensureParents(jobId, rdd);
      const index = new Map(partitions.map((p, i) => [p, i]));
      const results = new Array<R>(partitions.length);
      const stageId = this.nextStageId++;
      await this.runStage(jobId, stageId, { rdd, shuffle: null, resultOp: op }, partitions, 'result', (partition, outcome) => {
        const i = index.get(partition) as number;
        results[i] = outcome.result as R;
        options.onResult?.(i, outcome.result as R);
      });
      events.post({ type: 'jobEnd', jobId, result: 'succeeded' });
      return results;
    } catch (err) {
      events.post({ type: 'jobEnd', jobId, result: 'failed', error: (err as Error).message });
      throw jobFailure(err);
    }
  }

  private async ensureParents(jobId: number, rdd: RDD<unknown>): Promise<void> {
    await Promise.all(parentShuffles(rdd).map((dep) => this.ensureShuffle(jobId, dep)));
  }

  /** Makes every map output of `dep` available, running (only) the missing map tasks. */
  private ensureShuffle(jobId: number, dep: ShuffleDependency): Promise<void> {
    let stage = this.shuffleStages.get(dep.shuffleId);
    if (stage === undefined) {
      stage = { stageId: this.nextStageId++, dep, running: null };
      this.shuffleStages.set(dep.shuffleId, stage);
    }
    if (stage.running !== null) return stage.running;
    const maps = dep.rdd.getNumPartitions();
    const missing: number[] = [];
    for (let m = 0; m < maps; m++) if (!this.env.blocks.hasShuffleOutput(dep.shuffleId, m)) missing.push(m);
    if (missing.length === 0) return Promise.resolve();
    const s = stage;
    const work: StageWork = {
      rdd: dep.rdd,
      shuffle: { shuffleId: dep.shuffleId, partitioner: dep.partitioner, aggregator: dep.aggregator, mapSideCombine: dep.mapSideCombine },
      resultOp: null,
    };
    s.running = (async () => {
      await this.ensureParents(jobId, dep.rdd);
      await this.runStage(jobId, s.stageId, work, missing, 'shuffleMap', (partition, outcome) => {
        const out = outcome.shuffleOutput;
        if (out === null) throw new VoxelflowError(`map task ${partition} of shuffle ${dep.shuffleId} returned no output`);
        if ('location' in out) this.env.blocks.putRemoteShuffleOutput(dep.shuffleId, partition, out.location, out.offsets);
        else this.env.blocks.putShuffleOutput(dep.shuffleId, partition, out.bytes, out.offsets);
      });
    })().finally(() => {
      s.running = null;
    });
    return s.running;
  }

  private async runStage(
    jobId: number,
    stageId: number,
    work: StageWork,
    partitions: readonly number[],
    kind: 'shuffleMap' | 'result',
    onOutput: (partition: number, outcome: SuccessOutcome) => void,
  ): Promise<void> {
    let todo = partitions;
    for (let tries = 0; todo.length > 0; tries++) {
      // Attempt numbers count per stage across jobs: a map stage resubmitted for lost outputs is a new attempt.
      const attempt = this.stageAttempts.get(stageId) ?? 0;
      this.stageAttempts.set(stageId, attempt + 1);
      const handle = this.workHandle(stageId, attempt, work);
      this.env.events.post({ type: 'stageSubmitted', jobId, stageId, attempt, kind, rddId: work.rdd.id, numTasks: todo.length, name: stageName(work.rdd) });
      let failures: FetchFailure[];
      try {
        failures = await this.env.tasks.runTaskSet({
          stageId,
          stageAttempt: attempt,
          partitions: todo,
          work: handle,
          resolveInputs: (p) => this.resolveInputs(work.rdd, p),
          preferredExecutor: (p) => this.preferredExecutor(work.rdd, p),
          onSuccess: (p, outcome) => {
            this.recordSide(outcome);
            onOutput(p, outcome);
          },
        });
      } catch (err) {
        this.env.events.post({ type: 'stageCompleted', jobId, stageId, attempt, result: 'failed' });
        throw err;
      }
      if (failures.length === 0) {
        this.env.events.post({ type: 'stageCompleted', jobId, stageId, attempt, result: 'succeeded' });
        return;
      }
      this.env.events.post({ type: 'stageCompleted', jobId, stageId, attempt, result: 'resubmitted' });
      if (tries + 1 >= MAX_STAGE_ATTEMPTS) {
        const f = failures[0] as (typeof failures)[number];
        throw new VoxelflowError(`stage ${stageId} could not read shuffle ${f.shuffleId} after ${MAX_STAGE_ATTEMPTS} attempts; map outputs keep getting lost`);
      }
      // Lost map outputs are recomputed from lineage, then only the failed partitions run again.
      for (const f of failures) if (f.mapIndex >= 0) this.env.blocks.removeShuffleOutput(f.shuffleId, f.mapIndex);
      // A block that could not be fetched from a remote executor makes all its blocks suspect (Spark
      // unregisters every output of that executor): recompute them in one resubmission, not one per attempt.
      for (const f of failures) if (f.executorId !== undefined) this.env.blocks.removeBlocksAt(f.executorId);
      for (const id of new Set(failures.map((f) => f.shuffleId))) this.env.blocks.removeLostShuffleOutputs(id);
      const deps = new Map(parentShuffles(work.rdd).map((d) => [d.shuffleId, d]));
      await Promise.all([...new Set(failures.map((f) => f.shuffleId))].map((id) => {
        const dep = deps.get(id);
        return dep === undefined ? Promise.resolve() : this.ensureShuffle(jobId, dep);
      }));
      todo = [...new Set(failures.map((f) => f.partition))];
    }
  }

  /** Cache puts and accumulator updates of a successful attempt. */
  private recordSide(outcome: SuccessOutcome): void {
    for (const put of outcome.cachePuts) {
      if ('location' in put) this.env.blocks.putRemoteCached(put.rddId, put.split, put.location, put.size, put.level);
      else this.env.blocks.putCached(put.rddId, put.split, put.bytes, put.level);
    }
    for (const [id, update] of outcome.accumulators) this.env.accumulators.get(id)?.mergeUpdate(update);
  }

  private workHandle(stageId: number, attempt: number, live: StageWork): StageWorkHandle {
    let encoded: { bytes: Uint8Array; modules: string[] } | null = null;
    return {
      id: `${stageId}.${attempt}.${live.rdd.id}`,
      live,
      encoded: () => {
        if (encoded === null) {
          const plan = toPlan(live.rdd);
          const data: EncodedStageWork = {
            plan,
            shuffle: live.shuffle === null ? null : { ...live.shuffle, partitioner: live.shuffle.partitioner.spec },
            resultOp: live.resultOp,
          };
          const out = encodeSharedWithModules(data);
          encoded = { bytes: out.bytes, modules: [...new Set([...planModules(plan), ...out.modules])] };
        }
        return encoded;
      },
    };
  }

  /** The executor holding the most bytes of the cached partitions a task reads (blocks kept by cluster workers). */
  private preferredExecutor(rdd: RDD<unknown>, partition: number): string | null {
    const bytes = new Map<string, number>();
    stageFootprint(rdd, partition, (r, split) => {
      if (r.storageLevel === 'NONE') return;
      const ref = this.env.blocks.cachedRef(r.id, split);
      if (ref?.kind === 'remote') bytes.set(ref.executorId, (bytes.get(ref.executorId) ?? 0) + ref.length);
    });
    let best: string | null = null;
    let most = -1;
    for (const [id, n] of bytes) if (n > most) [best, most] = [id, n];
    return best;
  }

  private resolveInputs(rdd: RDD<unknown>, partition: number): TaskInputs {
    const shuffle: [number, number, BlockRef[]][] = [];
    const cached: [number, number, BlockRef][] = [];
    stageFootprint(rdd, partition, (r, split) => {
      if (r.storageLevel !== 'NONE') {
        const ref = this.env.blocks.cachedRef(r.id, split);
        if (ref !== undefined) cached.push([r.id, split, ref]);
      }
      for (const dep of r.dependencies) {
        if (dep.kind !== 'shuffle') continue;
        const refs: BlockRef[] = [];
        for (let m = 0; m < dep.rdd.getNumPartitions(); m++) refs.push(this.env.blocks.shuffleRef(dep.shuffleId, m, split));
        shuffle.push([dep.shuffleId, split, refs]);
      }
    });
    return { shuffle, cached, broadcasts: this.env.broadcastInputs() };
  }
}

/**
 * What a stage is called on the progress line and the dashboard: what the user asked for — the RDD's
 * name (`setName`), else what its node says it does (`read scan.npy`, `box filter r=1`), else its
 * operator — with the RDD id to tell stages apart.
 */
export function stageName(rdd: RDD<unknown>): string {
  const what = rdd.name ?? rdd.node.describe?.() ?? rdd.node.op;
  return `${what} [${rdd.id}]`;
}

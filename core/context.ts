/**
 * The driver's entry point: owns the executors, schedulers, block manager, broadcasts and
 * accumulators, and creates the source RDDs.
 *
 * @example
 *   const ctx = await Context.create({ master: 'local[2]' });
 *   console.log(await ctx.range(0, 100).map((x) => x * x).sum());
 *   await ctx.stop();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Accumulator } from './accumulator.js';
import { Broadcast } from './broadcast.js';
import { encodeShared } from './codec.js';
import { requestedExtensions } from './context-extension.js';
import { ConfigError, JobAbortedError, VoxelflowError } from './errors.js';
import { EventBus, type EventInput, type EventOf, type EventType, type VoxelflowEvent } from './events.js';
import type { Executor, TaskInputs } from './executor/executor.js';
import type { ExecutorHost, SchedulerBackend } from './executor/scheduler-backend.js';
import { InlineExecutor } from './executor/inline-executor.js';
import { ThreadExecutor } from './executor/thread-executor.js';
import { CheckpointNode } from './nodes/checkpoint.js';
import { ParallelizeNode, sliceArray } from './nodes/parallelize.js';
import { RangeNode } from './nodes/range.js';
import { TextFileNode } from './nodes/text-file.js';
import { RDD, type RddContext, type RunJobOptions } from './rdd.js';
import type { ResultOp } from './actions/index.js';
import { DAGScheduler } from './scheduler/dag-scheduler.js';
import { lineage } from './scheduler/stage-planner.js';
import { TaskScheduler } from './scheduler/task-scheduler.js';
import { parseSize } from './sizes.js';
import { BlockManager, type BlockManagerStats } from './storage/block-manager.js';
import { listInputFiles, planSplits } from './text-files.js';
import { checkOptions, connectBackend, type ContextOptions, DEFAULT_EXECUTOR_WAIT_MS } from './context-options.js';

export type { ContextOptions };

let nextContextSerial = 0;

/**
 * The driver's Context behind an RDD's context. Steps that run on the driver between jobs (labeling's
 * resolution, its memory check) call methods a worker's stand-in does not have.
 */
export function driverContext(ctx: RddContext): Context {
  if (!(ctx instanceof Context)) throw new VoxelflowError('this step runs on the driver: it needs the Context, and a task has only its stand-in');
  return ctx;
}

export class Context implements RddContext {
  /** The event bus: jobs, stages, tasks, executors, storage (see `on`). */
  readonly events = new EventBus();
  /** The master URL the context runs on ('local[2]', 'voxelflow://HOST:PORT', 'sge'). */
  readonly master: string;
  /** The application name (shown by the master and the dashboard). */
  readonly appName: string;
  /** Partitions for sources that are not told (total executor cores, at least 2). */
  readonly defaultParallelism: number;
  readonly serializesFunctions: boolean;
  /** Where `rdd.checkpoint()` writes, or null when the option was not given. */
  readonly checkpointDir: string | null;
  private readonly blocks: BlockManager;
  private readonly scheduler: DAGScheduler;
  private readonly taskScheduler: TaskScheduler;
  private readonly accumulators = new Map<number, Accumulator<number | unknown[]>>();
  private readonly broadcasts = new Map<number, { value: Broadcast; bytes: Uint8Array | null }>();
  private nextRddId = 0;
  private nextShuffleId = 0;
  private nextVarId = 0;
  private stopped = false;
  /** What the context extensions (the dashboard) registered to run last in stop(). */
  private readonly extensionStops: (() => Promise<void>)[] = [];
  /** Distinguishes contexts of one process (checkpoint directories). */
  private readonly serial = nextContextSerial++;

  private constructor(
    options: ContextOptions,
    private readonly executors: readonly Executor[],
    private readonly spillRoot: string,
    private readonly backend: SchedulerBackend | null,
  ) {
    this.master = options.master ?? 'local[*]';
    this.appName = options.appName ?? 'voxelflow';
    this.defaultParallelism = backend?.defaultParallelism ?? executors.reduce((n, e) => n + e.cores, 0);
    this.serializesFunctions = !(executors[0] instanceof InlineExecutor);
    this.checkpointDir = options.checkpointDir === undefined ? null : resolve(options.checkpointDir);
    const budget = options.memory === undefined ? 1024 ** 3 : parseSize(options.memory, 'memory');
    this.blocks = new BlockManager(budget, join(spillRoot, 'blocks'), this.events);
    this.taskScheduler = new TaskScheduler(
      executors,
      {
        maxFailures: options.maxTaskFailures ?? 4,
        speculation: options.speculation ?? false,
        speculationMultiplier: options.speculationMultiplier ?? 1.5,
        speculationQuantile: options.speculationQuantile ?? 0.75,
        speculationMinMs: options.speculationMinMs ?? 100,
        executorWaitTimeoutMs: options.executorWaitTimeout ?? DEFAULT_EXECUTOR_WAIT_MS,
      },
      this.events,
    );
    this.scheduler = new DAGScheduler({
      blocks: this.blocks,
      events: this.events,
      tasks: this.taskScheduler,
      accumulators: this.accumulators,
      broadcastInputs: () => this.broadcastInputs(),
    });
  }

  /** Starts a context. Rejects with a ConfigError for a bad option. */
  static async create(options: ContextOptions = {}): Promise<Context> {
    const threads = checkOptions(options);
    const extensions = requestedExtensions(options);
    for (const [ext, value] of extensions) ext.check(value, options);
    const backend = threads === 'cluster' ? await connectBackend(options) : null;
    // Validate everything before touching the disk, so a bad option leaves no spill folder behind.
    let spillRoot: string;
    let executors: Executor[];
    try {
      spillRoot = makeSpillRoot(options.spillDir);
    } catch (err) {
      await backend?.stop();
      throw err;
    }
    try {
      if (backend !== null) executors = [...backend.executors];
      else executors = threads === 0 ? [new InlineExecutor()] : [new ThreadExecutor('threads', threads as number)];
    } catch (err) {
      rmSync(spillRoot, { recursive: true, force: true });
      throw err;
    }
    const ctx = new Context(options, executors, spillRoot, backend);
    try {
      for (const [ext, value] of extensions) ctx.extensionStops.push(await ext.start(ctx, value, options));
    } catch (err) {
      await ctx.stop();
      throw err;
    }
    // Posted after the extensions started, so that a dashboard lists the first executors too.
    for (const e of executors) ctx.events.post(executorAdded(e));
    backend?.start(ctx.executorHost());
    return ctx;
  }


  // ---- sources -------------------------------------------------------------------------------

  /** An RDD of the elements of `data`, split into `numSlices` partitions of consecutive elements. */
  parallelize<T>(data: Iterable<T>, numSlices: number = this.defaultParallelism): RDD<T> {
    const arr = Array.from(data);
    checkSlices(numSlices);
    return new RDD<T>(this, new ParallelizeNode<T>({ slices: sliceArray(arr, numSlices) }));
  }

  /** The numbers `start, start + step, ...` below `end` (or `0 ... start - 1` with one argument), in `numSlices` partitions. */
  range(start: number, end?: number, step = 1, numSlices: number = this.defaultParallelism): RDD<number> {
    if (end === undefined) return this.range(0, start, step, numSlices);
    if (step === 0 || !Number.isFinite(step)) throw new ConfigError('step', `range: step must be a non-zero finite number, got ${step}`);
    checkSlices(numSlices);
    return new RDD<number>(this, new RangeNode({ start, end, step, numSlices }));
  }

  /** The lines of a text file, a folder of them, or a glob; at least `minPartitions` partitions. */
  textFile(pathOrGlob: string, minPartitions: number = Math.min(2, this.defaultParallelism)): RDD<string> {
    checkSlices(minPartitions);
    const splits = planSplits(listInputFiles(pathOrGlob), minPartitions);
    return new RDD<string>(this, new TextFileNode({ splits }));
  }

  /** An RDD with no partition. */
  emptyRDD<T>(): RDD<T> {
    return new RDD<T>(this, new ParallelizeNode<T>({ slices: [] }));
  }

  /** The elements of all `rdds`, partitions concatenated. */
  union<T>(...rdds: RDD<T>[]): RDD<T> {
    if (rdds.length === 0) return this.emptyRDD();
    return (rdds[0] as RDD<T>).union(...rdds.slice(1));
  }

  // ---- shared variables ----------------------------------------------------------------------

  /** Ships `value` once per executor; tasks read it as `.value` (cheaper than capturing it in every task). */
  broadcast<T>(value: T): Broadcast<T> {
    const b = new Broadcast<T>(this.nextVarId++, value);
    this.broadcasts.set(b.id, { value: b as Broadcast, bytes: this.serializesFunctions ? encodeShared(value) : null });
    return b;
  }

  /** A value tasks add to (numbers add, arrays concatenate) and the driver reads; only successful task attempts count. */
  accumulator(initial: number): Accumulator<number>;
  accumulator<T>(initial: T[]): Accumulator<T[]>;
  accumulator(initial: number | unknown[]): Accumulator<number | unknown[]> {
    const acc = new Accumulator<number | unknown[]>(this.nextVarId++, Array.isArray(initial) ? [] : 0, Array.isArray(initial) ? 'list' : 'sum');
    acc.mergeUpdate(initial);
    this.accumulators.set(acc.id, acc);
    return acc;
  }

  // ---- events and state ----------------------------------------------------------------------

  /** Calls `handler` for each event of `type` ('*' for all); returns a function that removes it. */
  on<K extends EventType | '*'>(type: K, handler: (event: K extends EventType ? EventOf<K> : VoxelflowEvent) => void): () => void {
    return this.events.on(type, handler);
  }
  /** Removes a handler added with `on`. */
  off<K extends EventType | '*'>(type: K, handler: (event: K extends EventType ? EventOf<K> : VoxelflowEvent) => void): void {
    this.events.off(type, handler);
  }

  /** Memory, spill and block counters of the driver's block manager. */
  storageStats(): BlockManagerStats {
    return this.blocks.stats();
  }

  // ---- RddContext ----------------------------------------------------------------------------

  /** The next RDD id (internal: RDDs take one when they are made). */
  newRddId(): number {
    return this.nextRddId++;
  }
  /** The next shuffle id (internal). */
  newShuffleId(): number {
    return this.nextShuffleId++;
  }
  /** Drops the kept partitions of RDD `rddId` (internal: `rdd.unpersist()` calls it). */
  unpersist(rddId: number): void {
    this.blocks.removeRdd(rddId);
  }

  /** Runs `op` on the partitions of `rdd` and returns one result per partition (internal: actions call it). */
  async runJob<R>(rdd: RDD<unknown>, op: ResultOp, options?: RunJobOptions<R>): Promise<R[]> {
    if (this.stopped) throw new JobAbortedError('the context was stopped; create a new one with Context.create()');
    const results = await this.scheduler.runJob<R>(rdd, op, options);
    await this.checkpointAfterJob(rdd);
    return results;
  }

  /** Stops executors, deletes spilled blocks, then closes extensions (the dashboard). Running jobs fail with JobAbortedError. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.taskScheduler.abortAll(new JobAbortedError('the context was stopped while the job ran'));
    await Promise.all(this.executors.map((e) => e.stop()));
    await this.backend?.stop();
    this.blocks.clear();
    rmSync(this.spillRoot, { recursive: true, force: true });
    for (const stopExtension of this.extensionStops.splice(0).reverse()) await stopExtension();
  }

  /** How a cluster backend reports executors joining, draining and being lost. */
  private executorHost(): ExecutorHost {
    const known = new Set(this.executors.map((e) => e.id));
    return {
      addExecutor: (executor) => {
        if (this.stopped || known.has(executor.id)) return;
        known.add(executor.id);
        this.taskScheduler.addExecutor(executor);
        this.events.post(executorAdded(executor));
      },
      retireExecutor: (executorId) => this.taskScheduler.retireExecutor(executorId),
      removeExecutor: (executorId, reason) => {
        if (!known.delete(executorId)) return;
        // Its blocks first: tasks the scheduler kills for reading them run again without them.
        this.blocks.removeBlocksAt(executorId);
        this.taskScheduler.removeExecutor(executorId);
        this.events.post({ type: 'executorRemoved', executorId, reason });
      },
      load: () => this.taskScheduler.load(),
      post: (event) => this.events.post(event),
    };
  }

  private broadcastInputs(): TaskInputs['broadcasts'] {
    const out: [number, Uint8Array][] = [];
    for (const [id, b] of this.broadcasts) {
      if (b.value.isDestroyed) this.broadcasts.delete(id);
      else if (b.bytes !== null) out.push([id, b.bytes]);
    }
    return out;
  }

  /** Writes RDDs marked by checkpoint() once a job has used them, then cuts their lineage. */
  private async checkpointAfterJob(rdd: RDD<unknown>): Promise<void> {
    for (const r of lineage(rdd)) {
      if (r.checkpointState === 'marked' && this.checkpointDir !== null) {
        const dir = join(this.checkpointDir, `${this.appName}-${process.pid}-${this.serial}`, `rdd-${r.id}`);
        await this.scheduler.runJob(r, { op: 'writeCheckpoint', dir });
        r.node = new CheckpointNode({ dir, numPartitions: r.getNumPartitions() }, r.partitioner);
        r.checkpointState = 'done';
      } else if (r.checkpointState === 'local') {
        await this.scheduler.runJob(r, { op: 'count' });
        r.node = new CheckpointNode({ dir: '(local checkpoint: executor block store)', numPartitions: r.getNumPartitions() }, r.partitioner);
        r.checkpointState = 'done';
      }
    }
  }
}

function makeSpillRoot(spillDir: string | undefined): string {
  const parent = spillDir ?? tmpdir();
  try {
    return mkdtempSync(join(parent, 'voxelflow-'));
  } catch (err) {
    throw new ConfigError('spillDir', `spillDir: cannot create a folder in '${parent}' (${(err as Error).message}); pass an existing, writable directory`);
  }
}

/** The event that announces an executor, with what it says about itself. */
function executorAdded(e: Executor): Extract<EventInput, { type: 'executorAdded' }> {
  return { type: 'executorAdded', executorId: e.id, cores: e.cores, host: e.host, ...(e.memoryBytes !== undefined ? { memoryBytes: e.memoryBytes } : {}) };
}

function checkSlices(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ConfigError('numSlices', `numSlices must be a positive integer, got ${String(n)}`);
}

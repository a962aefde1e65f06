/**
 * Spark Streaming's StreamingContext for voxelflow: input streams cut into micro-batches every
 * `batchIntervalMs`, output operations run batch by batch (a slow batch delays the next, never
 * overlaps it), and detector streams (`zmqStream`) whose scans run the user's pipeline.
 */
import { ConfigError, type Context } from '../core/index.js';
import { BeamlineStream, type BeamlineStreamOptions } from './beamline-stream.js';
import { PushInputDStream, type DStream } from './dstream.js';

export interface StreamingContextOptions {
  /** Micro-batch interval, ms. */
  readonly batchIntervalMs: number;
  /** 'manual': batches run only when `tick()` is called (Spark's ManualClock, for tests). */
  readonly clock?: 'system' | 'manual';
}

export type StreamingState = 'initialized' | 'active' | 'stopped';

export class StreamingContext {
  /** Micro-batch interval in ms, as given in the options. */
  readonly batchIntervalMs: number;
  private readonly inputs: DStream<unknown>[] = [];
  private readonly outputs: ((time: number) => Promise<void>)[] = [];
  private readonly beamlines: BeamlineStream[] = [];
  private rememberFor = 0;
  private readonly manual: boolean;
  private stateNow: StreamingState = 'initialized';
  private batches: Promise<void> | null = null;
  private wakeBatches: (() => void) | null = null;
  private terminated: Promise<void>;
  private terminate: () => void = () => {};
  private fail: (err: unknown) => void = () => {};
  /** Batch times run so far. */
  batchesRun = 0;

  constructor(
    /** The context the batches' RDDs run on. */
    readonly ctx: Context,
    options: StreamingContextOptions,
  ) {
    if (!Number.isInteger(options?.batchIntervalMs) || options.batchIntervalMs <= 0) {
      throw new ConfigError('batchIntervalMs', `StreamingContext: batchIntervalMs must be a positive integer, got ${String(options?.batchIntervalMs)}`);
    }
    this.batchIntervalMs = options.batchIntervalMs;
    this.manual = options.clock === 'manual';
    this.terminated = new Promise((resolve, reject) => {
      this.terminate = resolve;
      this.fail = reject;
    });
    this.terminated.catch(() => {}); // observed through awaitTermination()
  }

  /** 'initialized' until start(), 'active' while batches run, then 'stopped'. */
  get state(): StreamingState {
    return this.stateNow;
  }

  /** How long generated RDDs are kept for windows, ms. */
  get rememberMs(): number {
    return Math.max(this.rememberFor, this.batchIntervalMs) + this.batchIntervalMs;
  }

  /** Keeps generated RDDs at least `ms` (windows call this). */
  remember(ms: number): void {
    this.rememberFor = Math.max(this.rememberFor, ms);
  }

  /** An input stream fed by `push(item)`; each batch holds what was pushed during its interval. */
  pushStream<T>(): PushInputDStream<T> {
    this.checkNotStarted('pushStream');
    return new PushInputDStream<T>(this);
  }

  /** A detector stream over ZeroMQ (SIMPLON v1 by default). */
  zmqStream(options: BeamlineStreamOptions): BeamlineStream {
    this.checkNotStarted('zmqStream');
    const b = new BeamlineStream(this, options);
    this.beamlines.push(b);
    return b;
  }

  /** Connects the sources and starts the batch clock. */
  async start(): Promise<void> {
    this.checkNotStarted('start');
    this.stateNow = 'active';
    await Promise.all(this.beamlines.map((b) => b.start()));
    this.batches = this.manual ? Promise.resolve() : this.runBatches();
  }

  /** Manual clock: runs the next batch now. */
  async tick(): Promise<void> {
    if (!this.manual) throw new Error("StreamingContext.tick: only with { clock: 'manual' }");
    if (this.stateNow !== 'active') throw new Error(`StreamingContext.tick: the context is ${this.stateNow}`);
    await this.runBatch((this.batchesRun + 1) * this.batchIntervalMs);
  }

  /** Stops the sources and the clock. Graceful: the scan in hand and the pending ones finish, and a
   * last batch runs over what was received. */
  async stop(options: { graceful?: boolean } = {}): Promise<void> {
    if (this.stateNow === 'stopped') return this.terminated;
    const wasActive = this.stateNow === 'active';
    this.stateNow = 'stopped';
    const graceful = options.graceful ?? true;
    await Promise.all(this.beamlines.map((b) => b.stop(graceful)));
    this.wakeBatches?.();
    if (wasActive) await this.batches;
    if (wasActive && graceful) await this.runBatch((this.batchesRun + 1) * this.batchIntervalMs);
    this.terminate();
  }

  /** Resolves when the context has stopped. */
  awaitTermination(): Promise<void> {
    return this.terminated;
  }

  /** @internal DStream plumbing. */
  addInput(stream: DStream<unknown>): void {
    this.inputs.push(stream);
  }

  /** @internal DStream plumbing. */
  addOutput(op: (time: number) => Promise<void>): void {
    this.outputs.push(op);
  }

  private async runBatches(): Promise<void> {
    const t0 = performance.now();
    while (this.stateNow === 'active') {
      const next = (this.batchesRun + 1) * this.batchIntervalMs;
      const wait = t0 + next - performance.now();
      if (wait > 0) {
        await new Promise<void>((r) => {
          const timer = setTimeout(r, wait);
          this.wakeBatches = () => (clearTimeout(timer), r());
        });
      }
      if (this.stateNow !== 'active') break;
      try {
        await this.runBatch(next);
      } catch (err) {
        // As in Spark, a failed output operation stops the context; awaitTermination rejects with it.
        this.fail(err);
        void this.stop({ graceful: false });
        break;
      }
    }
  }

  private async runBatch(time: number): Promise<void> {
    this.batchesRun = time / this.batchIntervalMs;
    // Every input is cut at every batch time, whether or not an output reads it.
    for (const input of this.inputs) await input.getOrCompute(time);
    for (const op of this.outputs) await op(time);
  }

  private checkNotStarted(what: string): void {
    if (this.stateNow !== 'initialized') throw new Error(`StreamingContext.${what}: the context has already been started; add streams before start()`);
  }
}

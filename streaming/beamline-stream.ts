/**
 * A detector stream: ZeroMQ source → protocol decoder → scan assembler → the user's scan pipeline.
 * Receiving, decoding and the pipeline run concurrently; the pipeline handles one scan at a time
 * while the next is received. When `maxPendingScans` sealed scans wait, decoding pauses, the queue
 * fills, and the source either pushes back on the sender (PULL) or drops the oldest frames (SUB).
 */
import { ConfigError } from '../core/index.js';
import { Array1Decoder } from './array1-decoder.js';
import { PushInputDStream, type DStream } from './dstream.js';
import type { AssembledScan } from './open-scan.js';
import { PROTOCOLS, type ProtocolDecoder, type ProtocolName } from './protocol-decoder.js';
import { Scan } from './scan.js';
import { ScanAssembler } from './scan-assembler.js';
import { defaultMaxScanBytes } from './scan-bound.js';
import type { StreamTotals } from './scan-report.js';
import { SimplonDecoder } from './simplon-decoder.js';
import type { FrameEvent, FrameType } from './stream-event.js';
import type { StreamingContext } from './streaming-context.js';
import { ZmqSource, type ZmqSourceOptions } from './zmq-source.js';

/** Options of `ssc.zmqStream`: the socket (ZmqSourceOptions) and how scans are decoded, bounded and stopped. */
export interface BeamlineStreamOptions extends ZmqSourceOptions {
  /** Wire protocol (default 'simplon-v1'). */
  readonly protocol?: ProtocolName;
  /** array-1.0: a scan ends after this long without a message (default 1000 ms). */
  readonly idleTimeoutMs?: number;
  /** Sealed scans that may wait for the pipeline before decoding pauses (default 2). */
  readonly maxPendingScans?: number;
  /** Memory one scan may hold, bytes: a scan that would pass it is aborted and reported, and the
   * stream goes on (default: defaultMaxScanBytes(maxQueueBytes), from the machine's memory). */
  readonly maxScanBytes?: number;
  /** Graceful stop waits this long for the scan in hand to end (default 30 s); a scan still open
   * then is aborted. */
  readonly graceMs?: number;
  /** Where one-line notices go (malformed input, pipeline failures); default: stderr. */
  readonly log?: (line: string) => void;
}

/** What the frames DStream carries: one record per processed frame, without its pixels. */
export interface FrameInfo {
  /** The series (scan) the frame belongs to. */
  readonly series: string;
  /** Frame number within the series, from 0. */
  readonly frame: number;
  /** What the frame is, when its metadata says. */
  readonly frameType: FrameType | null;
  /** Rotation angle in degrees, when its metadata says. */
  readonly angle: number | null;
  /** Size of the frame's decoded pixels in bytes. */
  readonly bytes: number;
}

/** A scan pipeline: called once per sealed scan; a returned promise is awaited before the next scan, and a throw is logged and counted in `pipelineErrors`. */
export type ScanHandler = (scan: Scan) => unknown;

/** A detector stream made by `ssc.zmqStream`: receives frames over ZeroMQ, assembles them into scans and runs the `scans().foreach` pipeline on each, one at a time. */
export class BeamlineStream {
  /** The ZeroMQ receiver and its byte-bounded queue. */
  readonly source: ZmqSource;
  /** Files decoded frames into scans and keeps the accounting. */
  readonly assembler: ScanAssembler;
  private readonly decoder: ProtocolDecoder;
  private readonly handlers: ScanHandler[] = [];
  private readonly pending: AssembledScan[] = [];
  private frameInput: PushInputDStream<FrameInfo> | null = null;
  private readonly frameListeners: ((frame: FrameEvent) => void)[] = [];
  private wakeDecoder: (() => void) | null = null;
  private wakePipeline: (() => void) | null = null;
  private finishing: 'no' | 'graceful' | 'now' = 'no';
  private decodeFinished = false;
  private stopMark = 0;
  private decoding: Promise<void> | null = null;
  private piping: Promise<void> | null = null;
  private readonly log: (line: string) => void;
  /** performance.now() of the last scanUpdated event for the open scan (live updates are throttled). */
  private lastProgress = 0;
  /** Scans whose pipeline threw (logged, and the stream went on). */
  pipelineErrors = 0;

  constructor(
    private readonly ssc: StreamingContext,
    private readonly options: BeamlineStreamOptions,
  ) {
    const protocol = options.protocol ?? 'simplon-v1';
    if (!PROTOCOLS.includes(protocol)) throw new ConfigError('protocol', `protocol must be one of ${PROTOCOLS.join(', ')}, got '${String(protocol)}'`);
    this.decoder = protocol === 'simplon-v1' ? new SimplonDecoder() : new Array1Decoder();
    this.source = new ZmqSource(options, this.decoder);
    this.log = options.log ?? ((line) => process.stderr.write(`voxelflow stream: ${line}\n`));
    const maxScanBytes = options.maxScanBytes ?? defaultMaxScanBytes(this.source.queue.maxBytes);
    this.assembler = new ScanAssembler({ onScan: (s) => this.sealed(s), onFrame: (f) => this.framePushed(f), log: this.log, maxScanBytes });
  }

  /** Stream-wide counters (every received message is in exactly one). */
  get totals(): StreamTotals {
    return this.assembler.totals;
  }

  /** One record per processed frame, batched by the context's interval. */
  frames(): DStream<FrameInfo> {
    this.frameInput ??= new PushInputDStream<FrameInfo>(this.ssc);
    return this.frameInput;
  }

  /**
   * Calls `listener` with each frame kept for its scan, pixels included, as it is filed: in the
   * decoding loop, before its scan is sealed (the stream's incremental reconstruction). A listener
   * that throws stops the decoding: it must handle its own errors.
   */
  onFrame(listener: (frame: FrameEvent) => void): void {
    this.frameListeners.push(listener);
  }

  /** The scans, each sealed when its series ends (or is aborted). */
  scans(): {
    /** Registers the pipeline run on each sealed scan (several run in registration order). */
    foreach: (fn: ScanHandler) => void;
  } {
    return { foreach: (fn) => void this.handlers.push(fn) };
  }

  /** Connects and starts receiving (called by StreamingContext.start). */
  async start(): Promise<void> {
    await this.source.start();
    this.decoding = this.decode();
    this.piping = this.pipeline();
  }

  /** Graceful: the scan in hand — open, or begun by a message received but not yet decoded — ends
   * (or graceMs passes), and every sealed scan runs its pipeline. */
  async stop(graceful: boolean): Promise<void> {
    this.finishing = graceful ? 'graceful' : 'now';
    this.stopMark = this.source.queue.pushed;
    if (!graceful || this.nothingInHand()) await this.source.close();
    else {
      const grace = setTimeout(() => void this.source.close(), this.options.graceMs ?? 30_000);
      await this.decoding;
      clearTimeout(grace);
    }
    this.wakeDecoder?.();
    await this.decoding;
    this.wakePipeline?.();
    await this.piping;
  }

  private async decode(): Promise<void> {
    const queue = this.source.queue;
    const idle = this.decoder.name === 'array-1.0' ? (this.options.idleTimeoutMs ?? 1000) : 3_600_000;
    const maxPending = this.options.maxPendingScans ?? 2;
    for (;;) {
      while (this.pending.length >= maxPending && this.finishing !== 'now') await new Promise<void>((r) => (this.wakeDecoder = r));
      if (this.finishing === 'now') break;
      const m = await queue.shiftWithin(idle);
      if (m === null) break;
      if (m === 'timeout') {
        this.assembler.handle(this.decoder.idle(), performance.now(), false);
      } else {
        const events = m.state === 'dropped' ? this.decoder.dropped(m.peek) : this.decoder.decode(m.parts);
        this.assembler.handle(events, m.receivedAt);
        this.postProgress();
      }
      if (this.finishing === 'graceful' && this.nothingInHand()) break;
    }
    // Stopping: what was received after the scan in hand (or, stopping now, anything not decoded
    // yet) is counted as discarded rather than opened as a scan that could only be aborted.
    await this.source.close();
    this.assembler.discard(queue.drain());
    this.assembler.abortOpen();
    if (this.source.error !== null) this.log(`receiving stopped: ${this.source.error.message}`);
    this.decodeFinished = true;
    this.wakePipeline?.();
  }

  /** A frame kept for its scan goes to the frame listeners and the frames DStream. */
  private framePushed(e: FrameEvent): void {
    for (const listener of this.frameListeners) listener(e);
    this.frameInput?.push({ series: e.series, frame: e.frame, frameType: e.frameType, angle: e.angle, bytes: e.bytes.length });
  }

  /** Tells the event bus (the dashboard) how the open scan is doing, at most every 250 ms. */
  private postProgress(): void {
    const now = performance.now();
    const open = now - this.lastProgress < 250 ? null : this.assembler.openCounters;
    if (open === null) return;
    this.lastProgress = now;
    this.ssc.ctx.events.post({ type: 'scanUpdated', scanId: open.series, status: 'receiving', expected: open.expected, counters: open.counters });
  }

  /** No scan open, and every message received before stop() was decoded. */
  private nothingInHand(): boolean {
    return this.assembler.openSeries === null && this.source.queue.shifted >= this.stopMark;
  }

  private sealed(scan: AssembledScan): void {
    const r = scan.report;
    const counters = { received: r.received, processed: r.processed, duplicates: r.duplicates, malformed: r.malformed, dropped: r.dropped, missing: r.missingCount, outOfOrder: r.outOfOrder };
    this.ssc.ctx.events.post({ type: 'scanUpdated', scanId: r.series, status: r.status, expected: r.expected, counters });
    this.lastProgress = 0;
    this.pending.push(scan);
    this.wakePipeline?.();
  }

  private async pipeline(): Promise<void> {
    for (;;) {
      const scan = this.pending.shift();
      if (scan === undefined) {
        if (this.decodeFinished) return;
        await new Promise<void>((r) => (this.wakePipeline = r));
        continue;
      }
      this.wakeDecoder?.();
      if (this.finishing === 'now') continue;
      const view = new Scan(this.ssc.ctx, scan);
      for (const fn of this.handlers) {
        try {
          await fn(view);
        } catch (err) {
          this.pipelineErrors++;
          this.log(`scan ${scan.report.series}: pipeline failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
        }
      }
      view.release();
      this.wakeDecoder?.();
    }
  }
}

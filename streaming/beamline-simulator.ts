/**
 * A detector in software: binds PUSH (or PUB) and replays volumes as scans, frame k = slice k, in
 * SIMPLON v1 or array-1.0, optionally rate-limited and with injected faults for tests and demos.
 */
import type { Publisher, Push } from 'zeromq';
import type { Volume } from '../imaging/index.js';
import { array1Message } from './array1-encoder.js';
import { lz4EncodeBlock } from '../imaging/io/lz4-block.js';
import { pixelBytes } from './pixel-type.js';
import type { ProtocolName } from './protocol-decoder.js';
import { simplonEnd, simplonHeader, simplonImage } from './simplon-encoder.js';
import type { ScanMeta } from './stream-event.js';

/**
 * Faults a simulator can inject into one scan (by scan index, 0-based). Most act at one frame; the
 * hostile ones (issue 13) take a number instead:
 *   nimages:N       the header claims N frames (0: it claims no count at all)
 *   frame-number:N  one extra frame numbered N, sent before frame 0
 *   wrong-shape:F   frame F is 8 pixels wider and taller than the others
 *   endless:F       the series never ends: after its last frame, frames F, F+1, ... follow (pixels of
 *                   the volume's slices, cycled) until the simulator is stopped
 */
export type FaultKind = 'duplicate' | 'skip' | 'swap' | 'bad-size' | 'bad-json' | 'unknown-htype' | 'unknown-series' | 'abort' | 'nimages' | 'frame-number' | 'wrong-shape' | 'endless';

/** Every FaultKind, for validating option strings. */
export const FAULT_KINDS: readonly FaultKind[] = ['duplicate', 'skip', 'swap', 'bad-size', 'bad-json', 'unknown-htype', 'unknown-series', 'abort', 'nimages', 'frame-number', 'wrong-shape', 'endless'];

/** One fault to inject: what, in which scan, at which frame. */
export interface Fault {
  /** Index of the scan it acts in, 0 for the first sendScan. */
  readonly scan: number;
  /** What goes wrong. */
  readonly kind: FaultKind;
  /** The frame it acts at, or its number (nimages, frame-number). */
  readonly frame: number;
}

/** Extra pixels per side of a 'wrong-shape' frame. */
const WRONG_SHAPE_EXTRA = 8;

/** Options of `BeamlineSimulator.bind`. */
export interface SimulatorOptions {
  /** Endpoint to bind, e.g. `tcp://*:9999` or `tcp://127.0.0.1:0` (port 0: any free port). */
  readonly bind: string;
  /** Wire protocol (default 'simplon-v1'). */
  readonly protocol?: ProtocolName;
  /** 'push' (default; a PULL receiver, nothing lost) or 'pub' (a SUB receiver, live mode). */
  readonly socket?: 'push' | 'pub';
  /** SIMPLON blob encoding (default 'none'). */
  readonly encoding?: 'none' | 'lz4';
  /** Frames per second; 0 or absent: as fast as the receiver takes them. */
  readonly rateHz?: number;
  /** Series id of the first scan (default 1). */
  readonly firstSeries?: number;
  /** Faults to inject (default none). */
  readonly faults?: readonly Fault[];
  /** ZeroMQ send high-water mark in messages (default 64 for push, 100000 for pub). */
  readonly sendHighWaterMark?: number;
}

/** How the frames of a tomography scan are laid out in the volume `sendScan` sends. */
export interface TomoFrames {
  /** Dark frames first (beam off). */
  readonly darks: number;
  /** Flat frames next (beam on, no sample). */
  readonly flats: number;
  /** Degrees, one per projection. */
  readonly angles: readonly number[];
}

/** A detector in software for tests and demos: binds a PUSH or PUB socket and sends volumes as scans (frame k = slice k), optionally paced and with faults. */
export class BeamlineSimulator {
  private scansSent = 0;
  /** lz4 blocks of the volumes sent so far, by slice: a replayed volume is compressed once. */
  private readonly compressed = new WeakMap<Volume, Buffer[]>();
  private nextFrameAt = 0;
  private stopped = false;
  private wakeStop: () => void = () => {};
  /** Resolves on stop(): an endless scan's send may wait forever for a receiver that went away. */
  private readonly stopSignal = new Promise<void>((resolve) => (this.wakeStop = resolve));
  /** Messages and bytes sent so far. */
  messages = 0;
  /** Bytes sent so far. */
  bytes = 0;

  private constructor(
    private readonly sock: Push | Publisher,
    private readonly options: SimulatorOptions,
    /** The bound endpoint (with the port chosen when binding port 0). */
    readonly endpoint: string,
  ) {}

  /** Binds the socket (ZeroMQ loaded on first use) and returns a simulator ready to send. */
  static async bind(options: SimulatorOptions): Promise<BeamlineSimulator> {
    const zmq = await import('zeromq');
    const hwm = options.sendHighWaterMark ?? (options.socket === 'pub' ? 100_000 : 64);
    const sock = options.socket === 'pub' ? new zmq.Publisher({ sendHighWaterMark: hwm, linger: 2000 }) : new zmq.Push({ sendHighWaterMark: hwm, linger: 2000 });
    await sock.bind(options.bind);
    return new BeamlineSimulator(sock, options, sock.lastEndpoint ?? options.bind);
  }

  /**
   * Sends one volume as one scan; resolves when every message has been queued for sending (an
   * 'endless' scan: when `stop()` was called). Frame k is slice k, a projection at k * 180 / z degrees;
   * with `tomo`, the first `darks` frames are darks, the next `flats` flats, and the rest projections
   * at `angles` (a tomography scan as a detector sends it; see tomo/simulate-scan.ts).
   */
  async sendScan(volume: Volume, tomo: TomoFrames | null = null): Promise<void> {
    const index = this.scansSent++;
    const series = (this.options.firstSeries ?? 1) + index;
    const faults = (this.options.faults ?? []).filter((f) => f.scan === index);
    const [z, y, x] = volume.shape;
    const claim = faults.find((f) => f.kind === 'nimages')?.frame ?? z;
    const calibration = tomo === null ? 0 : tomo.darks + tomo.flats;
    const projections = z - calibration;
    const angleOf = (k: number): number => (tomo === null ? k * (180 / z) : (tomo.angles[k - calibration] ?? 0));
    const scan: ScanMeta = {
      id: `scan-${series}`,
      ...(claim > 0 ? { nProjections: claim - calibration } : {}),
      angleStart: tomo === null ? 0 : (tomo.angles[0] ?? 0),
      angleStep: tomo === null ? 180 / z : 180 / projections,
      nDarks: tomo?.darks ?? 0,
      nFlats: tomo?.flats ?? 0,
      pixelSizeUm: 1,
    };
    const simplon = (this.options.protocol ?? 'simplon-v1') === 'simplon-v1';
    const sliceBytes = y * x * pixelBytes(volume.dtype);
    const frame = (k: number, slice = k): Buffer[] => {
      const bytes = new Uint8Array(volume.data.buffer, volume.data.byteOffset + slice * sliceBytes, sliceBytes);
      const meta = k < (tomo?.darks ?? 0) ? { frameType: 'dark' as const } : k < calibration ? { frameType: 'flat' as const } : { frameType: 'projection' as const, angle: angleOf(k) };
      if (simplon) return simplonImage({ series, frame: k, shape: [y, x], dtype: volume.dtype, bytes, encoding: this.options.encoding ?? 'none', ...(k === slice ? this.lz4(volume, k, bytes) : {}), ...meta });
      return array1Message({ frame: k, shape: [y, x], dtype: volume.dtype, bytes, ...(k === 0 ? { scan } : {}), ...meta });
    };
    if (simplon) await this.send(claim > 0 ? simplonHeader(series, claim, scan, [y, x]) : simplonHeader(series, null, null, [y, x]));
    for (const f of faults) if (f.kind === 'frame-number') await this.send(frame(f.frame, 0));
    const order = [...Array(z).keys()];
    for (const f of faults) if (f.kind === 'swap' && f.frame + 1 < z) [order[f.frame], order[f.frame + 1]] = [f.frame + 1, f.frame];
    for (const k of order) {
      const here = faults.filter((f) => f.frame === k).map((f) => f.kind);
      if (here.includes('abort')) return; // no series end: the next header aborts this scan
      if (here.includes('bad-json')) await this.send([Buffer.from('{"htype": "dimage-1.0", "series": ')]);
      if (here.includes('unknown-htype')) await this.send([Buffer.from(JSON.stringify({ htype: 'dmystery-1.0', series }))]);
      if (here.includes('unknown-series') && simplon) await this.send(simplonImage({ series: series + 1000, frame: k, shape: [y, x], dtype: volume.dtype, bytes: new Uint8Array(sliceBytes), encoding: 'none' }));
      if (here.includes('skip')) continue;
      const parts = here.includes('wrong-shape') ? this.wrongShape(series, k, volume, simplon) : frame(k);
      if (here.includes('bad-size')) parts[simplon ? 2 : 1] = (parts[simplon ? 2 : 1] as Buffer).subarray(1);
      await this.pace();
      await this.send(parts);
      if (here.includes('duplicate')) await this.send(frame(k));
    }
    const endless = faults.find((f) => f.kind === 'endless');
    if (endless !== undefined) {
      // A detector left running: frames keep coming and the series never ends.
      for (let k = endless.frame; !this.stopped; k++) {
        await this.pace();
        const sent = this.send(frame(k, k % z));
        sent.catch(() => {}); // a send still waiting when close() comes is rejected by it
        await Promise.race([sent, this.stopSignal]);
      }
      return;
    }
    if (simplon) await this.send(simplonEnd(series));
  }

  /** Ends an 'endless' scan (the simulator was asked to stop). */
  stop(): void {
    this.stopped = true;
    this.wakeStop();
  }

  /** Frame k, WRONG_SHAPE_EXTRA pixels larger each way (a detector mode switch, a wrong ROI). */
  private wrongShape(series: number, k: number, volume: Volume, simplon: boolean): Buffer[] {
    const [, y, x] = volume.shape;
    const shape = [y + WRONG_SHAPE_EXTRA, x + WRONG_SHAPE_EXTRA] as const;
    const bytes = new Uint8Array(shape[0] * shape[1] * pixelBytes(volume.dtype));
    if (simplon) return simplonImage({ series, frame: k, shape, dtype: volume.dtype, bytes, encoding: 'none' });
    return array1Message({ frame: k, shape, dtype: volume.dtype, bytes });
  }

  private lz4(volume: Volume, k: number, bytes: Uint8Array): { lz4?: Buffer } {
    if (this.options.encoding !== 'lz4') return {};
    let blocks = this.compressed.get(volume);
    if (blocks === undefined) this.compressed.set(volume, (blocks = []));
    return { lz4: (blocks[k] ??= lz4EncodeBlock(bytes)) };
  }

  /** Closes the socket (messages already queued linger up to 2 s). */
  async close(): Promise<void> {
    this.sock.close();
  }

  private async send(parts: Buffer[]): Promise<void> {
    await this.sock.send(parts);
    this.messages++;
    for (const p of parts) this.bytes += p.length;
  }

  private async pace(): Promise<void> {
    const rate = this.options.rateHz ?? 0;
    if (rate <= 0) return;
    const now = performance.now();
    if (this.nextFrameAt > now) await new Promise((r) => setTimeout(r, this.nextFrameAt - now));
    this.nextFrameAt = Math.max(now, this.nextFrameAt) + 1000 / rate;
  }
}

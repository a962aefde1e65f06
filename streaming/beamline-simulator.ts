/**
 * A detector in software: binds PUSH (or PUB) and replays volumes as scans, frame k = slice k, in
 * SIMPLON v1 or array-1.0, optionally rate-limited and with injected faults for tests and demos.
 */
import type { Publisher, Push } from 'zeromq';
import type { Volume } from '../imaging/index.js';
import { array1Message } from './array1-encoder.js';
import { lz4EncodeBlock } from './lz4-block.js';
import { pixelBytes } from './pixel-type.js';
import type { ProtocolName } from './protocol-decoder.js';
import { simplonEnd, simplonHeader, simplonImage } from './simplon-encoder.js';
import type { ScanMeta } from './stream-event.js';

/** Faults a simulator can inject into one scan (by scan index, 0-based), at one frame. */
export type FaultKind = 'duplicate' | 'skip' | 'swap' | 'bad-size' | 'bad-json' | 'unknown-htype' | 'unknown-series' | 'abort';

export const FAULT_KINDS: readonly FaultKind[] = ['duplicate', 'skip', 'swap', 'bad-size', 'bad-json', 'unknown-htype', 'unknown-series', 'abort'];

export interface Fault {
  readonly scan: number;
  readonly kind: FaultKind;
  readonly frame: number;
}

export interface SimulatorOptions {
  /** Endpoint to bind, e.g. `tcp://*:9999` or `tcp://127.0.0.1:0` (port 0: any free port). */
  readonly bind: string;
  readonly protocol?: ProtocolName;
  readonly socket?: 'push' | 'pub';
  /** SIMPLON blob encoding (default 'none'). */
  readonly encoding?: 'none' | 'lz4';
  /** Frames per second; 0 or absent: as fast as the receiver takes them. */
  readonly rateHz?: number;
  /** Series id of the first scan (default 1). */
  readonly firstSeries?: number;
  readonly faults?: readonly Fault[];
  readonly sendHighWaterMark?: number;
}

export class BeamlineSimulator {
  private scansSent = 0;
  /** lz4 blocks of the volumes sent so far, by slice: a replayed volume is compressed once. */
  private readonly compressed = new WeakMap<Volume, Buffer[]>();
  private nextFrameAt = 0;
  /** Messages and bytes sent so far. */
  messages = 0;
  bytes = 0;

  private constructor(
    private readonly sock: Push | Publisher,
    private readonly options: SimulatorOptions,
    /** The bound endpoint (with the port chosen when binding port 0). */
    readonly endpoint: string,
  ) {}

  static async bind(options: SimulatorOptions): Promise<BeamlineSimulator> {
    const zmq = await import('zeromq');
    const hwm = options.sendHighWaterMark ?? (options.socket === 'pub' ? 100_000 : 64);
    const sock = options.socket === 'pub' ? new zmq.Publisher({ sendHighWaterMark: hwm, linger: 2000 }) : new zmq.Push({ sendHighWaterMark: hwm, linger: 2000 });
    await sock.bind(options.bind);
    return new BeamlineSimulator(sock, options, sock.lastEndpoint ?? options.bind);
  }

  /** Sends one volume as one scan; resolves when every message has been queued for sending. */
  async sendScan(volume: Volume): Promise<void> {
    const index = this.scansSent++;
    const series = (this.options.firstSeries ?? 1) + index;
    const faults = (this.options.faults ?? []).filter((f) => f.scan === index);
    const [z, y, x] = volume.shape;
    const scan: ScanMeta = { id: `scan-${series}`, nProjections: z, angleStart: 0, angleStep: 180 / z, nDarks: 0, nFlats: 0, pixelSizeUm: 1 };
    const simplon = (this.options.protocol ?? 'simplon-v1') === 'simplon-v1';
    const sliceBytes = y * x * pixelBytes(volume.dtype);
    const frame = (k: number): Buffer[] => {
      const bytes = new Uint8Array(volume.data.buffer, volume.data.byteOffset + k * sliceBytes, sliceBytes);
      const tomo = { frameType: 'projection' as const, angle: k * (180 / z) };
      if (simplon) return simplonImage({ series, frame: k, shape: [y, x], dtype: volume.dtype, bytes, encoding: this.options.encoding ?? 'none', ...this.lz4(volume, k, bytes), ...tomo });
      return array1Message({ frame: k, shape: [y, x], dtype: volume.dtype, bytes, ...(k === 0 ? { scan } : {}), ...tomo });
    };
    if (simplon) await this.send(simplonHeader(series, z, scan, [y, x]));
    const order = [...Array(z).keys()];
    for (const f of faults) if (f.kind === 'swap' && f.frame + 1 < z) [order[f.frame], order[f.frame + 1]] = [f.frame + 1, f.frame];
    for (const k of order) {
      const here = faults.filter((f) => f.frame === k).map((f) => f.kind);
      if (here.includes('abort')) return; // no series end: the next header aborts this scan
      if (here.includes('bad-json')) await this.send([Buffer.from('{"htype": "dimage-1.0", "series": ')]);
      if (here.includes('unknown-htype')) await this.send([Buffer.from(JSON.stringify({ htype: 'dmystery-1.0', series }))]);
      if (here.includes('unknown-series') && simplon) await this.send(simplonImage({ series: series + 1000, frame: k, shape: [y, x], dtype: volume.dtype, bytes: new Uint8Array(sliceBytes), encoding: 'none' }));
      if (here.includes('skip')) continue;
      const parts = frame(k);
      if (here.includes('bad-size')) parts[simplon ? 2 : 1] = (parts[simplon ? 2 : 1] as Buffer).subarray(1);
      await this.pace();
      await this.send(parts);
      if (here.includes('duplicate')) await this.send(frame(k));
    }
    if (simplon) await this.send(simplonEnd(series));
  }

  private lz4(volume: Volume, k: number, bytes: Uint8Array): { lz4?: Buffer } {
    if (this.options.encoding !== 'lz4') return {};
    let blocks = this.compressed.get(volume);
    if (blocks === undefined) this.compressed.set(volume, (blocks = []));
    return { lz4: (blocks[k] ??= lz4EncodeBlock(bytes)) };
  }

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

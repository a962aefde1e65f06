/**
 * `voxelflow simulate-beamline --bind tcp://*:9999`: a detector in software. Replays seeded phantoms
 * (or a given volume) as scans over ZeroMQ, in SIMPLON v1 or array-1.0, for demos, tests and
 * benchmarks; `--fault` injects the faults a real beamline has.
 */
import { Context } from '../core/index.js';
import { ImageFormatError, readImage, type Volume } from '../imaging/index.js';
import { BeamlineSimulator, FAULT_KINDS, PROTOCOLS, type Fault, type FaultKind, type ProtocolName, type TomoFrames } from '../streaming/index.js';
import { tomoScanVolume } from './tomo-scan-volume.js';
import { badValue, enumFlag, integerFlag, integerListFlag, numberFlag, parseCommandLine, UsageError, type NumberRule } from './flags.js';

const HELP = `usage: voxelflow simulate-beamline --bind ENDPOINT [options]

Binds like a detector and sends scans: frame k of a scan is slice k of a volume.

  --bind ENDPOINT          e.g. tcp://*:9999 (tcp://127.0.0.1:* picks a free port; printed first)
  --protocol P             simplon-v1 (default) or array-1.0
  --socket S               push (default; the receiver connects PULL) or pub (receiver SUB)
  --scans N                number of scans (default 3)
  --shape X,Y,Z            blobs phantom size (default 64,64,64); scan i uses seed SEED+i
  --input FILE             send this volume (.npy, .tif, ...) in every scan instead
  --tomo                   send tomography scans instead: darks, flats (with a gain pattern) and
                           projections (uint16 counts, frame appendix { frameType, angle }) of a phantom
                           of inclusions and pores; --shape X,Y,Z is columns, rows, projections over
                           [0, 180) degrees (default 128,32,180); 'voxelflow stream --reconstruct' takes them
  --axis-shift S           --tomo: the rotation axis' offset from the middle column (default 3.4)
  --noise N                --tomo: relative noise on the counts (default 0.01)
  --dtype T                phantom pixel type: uint8, uint16 (default), uint32, float32
  --seed S                 first phantom seed (default 1)
  --distinct K             cycle through K phantoms (default: one per scan)
  --rate HZ                frames per second (default: as fast as the receiver takes them)
  --encoding E             none (default) or lz4 (SIMPLON 'lz4<' blobs)
  --first-series N         series id of the first scan (default 1)
  --interval-ms MS         pause between scans (default 0)
  --wait-ms MS             pause before the first scan (default 0 for push, 1000 for pub)
  --fault SCAN:KIND:FRAME  inject a fault into scan SCAN (0-based) at FRAME; repeatable. KIND is
                           ${FAULT_KINDS.join(', ')}.
                           Hostile ones: SCAN:nimages:N (the header claims N frames; 0: no count),
                           SCAN:frame-number:N (an extra frame numbered N), SCAN:wrong-shape:F (frame F
                           8 pixels larger each way), SCAN:endless:F (after its last frame the scan
                           goes on with frames F, F+1, ... until the simulator is stopped)`;

interface Flags {
  bind: string;
  protocol: ProtocolName;
  socket: 'push' | 'pub';
  scans: number;
  shape: [number, number, number];
  input: string | null;
  dtype: 'u8' | 'u16' | 'u32' | 'f32';
  seed: number;
  distinct: number;
  rate: number;
  encoding: 'none' | 'lz4';
  firstSeries: number;
  intervalMs: number;
  waitMs: number;
  faults: Fault[];
  tomo: { shift: number; noise: number } | null;
}

export async function runSimulateBeamline(argv: string[]): Promise<number> {
  const a = parseFlags(argv);
  if (a === 'help') {
    console.log(HELP);
    return 0;
  }
  const scans: { volume: Volume; tomo: TomoFrames | null }[] =
    a.tomo !== null
      ? Array.from({ length: Math.min(a.distinct, a.scans) }, (_, i) => tomoScanVolume({ size: a.shape[0], rows: a.shape[1], angles: a.shape[2], shift: a.tomo!.shift, noise: a.tomo!.noise, seed: a.seed + i }))
      : (await loadVolumes(a)).map((volume) => ({ volume, tomo: null }));
  const sim = await BeamlineSimulator.bind({ bind: a.bind, protocol: a.protocol, socket: a.socket, encoding: a.encoding, rateHz: a.rate, firstSeries: a.firstSeries, faults: a.faults });
  console.log(`bound ${sim.endpoint}`);
  let stop = false;
  const onSignal = (): void => {
    stop = true;
    sim.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (a.waitMs > 0) await sleep(a.waitMs);
    const t0 = performance.now();
    for (let i = 0; i < a.scans && !stop; i++) {
      if (i > 0 && a.intervalMs > 0) await sleep(a.intervalMs);
      const { volume: v, tomo } = scans[i % scans.length]!;
      await sim.sendScan(v, tomo);
      console.log(`sent scan ${a.firstSeries + i}: ${v.shape[0]} frames of ${v.shape[2]} x ${v.shape[1]} ${v.dtype}`);
    }
    const s = (performance.now() - t0) / 1000;
    console.log(`sent ${sim.messages} messages, ${(sim.bytes / 1e6).toFixed(1)} MB in ${s.toFixed(2)} s (${(sim.bytes / 1e6 / s).toFixed(0)} MB/s)`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await sim.close();
  }
}

async function loadVolumes(a: Flags): Promise<Volume[]> {
  if (a.input !== null) {
    try {
      return [readImage(a.input)];
    } catch (err) {
      if (err instanceof ImageFormatError) throw new UsageError(err.message);
      throw err;
    }
  }
  const ctx = await Context.create({ master: 'local' });
  try {
    const [x, y, z] = a.shape;
    const out: Volume[] = [];
    for (let i = 0; i < Math.min(a.distinct, a.scans); i++) {
      out.push(await ctx.images.synthetic({ kind: 'blobs', shape: [z, y, x], seed: a.seed + i, dtype: a.dtype }).toArray());
    }
    return out;
  } finally {
    await ctx.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function parseFlags(argv: string[]): Flags | 'help' {
  const parsed = parseCommandLine(
    'simulate-beamline',
    argv,
    {
      bind: { type: 'string' },
      protocol: { type: 'string', default: 'simplon-v1' },
      socket: { type: 'string', default: 'push' },
      scans: { type: 'string', default: '3' },
      shape: { type: 'string' },
      input: { type: 'string' },
      dtype: { type: 'string', default: 'uint16' },
      seed: { type: 'string', default: '1' },
      distinct: { type: 'string' },
      rate: { type: 'string', default: '0' },
      encoding: { type: 'string', default: 'none' },
      'first-series': { type: 'string', default: '1' },
      'interval-ms': { type: 'string', default: '0' },
      'wait-ms': { type: 'string' },
      fault: { type: 'string', multiple: true },
      tomo: { type: 'boolean', default: false },
      'axis-shift': { type: 'string' },
      noise: { type: 'string' },
    },
    { positionals: false },
  );
  const v = parsed.values;
  if (v.help) return 'help';
  if (v.bind === undefined) throw new UsageError("--bind ENDPOINT is required (e.g. --bind tcp://*:9999); run 'voxelflow simulate-beamline --help'");
  if (!/^(tcp:\/\/[^:/]+:(\d+|\*)|ipc:\/\/.+)$/.test(v.bind)) throw new UsageError(`--bind must look like tcp://HOST:PORT, tcp://HOST:* or ipc://PATH, got '${v.bind}'`, '--bind');
  const protocol = enumFlag('protocol', v.protocol, PROTOCOLS);
  const socket = enumFlag('socket', v.socket, ['push', 'pub']);
  if (v.shape !== undefined && v.input !== undefined) throw new UsageError('give --shape or --input, not both', '--shape');
  const int = (name: string, s: string, min: number): number => integerFlag(name, s, { min });
  if (v.tomo === true && v.input !== undefined) throw new UsageError('give --tomo or --input, not both', '--tomo');
  if (v.tomo !== true && (v['axis-shift'] !== undefined || v.noise !== undefined)) throw new UsageError('--axis-shift and --noise need --tomo', v.noise !== undefined ? '--noise' : '--axis-shift');
  const real = (name: string, s: string | undefined, fallback: number, rule: NumberRule): number => (s === undefined ? fallback : numberFlag(name, s, rule));
  const tomo = v.tomo === true ? { shift: real('axis-shift', v['axis-shift'], 3.4, { above: -1e6, below: 1e6, want: 'a number of columns' }), noise: real('noise', v.noise, 0.01, { min: 0, below: 1, want: 'a fraction in [0, 1)' }) } : null;
  const shape = integerListFlag('shape', v.shape ?? (tomo !== null ? '128,32,180' : '64,64,64'), 3, ',', { min: 1, max: 4096, want: 'X,Y,Z with integers in 1..4096' });
  if (tomo !== null && (shape[0]! < 8 || shape[1]! < 2 || shape[2]! < 8)) throw new UsageError(`--tomo needs --shape X,Y,Z with at least 8 columns, 2 rows and 8 projections, got '${v.shape}'`, '--shape');
  const dtypes = { uint8: 'u8', uint16: 'u16', uint32: 'u32', float32: 'f32' } as const;
  const dtype = dtypes[enumFlag('dtype', v.dtype, Object.keys(dtypes) as (keyof typeof dtypes)[], 'uint8, uint16, uint32 or float32')];
  const encoding = enumFlag('encoding', v.encoding, ['none', 'lz4']);
  if (encoding === 'lz4' && protocol !== 'simplon-v1') throw new UsageError('--encoding lz4 needs --protocol simplon-v1 (array-1.0 sends raw data)', '--encoding');
  const rate = numberFlag('rate', v.rate, { min: 0, want: 'a number of frames per second >= 0' });
  const scans = int('scans', v.scans, 1);
  return {
    bind: v.bind,
    protocol,
    socket,
    scans,
    shape: shape as [number, number, number],
    input: v.input ?? null,
    dtype,
    seed: int('seed', v.seed, 0),
    distinct: v.distinct === undefined ? scans : int('distinct', v.distinct, 1),
    rate,
    encoding,
    firstSeries: int('first-series', v['first-series'], 0),
    intervalMs: int('interval-ms', v['interval-ms'], 0),
    waitMs: v['wait-ms'] === undefined ? (v.socket === 'pub' ? 1000 : 0) : int('wait-ms', v['wait-ms'], 0),
    faults: (v.fault ?? []).map(parseFault),
    tomo,
  };
}

function parseFault(s: string): Fault {
  const [scan, kind, frame, ...rest] = s.split(':');
  const sn = Number(scan), fn = Number(frame);
  if (rest.length > 0 || !Number.isInteger(sn) || sn < 0 || !Number.isInteger(fn) || fn < 0 || !FAULT_KINDS.includes(kind as FaultKind)) {
    throw badValue('fault', `SCAN:KIND:FRAME with KIND one of ${FAULT_KINDS.join(', ')}`, s);
  }
  return { scan: sn, kind: kind as FaultKind, frame: fn };
}

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Context, writeImage } from '../../index.js';
import { bin, freePort, killAll, voxelflow } from './peer.js';

const dir = mkdtempSync(join(tmpdir(), 'vf-stream-'));
const shape = [40, 36, 32] as const; // x, y, z
const analysis = ['--above', '400', '--box', '1', '--connectivity', '26'];
const seeds = [1, 2, 3];
const expected = new Map<number, { components: number; voxels_foreground: number; csv: string }>();

beforeAll(async () => {
  // The phantoms the simulator sends (seed 1, 2, 3), written to files and measured by `analyze`.
  const ctx = await Context.create({ master: 'local' });
  try {
    for (const seed of seeds) {
      const file = join(dir, `phantom-${seed}.npy`);
      writeImage(file, await ctx.images.synthetic({ kind: 'blobs', shape: [shape[2], shape[1], shape[0]], seed, dtype: 'u16' }).toArray());
      const csv = join(dir, `analyze-${seed}.csv`);
      const r = spawnSync(process.execPath, [bin, 'analyze', file, ...analysis, '--stats', csv, '--json', '--master', 'local[2]'], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as { components: number; voxels_foreground: number };
      expect(j.components).toBeGreaterThan(0);
      expected.set(seed, { components: j.components, voxels_foreground: j.voxels_foreground, csv: readFileSync(csv, 'utf8') });
    }
  } finally {
    await ctx.stop();
  }
});
afterEach(killAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Line {
  series: string;
  status: string;
  frames: number;
  missing: number[];
  malformed: number;
  dropped: number;
  shape: number[];
  components: number;
  voxels_foreground: number;
  latency_ms: number;
}

async function streamScans(simArgs: string[], streamArgs: string[], statsDir: string): Promise<Line[]> {
  const port = await freePort();
  const stream = voxelflow(['stream', '--connect', `tcp://127.0.0.1:${port}`, ...analysis, '--scans', '3', '--json', '--master', 'local[2]', '--stats-dir', statsDir, ...streamArgs]);
  const sim = voxelflow(['simulate-beamline', '--bind', `tcp://127.0.0.1:${port}`, '--scans', '3', '--shape', shape.join(','), '--seed', '1', ...simArgs]);
  const code = await Promise.race([stream.exited, new Promise((r) => setTimeout(() => r('timeout'), 40_000))]);
  expect(code, `stream: ${stream.stderr}\nsimulator: ${sim.stdout} ${sim.stderr}`).toBe(0);
  expect(await sim.exited).toBe(0);
  return stream.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
}

describe('voxelflow stream against a simulator process', () => {
  for (const [name, simArgs, streamArgs] of [
    ['SIMPLON v1, raw frames', [], []],
    ['SIMPLON v1, lz4 frames', ['--encoding', 'lz4'], []],
    ['array-1.0', ['--protocol', 'array-1.0', '--interval-ms', '600'], ['--protocol', 'array-1.0', '--idle-ms', '300']],
  ] as const) {
    it(`${name}: every scan equals the analyze command on the same volume`, async () => {
      const statsDir = join(dir, name.replace(/\W+/g, '-'));
      const preview = `${statsDir}.png`;
      const lines = await streamScans([...simArgs], [...streamArgs, '--preview', preview], statsDir);
      expect(lines).toHaveLength(3);
      // --preview: the last scan's middle slice (x across, y down), replaced after every scan.
      const png = pngjs.PNG.sync.read(readFileSync(preview));
      expect([png.width, png.height]).toEqual([shape[0], shape[1]]);
      lines.forEach((l, i) => {
        const want = expected.get(seeds[i] as number)!;
        expect(l).toMatchObject({ series: String(i + 1), status: 'complete', frames: shape[2], missing: [], malformed: 0, dropped: 0, shape: [shape[2], shape[1], shape[0]] });
        expect(l.components).toBe(want.components);
        expect(l.voxels_foreground).toBe(want.voxels_foreground);
        expect(l.latency_ms).toBeGreaterThan(0);
        expect(readFileSync(join(statsDir, `${l.series}.csv`), 'utf8')).toBe(want.csv);
      });
    }, 60_000);
  }
});

describe('voxelflow stream and outputs that exist', () => {
  it('refuses an existing --preview before it connects, keeps a series CSV of an earlier run (saying so in its line), and replaces both with --overwrite', async () => {
    const statsDir = join(dir, 'existing');
    mkdirSync(statsDir);
    const old = 'an earlier run\n';
    writeFileSync(join(statsDir, '1.csv'), old);
    const preview = join(dir, 'existing.png');
    writeFileSync(preview, old);
    const refused = spawnSync(process.execPath, [bin, 'stream', '--connect', 'tcp://127.0.0.1:9', '--above', '1', '--preview', preview], { encoding: 'utf8', timeout: 30_000 });
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([`voxelflow stream: --preview ${preview} already exists; pass --overwrite to replace it, or write elsewhere`]);
    const kept = await streamScans([], [], statsDir);
    expect(kept.map((l) => (l as Line & { why: string | null }).why)).toEqual([`--stats-dir: ${join(statsDir, '1.csv')}: already exists; pass --overwrite (overwrite: true) to replace it, or write elsewhere`, null, null]);
    expect(readFileSync(join(statsDir, '1.csv'), 'utf8')).toBe(old);
    expect(readFileSync(join(statsDir, '2.csv'), 'utf8')).toBe(expected.get(2)!.csv);
    expect(readdirSync(statsDir).sort()).toEqual(['1.csv', '2.csv', '3.csv']);
    await streamScans([], ['--preview', preview, '--overwrite'], statsDir);
    expect(readFileSync(join(statsDir, '1.csv'), 'utf8')).toBe(expected.get(1)!.csv);
    expect(pngjs.PNG.sync.read(readFileSync(preview)).width).toBe(shape[0]);
  }, 90_000);
});

describe('voxelflow stream interrupted', () => {
  it('SIGINT finishes the scan in hand, then exits 0', async () => {
    const port = await freePort();
    const uiPort = await freePort();
    const stream = voxelflow(['stream', '--connect', `tcp://127.0.0.1:${port}`, ...analysis, '--json', '--master', 'local[2]', '--ui-port', String(uiPort)]);
    // 16 frames at 10 Hz: each scan takes 1.6 s to send.
    const sim = voxelflow(['simulate-beamline', '--bind', `tcp://127.0.0.1:${port}`, '--scans', '3', '--shape', '24,20,16', '--rate', '10']);
    // SIGINT once the stream itself is receiving scan 2 (its dashboard's scans), not at a time guessed
    // from the sender's progress: on a loaded machine the receiver lags the sender by more than a frame.
    const inScan2 = async (): Promise<boolean> => {
      try {
        const scans = (await (await fetch(`http://127.0.0.1:${uiPort}/api/v1/scans`)).json()) as { scanId: string; status: string }[];
        return scans.some((r) => r.scanId === '2' && r.status === 'receiving');
      } catch {
        return false; // the dashboard is not up yet
      }
    };
    const deadline = Date.now() + 40_000;
    while (!(await inScan2())) {
      if (Date.now() > deadline) throw new Error(`the stream never reported scan 2 as receiving; stdout: ${stream.stdout} stderr: ${stream.stderr} sender: ${sim.stdout}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    stream.proc.kill('SIGINT');
    const code = await Promise.race([stream.exited, new Promise((r) => setTimeout(() => r('timeout'), 40_000))]);
    expect(code, `stdout: ${stream.stdout}\nstderr: ${stream.stderr}`).toBe(0);
    const lines = stream.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => [l.series, l.status, l.frames])).toEqual([['1', 'complete', 16], ['2', 'complete', 16]]);
    expect(stream.stderr).toMatch(/stopping after the scan in hand/);
    // Whatever of scan 3 was received before the socket closed is counted, not opened as a scan.
    expect(stream.stderr).toMatch(/32 frames processed, .* \d+ discarded at stop; scans 2 complete, 0 incomplete, 0 aborted/);
  }, 90_000);
});

describe('voxelflow stream and simulate-beamline misuse', () => {
  const run = (...args: string[]): { code: number | null; err: string } => {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000 });
    return { code: r.status, err: r.stderr };
  };
  const cases: [string[], RegExp][] = [
    [['stream', '--above', '1'], /--connect ENDPOINT is required/],
    [['stream', '--connect', 'localhost:9999', '--above', '1'], /--connect must look like/],
    [['stream', '--connect', 'tcp://127.0.0.1:9', '--protocol', 'hdf5', '--above', '1'], /--protocol must be/],
    [['stream', '--connect', 'tcp://127.0.0.1:9', '--socket', 'req', '--above', '1'], /--socket must be pull or sub/],
    [['stream', '--connect', 'tcp://127.0.0.1:9'], /--above T and\/or --below T/],
    [['stream', '--connect', 'tcp://127.0.0.1:9', '--above', '1', '--connectivity', '8'], /--connectivity must be 6, 18 or 26/],
    [['stream', '--bogus'], /Unknown option '--bogus'/],
    [['simulate-beamline'], /--bind ENDPOINT is required/],
    [['simulate-beamline', '--bind', 'tcp://127.0.0.1:9', '--fault', '1:explode:3'], /--fault must be SCAN:KIND:FRAME/],
    [['simulate-beamline', '--bind', 'tcp://127.0.0.1:9', '--shape', '4,4'], /--shape must be X,Y,Z/],
    [['simulate-beamline', '--bind', 'tcp://127.0.0.1:9', '--input', join(dir, 'missing.npy')], /missing\.npy/],
  ];
  it('each mistake is one line on stderr, exit 2, no stack trace', () => {
    for (const [args, re] of cases) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.err).toMatch(re);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  }, 60_000);
});

/**
 * `voxelflow stream --reconstruct` against `simulate-beamline --tomo`, both as processes over ZeroMQ:
 * each scan is back-projected as its projections arrive and analyzed, its line reports the centre
 * found at the end of the scan and whether the volume was recomputed; a projection that never came is
 * left out and counted; the volume equals the file reconstruction of the same frames, whether it was
 * made as the frames came (given centre, or a provisional one the end confirmed) or recomputed (a
 * provisional centre the end refuted); a scan without flats is reported in its line and the stream
 * goes on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Context } from '../../core/index.js';
import '../../imaging/index.js';
import { readImage, writeImage } from '../../imaging/io/index.js';
import { nativeStatus } from '../../native/index.js';
import '../../tomo/index.js';
import { tomoScanVolume } from '../../cli/tomo-scan-volume.js';
import { freePort, killAll, voxelflow } from '../streaming/peer.js';

const dir = mkdtempSync(join(tmpdir(), 'vf-stream-tomo-'));
afterEach(killAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Line {
  series: string;
  status: string;
  why: string | null;
  shape: number[] | null;
  components: number | null;
  center?: number | null;
  center_found?: number | null;
  center_provisional?: number | null;
  recomputed?: boolean | null;
  recompute_why?: string | null;
  missing_projections?: number | null;
}

async function stream(simArgs: string[], streamArgs: string[], scans: number): Promise<Line[]> {
  const port = await freePort();
  const receiver = voxelflow(['stream', '--connect', `tcp://127.0.0.1:${port}`, '--reconstruct', '--above', '0.03', '--scans', String(scans), '--json', '--master', 'local[2]', ...streamArgs]);
  const sim = voxelflow(['simulate-beamline', '--bind', `tcp://127.0.0.1:${port}`, '--scans', String(scans), ...simArgs]);
  const code = await Promise.race([receiver.exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
  expect(code, `stream: ${receiver.stderr}\nsimulator: ${sim.stdout} ${sim.stderr}`).toBe(0);
  expect(await sim.exited).toBe(0);
  return receiver.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
}

/** Writes the frames `simulate-beamline --tomo` sent for these options as .npy stacks, and reconstructs them from the files. */
async function fromFiles(shape: { size: number; rows: number; angles: number }, shift: number, seed: number, center: number | 'auto', name: string): Promise<{ center: number; data: Float32Array }> {
  const sent = tomoScanVolume({ ...shape, shift, noise: 0.01, seed });
  const frame = shape.rows * shape.size;
  const part = (what: string, from: number, n: number): string => {
    const file = join(dir, `${name}-${what}.npy`);
    writeImage(file, { data: sent.volume.data.subarray(from * frame, (from + n) * frame), shape: [n, shape.rows, shape.size], dtype: 'u16' });
    return file;
  };
  const { darks, flats } = sent.tomo;
  const ctx = await Context.create({ master: 'local[2]' });
  try {
    const rec = await ctx.tomo.read(part('proj', darks + flats, shape.angles), { darks: part('darks', 0, darks), flats: part('flats', darks, flats), theta: sent.tomo.angles, center });
    return { center: rec.center, data: (await rec.image.toArray()).data as Float32Array };
  } finally {
    await ctx.stop();
  }
}

/** Bit for bit with the native kernels; within float rounding with the TypeScript twins, whose sums differ by order. */
function expectSameVolume(stream: ArrayLike<number>, file: Float32Array): void {
  expect(stream.length).toBe(file.length);
  if (nativeStatus().state === 'loaded') {
    expect(Array.from(stream)).toEqual(Array.from(file));
    return;
  }
  let err = 0;
  let top = 0;
  for (let i = 0; i < file.length; i++) {
    err = Math.max(err, Math.abs(stream[i]! - file[i]!));
    top = Math.max(top, Math.abs(file[i]!));
  }
  expect(err / top).toBeLessThan(1e-5);
}

describe('voxelflow stream --reconstruct', () => {
  const shape = { size: 64, rows: 8, angles: 90 };

  it('finds the centre, recomputes the first scan whose provisional centre (the middle) was wrong, counts a missing projection, and equals the file reconstruction', async () => {
    const volumes = join(dir, 'volumes');
    const lines = await stream(['--tomo', '--shape', `${shape.size},${shape.rows},${shape.angles}`, '--axis-shift=-2.5', '--seed', '5', '--fault', '1:skip:40'], ['--volumes', volumes], 2);
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l.why).toBeNull();
      expect(l.shape).toEqual([shape.rows, shape.size, shape.size]);
      expect(l.components).toBeGreaterThan(0);
      expect(Math.abs(l.center! - (shape.size / 2 - 2.5))).toBeLessThanOrEqual(0.25);
    }
    expect(lines.map((l) => l.missing_projections)).toEqual([0, 1]);
    // The first scan went back-projected around column 32; the end found ~29.5: recomputed once, with it.
    expect(lines[0]).toMatchObject({ center_provisional: shape.size / 2, recomputed: true });
    expect(lines[0]!.recompute_why).toMatch(/^the provisional centre 32 is 2\.\d\d px from the centre found$/);
    expect(lines[0]!.center).toBe(lines[0]!.center_found);
    const file = await fromFiles(shape, -2.5, 5, 'auto', 'recomputed');
    expect(Math.round(file.center * 1000) / 1000).toBe(lines[0]!.center);
    expectSameVolume(readImage(join(volumes, '1.npy')).data, file.data);
  }, 90_000);

  it('keeps the volume made as the projections came when the centre is given, or when the end confirms the provisional one, equal to the file reconstruction with that centre', async () => {
    const given = join(dir, 'given');
    const [g] = await stream(['--tomo', '--shape', `${shape.size},${shape.rows},${shape.angles}`, '--axis-shift=-2.5', '--seed', '6'], ['--volumes', given, '--center', '29.5'], 1);
    expect(g).toMatchObject({ why: null, center: 29.5, center_found: null, center_provisional: 29.5, recomputed: false, recompute_why: null });
    expectSameVolume(readImage(join(given, '1.npy')).data, (await fromFiles(shape, -2.5, 6, 29.5, 'given')).data);

    const confirmed = join(dir, 'confirmed');
    const [c] = await stream(['--tomo', '--shape', `${shape.size},${shape.rows},${shape.angles}`, '--axis-shift=0', '--seed', '7'], ['--volumes', confirmed], 1);
    expect(c).toMatchObject({ why: null, center: 32, center_provisional: 32, recomputed: false });
    expect(Math.abs(c!.center_found! - 32)).toBeLessThanOrEqual(0.25);
    expectSameVolume(readImage(join(confirmed, '1.npy')).data, (await fromFiles(shape, 0, 7, 32, 'confirmed')).data);
  }, 90_000);

  it('reports a scan without flats in its line, and goes on with the next scan', async () => {
    const lines = await stream(['--shape', '32,32,16'], [], 2);
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l.why).toMatch(/^reconstruct: series \d+: the scan has no flat \(open-beam\) frames; send flat frames .* or pass --no-flat/);
  }, 90_000);
});

/**
 * `voxelflow stream --reconstruct` against `simulate-beamline --tomo`, both as processes over ZeroMQ:
 * each scan is reconstructed from its darks, flats and projections and analyzed, its line reports the
 * centre found at the end of the scan; a projection that never came is left out and counted; the
 * volume equals the file reconstruction of the same frames; a scan without flats is reported in its
 * line and the stream goes on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Context } from '../../core/index.js';
import '../../imaging/index.js';
import { readImage, writeImage } from '../../imaging/io/index.js';
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

describe('voxelflow stream --reconstruct', () => {
  it('reconstructs and measures each scan, finds the centre, counts a missing projection, and equals the file reconstruction', async () => {
    const volumes = join(dir, 'volumes');
    const shape = { size: 64, rows: 8, angles: 90 };
    const lines = await stream(['--tomo', '--shape', `${shape.size},${shape.rows},${shape.angles}`, '--axis-shift=-2.5', '--seed', '5', '--fault', '1:skip:40'], ['--volumes', volumes], 2);
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l.why).toBeNull();
      expect(l.shape).toEqual([shape.rows, shape.size, shape.size]);
      expect(l.components).toBeGreaterThan(0);
      expect(Math.abs(l.center! - (shape.size / 2 - 2.5))).toBeLessThanOrEqual(0.25);
    }
    expect(lines.map((l) => l.missing_projections)).toEqual([0, 1]);
    // The same frames from files: the same volume, bit for bit.
    const sent = tomoScanVolume({ ...shape, shift: -2.5, noise: 0.01, seed: 5 });
    const frame = shape.rows * shape.size;
    const part = (name: string, from: number, n: number): string => {
      const file = join(dir, `${name}.npy`);
      writeImage(file, { data: sent.volume.data.subarray(from * frame, (from + n) * frame), shape: [n, shape.rows, shape.size], dtype: 'u16' });
      return file;
    };
    const { darks, flats } = sent.tomo;
    const ctx = await Context.create({ master: 'local[2]' });
    try {
      const rec = await ctx.tomo.read(part('proj', darks + flats, shape.angles), { darks: part('darks', 0, darks), flats: part('flats', darks, flats), theta: sent.tomo.angles });
      expect(Math.round(rec.center * 1000) / 1000).toBe(lines[0]!.center);
      const fromFile = await rec.image.toArray();
      expect(Array.from(readImage(join(volumes, '1.npy')).data)).toEqual(Array.from(fromFile.data));
    } finally {
      await ctx.stop();
    }
  }, 90_000);

  it('reports a scan without flats in its line, and goes on with the next scan', async () => {
    const lines = await stream(['--shape', '32,32,16'], [], 2);
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l.why).toMatch(/^reconstruct: series \d+: the scan has no flat \(open-beam\) frames; send flat frames .* or pass --no-flat/);
  }, 90_000);
});

/**
 * Issue 13: `voxelflow stream` (a real process) against hostile senders (simulator processes with
 * the hostile faults): it stays alive, reports the hostile series as aborted with why, and reports
 * the valid series after each exactly.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '../../index.js';
import { freePort, killAll, voxelflow, type Child } from './peer.js';

interface Line {
  series: string;
  status: string;
  why: string | null;
  frames: number;
  expected: number | null;
  missing: number[];
  missing_count: number;
  malformed: number;
  dropped: number;
  shape: number[] | null;
  components: number | null;
  voxels_foreground: number | null;
}

const shape = [24, 20, 16] as const; // x, y, z
const THRESHOLD = 100; // these small phantoms peak at ~140 (24 x 20 x 16) to ~1900 (512 x 512)
const analysis = ['--above', String(THRESHOLD), '--connectivity', '26'];
let ctx: Context;
beforeAll(async () => {
  ctx = await Context.create({ master: 'local' });
});
afterEach(killAll);
afterAll(async () => {
  await ctx.stop();
});

/** What the stream must report for the blobs phantom the simulator makes with `seed` (x, y, z shape). */
async function phantom(seed: number, [x, y, z]: readonly [number, number, number] = shape): Promise<{ components: number; voxels_foreground: number }> {
  const img = ctx.images.synthetic({ kind: 'blobs', shape: [z, y, x], seed, dtype: 'u16' });
  const components = await img.threshold({ above: THRESHOLD }).labelComponents({ connectivity: 26 }).componentCount();
  const voxels_foreground = Array.from((await img.toArray()).data).reduce((n, v) => n + (v > THRESHOLD ? 1 : 0), 0);
  expect(voxels_foreground).toBeGreaterThan(0);
  return { components, voxels_foreground };
}

/** The JSON lines the stream printed so far. */
function lines(stream: Child): Line[] {
  return stream.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
}

/** Runs a simulator on `port` to the end (exit 0). */
async function simulate(port: number, args: readonly string[]): Promise<void> {
  const sim = voxelflow(['simulate-beamline', '--bind', `tcp://127.0.0.1:${port}`, ...args]);
  expect(await sim.exited, sim.stderr).toBe(0);
}

function exitedWithin(child: Child, ms: number): Promise<number | string> {
  return Promise.race([child.exited, new Promise<string>((r) => setTimeout(() => r('timeout'), ms))]);
}

describe('voxelflow stream against hostile senders', () => {
  it('a header claiming 10^9 or 10^6 frames, or a frame numbered 10^9: each series is aborted as too large, the valid series after each is exact', async () => {
    const port = await freePort();
    const stream = voxelflow(['stream', '--connect', `tcp://127.0.0.1:${port}`, ...analysis, '--scans', '6', '--json', '--master', 'local[2]', '--max-scan-mb', '64']);
    const z = ['--shape', shape.join(',')];
    await simulate(port, ['--scans', '2', ...z, '--fault', '0:nimages:1000000000']);
    await simulate(port, ['--scans', '2', ...z, '--first-series', '3', '--seed', '3', '--fault', '0:nimages:0', '--fault', '0:frame-number:1000000000']);
    await simulate(port, ['--scans', '2', '--shape', '512,512,1', '--first-series', '5', '--seed', '5', '--fault', '0:nimages:1000000']);
    expect(await exitedWithin(stream, 40_000), `stdout: ${stream.stdout}\nstderr: ${stream.stderr}`).toBe(0);
    const [l1, l2, l3, l4, l5, l6] = lines(stream);
    expect(l1).toMatchObject({ series: '1', status: 'aborted', frames: 16, expected: 1e9, missing_count: 1e9 - 16, shape: null, components: null });
    expect(l1?.why).toMatch(/^scan-too-large: its volume of 1000000000 frames of 24 x 20 u16 would take .* MiB, over the bound of 64\.0 MiB$/);
    expect(l1?.missing).toHaveLength(1000);
    expect(l3).toMatchObject({ series: '3', status: 'aborted', frames: 17, expected: null, missing_count: 1e9 + 1 - 17 });
    expect(l3?.why).toMatch(/^scan-too-large: its volume of 1000000001 frames/);
    expect(l5).toMatchObject({ series: '5', status: 'aborted', frames: 1, expected: 1e6, missing_count: 1e6 - 1 });
    expect(l5?.why).toMatch(/^scan-too-large: its volume of 1000000 frames of 512 x 512 u16/);
    for (const [l, series, seed, xyz] of [[l2, '2', 2, shape], [l4, '4', 4, shape], [l6, '6', 6, [512, 512, 1]]] as const) {
      expect(l).toMatchObject({ series, status: 'complete', why: null, frames: xyz[2], missing: [], missing_count: 0, malformed: 0, dropped: 0, shape: [xyz[2], xyz[1], xyz[0]] });
      expect(l).toMatchObject(await phantom(seed, xyz));
    }
    expect(stream.stderr).toMatch(/scans 3 complete, 0 incomplete, 3 aborted/);
  }, 90_000);

  it('a first frame of the wrong shape costs one frame, counted as malformed', async () => {
    const port = await freePort();
    const stream = voxelflow(['stream', '--connect', `tcp://127.0.0.1:${port}`, ...analysis, '--scans', '1', '--json', '--master', 'local[2]']);
    await simulate(port, ['--scans', '1', '--shape', '32,32,16', '--fault', '0:wrong-shape:0']);
    expect(await exitedWithin(stream, 40_000), `stdout: ${stream.stdout}\nstderr: ${stream.stderr}`).toBe(0);
    expect(lines(stream)).toEqual([expect.objectContaining({ series: '1', status: 'incomplete', frames: 15, malformed: 1, missing: [], shape: [16, 32, 32] })]);
    expect(stream.stderr).toMatch(/malformed message \(shape-mismatch\): frame 0 of series 1/);
  }, 60_000);

  it('a series that never ends is aborted at the bound, the stream goes on, and one Ctrl-C stops it within --grace-s', async () => {
    const port = await freePort();
    // 32 x 32 u16 frames (2 KiB) and a 1 MiB bound: the endless scan passes it after ~450 frames.
    const stream = voxelflow(['stream', '--connect', `tcp://127.0.0.1:${port}`, ...analysis, '--json', '--master', 'local[2]', '--max-scan-mb', '1', '--grace-s', '2']);
    const endless = voxelflow(['simulate-beamline', '--bind', `tcp://127.0.0.1:${port}`, '--scans', '1', '--shape', '32,32,8', '--fault', '0:nimages:0', '--fault', '0:endless:8', '--rate', '1000']);
    await stream.line(/"series":"1","status":"aborted"/, 30_000);
    const first = lines(stream)[0];
    expect(first?.why).toMatch(/^scan-too-large: after \d+ frames it holds 1\.0 MiB, over the bound of 1\.0 MiB$/);
    expect(first?.frames).toBeGreaterThan(400);
    expect(first?.frames).toBeLessThan(512);
    expect(first?.dropped).toBe(1);
    await new Promise((r) => setTimeout(r, 500)); // the series goes on: dropped, counted
    endless.proc.kill('SIGINT');
    expect(await endless.exited).toBe(0);
    // The stream goes on with the next sender's series.
    await simulate(port, ['--scans', '1', '--shape', '32,32,8', '--first-series', '10', '--seed', '4']);
    await stream.line(/"series":"10"/, 30_000);
    expect(lines(stream)[1]).toMatchObject({ series: '10', status: 'complete', frames: 8, malformed: 0, ...(await phantom(4, [32, 32, 8])) });
    // A series that never ends, still within the bound, when Ctrl-C comes: aborted after --grace-s.
    const open = voxelflow(['simulate-beamline', '--bind', `tcp://127.0.0.1:${port}`, '--scans', '1', '--shape', '32,32,8', '--first-series', '20', '--fault', '0:nimages:0', '--fault', '0:endless:8', '--rate', '50']);
    await open.line(/bound/);
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    stream.proc.kill('SIGINT');
    expect(await exitedWithin(stream, 15_000), `stdout: ${stream.stdout}\nstderr: ${stream.stderr}`).toBe(0);
    const stopS = (performance.now() - t0) / 1000;
    expect(stopS).toBeGreaterThan(1.9);
    expect(stopS).toBeLessThan(8);
    expect(lines(stream)[2]).toMatchObject({ series: '20', status: 'aborted', components: null });
    expect(lines(stream)[2]?.why).toMatch(/^stopped: /);
    expect(stream.stderr).toMatch(/stopping after the scan in hand, within 2 s/);
    expect(stream.stderr).toMatch(/dropped \(\d+ scan-too-large\)/);
    expect(stream.stderr).toMatch(/scans 1 complete, 0 incomplete, 2 aborted/);
    // The simulator stops too, though its receiver is gone and its send can never complete.
    open.proc.kill('SIGINT');
    expect(await exitedWithin(open, 10_000)).toBe(0);
  }, 90_000);
});

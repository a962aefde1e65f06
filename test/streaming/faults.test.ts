import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '../../index.js';
import type { Scan } from '../../streaming/index.js';
import { freePort, killAll, receiver, voxelflow } from './peer.js';

const shape = [24, 20, 16] as const; // x, y, z: 16 frames per scan
let ctx: Context;
beforeAll(async () => {
  ctx = await Context.create({ master: 'local[2]' });
});
afterEach(killAll);
afterAll(async () => {
  await ctx.stop();
});

/** Components of a scan's volume, and of the phantom the simulator made it from. */
async function components(scan: Scan): Promise<number> {
  return scan.volume.threshold({ above: 400 }).labelComponents({ connectivity: 26 }).componentCount();
}
async function phantomComponents(seed: number): Promise<number> {
  return ctx.images.synthetic({ kind: 'blobs', shape: [shape[2], shape[1], shape[0]], seed, dtype: 'u16' }).threshold({ above: 400 }).labelComponents({ connectivity: 26 }).componentCount();
}

describe('faulty detector streams (simulator in another process)', () => {
  it('counts malformed, duplicate, out-of-order and missing frames and an aborted scan; the other scans are exact', async () => {
    const port = await freePort();
    const counts = new Map<string, number>();
    const r = await receiver(ctx, { connect: `tcp://127.0.0.1:${port}` }, async (scan) => {
      if (scan.data !== null) counts.set(scan.series, await components(scan));
    });
    const faults = ['1:duplicate:3', '1:skip:5', '1:swap:7', '1:bad-size:9', '1:bad-json:2', '1:unknown-htype:4', '1:unknown-series:6', '2:abort:10'];
    const sim = voxelflow(['simulate-beamline', '--bind', `tcp://127.0.0.1:${port}`, '--scans', '4', '--shape', shape.join(','), ...faults.flatMap((f) => ['--fault', f])]);
    try {
      // Scan 3 is aborted by scan 4's header, so four scans come out.
      const scans = await r.waitForScans(4);
      expect(await sim.exited).toBe(0);
      const [s1, s2, s3, s4] = scans.map((s) => s.report);
      expect(s1).toMatchObject({ series: '1', status: 'complete', expected: 16, received: 16, processed: 16, duplicates: 0, malformed: 0, missing: [] });
      expect(s2).toMatchObject({ series: '2', status: 'incomplete', expected: 16, received: 16, processed: 14, duplicates: 1, malformed: 1, dropped: 0, missing: [5], malformedReasons: { 'bad-blob-size': 1 } });
      expect(s2!.outOfOrder).toBeGreaterThanOrEqual(1);
      expect(s3).toMatchObject({ series: '3', status: 'aborted', processed: 10, missing: [10, 11, 12, 13, 14, 15] });
      expect(s4).toMatchObject({ series: '4', status: 'complete', processed: 16, missing: [] });
      // Stream-wide: the three extra bad messages belong to no scan; everything adds up.
      const t = r.beam.totals;
      expect(t.malformedReasons).toEqual({ 'bad-blob-size': 1, 'bad-json': 1, 'unknown-htype': 1, 'unknown-series': 1 });
      expect(t).toMatchObject({ processed: 16 + 14 + 10 + 16, duplicates: 1, malformed: 4, dropped: 0, control: 4 + 3 });
      expect(t.messages).toBe(t.control + t.processed + t.duplicates + t.malformed + t.dropped);
      expect(t.messages).toBe(Number(sim.stdout.match(/sent (\d+) messages/)?.[1]));
      // Each reason is logged once.
      expect(r.logs.filter((l) => l.includes('malformed message'))).toHaveLength(4);
      // The clean scans (seeds 1 and 4) are exactly the phantoms; the swapped frames of scan 2 were put back in place.
      expect(counts.get('1')).toBe(await phantomComponents(1));
      expect(counts.get('4')).toBe(await phantomComponents(4));
      const s2data = scans[1]!.data!.data;
      const plane = shape[0] * shape[1];
      const phantom2 = await ctx.images.synthetic({ kind: 'blobs', shape: [shape[2], shape[1], shape[0]], seed: 2, dtype: 'u16' }).toArray();
      for (const k of [7, 8]) expect(Buffer.from(s2data.buffer, k * plane * 2, plane * 2).equals(Buffer.from(phantom2.data.buffer, k * plane * 2, plane * 2))).toBe(true);
      expect(s2data.subarray(5 * plane, 6 * plane).every((v) => v === 0)).toBe(true);
    } finally {
      await r.ssc.stop({ graceful: false });
    }
  }, 60_000);

  it('a sender restarted mid-scan: the interrupted scan is aborted, the new sender’s scans are exact', async () => {
    const port = await freePort();
    const counts = new Map<string, number>();
    const r = await receiver(ctx, { connect: `tcp://127.0.0.1:${port}` }, async (scan) => {
      if (scan.data !== null) counts.set(scan.series, await components(scan));
    });
    try {
      const first = voxelflow(['simulate-beamline', '--bind', `tcp://127.0.0.1:${port}`, '--scans', '3', '--shape', shape.join(','), '--rate', '40']);
      await first.line(/sent scan 1:/);
      await new Promise((res) => setTimeout(res, 100)); // a few frames into scan 2 (16 frames at 40 Hz take 400 ms)
      first.proc.kill('SIGKILL');
      await first.exited;
      const second = voxelflow(['simulate-beamline', '--bind', `tcp://127.0.0.1:${port}`, '--scans', '2', '--shape', shape.join(','), '--first-series', '10', '--seed', '5']);
      const scans = await r.waitForScans(4);
      expect(await second.exited).toBe(0);
      const reports = scans.map((s) => s.report);
      expect(reports.map((s) => [s.series, s.status])).toEqual([['1', 'complete'], ['2', 'aborted'], ['10', 'complete'], ['11', 'complete']]);
      const interrupted = reports[1]!;
      expect(interrupted.processed).toBeGreaterThan(0);
      expect(interrupted.processed).toBeLessThan(16);
      expect(interrupted.processed + interrupted.missing.length).toBe(16);
      expect(counts.get('10')).toBe(await phantomComponents(5));
      expect(counts.get('11')).toBe(await phantomComponents(6));
    } finally {
      await r.ssc.stop({ graceful: false });
    }
  }, 60_000);
});

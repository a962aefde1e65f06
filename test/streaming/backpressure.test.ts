import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '../../index.js';
import { freePort, killAll, receiver, voxelflow } from './peer.js';

// 512 x 256 u16 frames (256 KiB), 8 per scan: 2 MiB a scan, more than loopback TCP buffers hide.
const shape = '512,256,8';
const scans = 6;
const slowMs = 250;
let ctx: Context;
beforeAll(async () => {
  ctx = await Context.create({ master: 'local' });
});
afterEach(killAll);
afterAll(async () => {
  await ctx.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('backpressure with a deliberately slow pipeline', () => {
  it('PULL loses no frame: the receiver stops reading and the sender waits', async () => {
    const port = await freePort();
    const maxQueueBytes = 512 * 1024;
    const r = await receiver(ctx, { connect: `tcp://127.0.0.1:${port}`, socket: 'pull', maxQueueBytes, receiveHighWaterMark: 2, maxPendingScans: 1 }, () => sleep(slowMs));
    try {
      const t0 = Date.now();
      const sim = voxelflow(['simulate-beamline', '--bind', `tcp://127.0.0.1:${port}`, '--scans', String(scans), '--shape', shape, '--distinct', '1']);
      const got = await r.waitForScans(scans, 30_000);
      expect(await sim.exited).toBe(0);
      const senderMs = Date.now() - t0;
      for (const s of got) expect(s.report).toMatchObject({ status: 'complete', processed: 8, dropped: 0, missing: [], malformed: 0 });
      expect(r.beam.totals).toMatchObject({ processed: scans * 8, dropped: 0, malformed: 0 });
      // The queue stayed within its bound (plus the one message read when it had room) ...
      expect(r.beam.source.queue.peakBytes).toBeLessThanOrEqual(maxQueueBytes + 256 * 1024 + 1024);
      // ... so the sender was held back: unthrottled, 12 MiB over loopback takes a few ms, but it
      // could only finish once the pipeline had worked through most scans.
      expect(senderMs).toBeGreaterThan((scans - 3) * slowMs);
    } finally {
      await r.ssc.stop({ graceful: false });
    }
  }, 60_000);

  it('SUB drops the oldest frames and counts every one of them', async () => {
    const port = await freePort();
    const r = await receiver(ctx, { connect: `tcp://127.0.0.1:${port}`, socket: 'sub', maxQueueBytes: 1024 * 1024, maxPendingScans: 1 }, () => sleep(slowMs));
    try {
      const sim = voxelflow(['simulate-beamline', '--bind', `tcp://127.0.0.1:${port}`, '--socket', 'pub', '--wait-ms', '700', '--scans', String(scans), '--shape', shape, '--distinct', '1', '--rate', '200']);
      expect(await sim.exited).toBe(0);
      const got = await r.waitForScans(scans, 30_000);
      const t = r.beam.totals;
      expect(t.dropped).toBeGreaterThan(0);
      expect(t.messages).toBe(t.control + t.processed + t.duplicates + t.malformed + t.dropped);
      let dropped = 0;
      for (const s of got) {
        const rep = s.report;
        expect(rep.received).toBe(rep.processed + rep.duplicates + rep.malformed + rep.dropped);
        // Frames lost before our queue (ZeroMQ's own HWM) would show up as missing, never unaccounted.
        expect(rep.processed + rep.dropped + rep.missing.length).toBe(8);
        dropped += rep.dropped;
      }
      expect(dropped).toBe(t.dropped);
      expect(r.beam.source.queue.dropped).toBe(t.dropped);
    } finally {
      await r.ssc.stop({ graceful: false });
    }
  }, 60_000);
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Context, type ScanRow } from '../../index.js';
import { freePort, killAll, receiver, voxelflow } from '../streaming/peer.js';

let ctx: Context;
beforeAll(async () => {
  ctx = await Context.create({ master: 'local[2]', ui: { port: 0 } });
});
afterEach(killAll);
afterAll(() => ctx.stop());

describe('dashboard scans (a simulated detector in another process)', () => {
  it('lists each scan with the accounting of its report, and showed it while it was received', async () => {
    const updates: string[] = [];
    ctx.on('scanUpdated', (e) => updates.push(`${e.scanId}:${e.status}`));
    const port = await freePort();
    const r = await receiver(ctx, { connect: `tcp://127.0.0.1:${port}` });
    // Faults name scans from 0: the second scan (series 2) loses frame 3 and gets frame 5 twice.
    const sim = voxelflow(['simulate-beamline', '--bind', `tcp://127.0.0.1:${port}`, '--scans', '2', '--shape', '16,12,8', '--fault', '1:skip:3', '--fault', '1:duplicate:5']);
    const scans = await r.waitForScans(2);
    expect(await sim.exited).toBe(0);
    await r.ssc.stop({ graceful: false });

    const rows = (await (await fetch(`${ctx.ui?.url}api/v1/scans`)).json()) as ScanRow[];
    expect(rows.map((s) => s.scanId)).toEqual(['2', '1']);
    for (const scan of scans) {
      const rep = scan.report;
      expect(rows.find((s) => s.scanId === rep.series)).toMatchObject({
        status: rep.status,
        expected: rep.expected,
        counters: { received: rep.received, processed: rep.processed, duplicates: rep.duplicates, malformed: rep.malformed, dropped: rep.dropped, missing: rep.missing.length },
      });
    }
    expect(rows[0]).toMatchObject({ status: 'incomplete', counters: { missing: 1, duplicates: 1 } });
    // Each scan was listed as receiving before it was sealed.
    expect(updates.indexOf('1:receiving')).toBeGreaterThanOrEqual(0);
    expect(updates.indexOf('1:receiving')).toBeLessThan(updates.indexOf('1:complete'));
  });
});

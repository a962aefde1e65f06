/**
 * The dashboard of a reconstructing stream: a scan received from a simulated detector in another
 * process is reconstructed in this one (as `stream --reconstruct` does), and the dashboard lists the
 * sinogram of its middle row as a PNG of angles x columns.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '../../index.js';
import { reconstructScan } from '../../cli/stream-reconstruct.js';
import { freePort, killAll, receiver, voxelflow } from '../streaming/peer.js';

let ctx: Context;
beforeAll(async () => {
  ctx = await Context.create({ master: 'local[2]', ui: { port: 0 } });
});
afterEach(killAll);
afterAll(() => ctx.stop());

describe('dashboard of stream --reconstruct', () => {
  it('shows the sinogram of the middle row of each reconstructed scan', async () => {
    const port = await freePort();
    const r = await receiver(ctx, { connect: `tcp://127.0.0.1:${port}` });
    const sim = voxelflow(['simulate-beamline', '--bind', `tcp://127.0.0.1:${port}`, '--scans', '1', '--tomo', '--shape', '48,6,40']);
    const [scan] = await r.waitForScans(1);
    expect(await sim.exited).toBe(0);
    await r.ssc.stop({ graceful: false });
    const rec = await reconstructScan(ctx, scan!, { center: 'auto', filter: 'ramp', noFlat: false, volumes: null }, null);
    expect(rec.image.shape).toEqual([6, 48, 48]);
    rec.release();
    const previews = (await (await fetch(`${ctx.ui?.url}api/v1/previews`)).json()) as { name: string; type: string; width: number; height: number; url: string }[];
    const sinogram = previews.find((p) => p.name === 'sinogram of row 3');
    expect(sinogram).toMatchObject({ type: 'png', width: 48, height: 40 });
    const png = await fetch(new URL(sinogram!.url, ctx.ui!.url));
    expect(png.headers.get('content-type')).toMatch(/png/);
  });
});

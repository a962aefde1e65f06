/**
 * Reconstructions on a cluster (a master and two worker processes on loopback) equal those on local[2]
 * bit for bit, for a scan in .npy stacks, in DXchange HDF5 (the workers load h5wasm for the plan) and
 * in memory (a streamed scan's frames, broadcast to the workers), with tasks on both workers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, scanFromFrames, simulateScan, writeDxchange, type VoxelflowEvent } from '../../index.js';
import { killAll, secretFile, startMaster, startWorker, type TestMaster } from '../cluster/cluster-harness.js';
import { writeScan } from './fixtures.js';

const SECRET = 'tomo-cluster-5b1e';
const dir = mkdtempSync(join(tmpdir(), 'voxelflow-tomo-cluster-'));
let master: TestMaster;

beforeAll(async () => {
  const file = secretFile(SECRET);
  master = await startMaster(file);
  await Promise.all([startWorker(master, { name: 'ta', secretPath: file }), startWorker(master, { name: 'tb', secretPath: file })]);
});
afterAll(async () => {
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

const options = { size: 40, rows: 6, angles: 48, shift: 1.25, noise: 0.01, seed: 2 };

/** The reconstruction's voxels and centre, on `ctx`, of the scan in each of its three forms. */
async function reconstructions(ctx: Context): Promise<{ centers: number[]; volumes: number[][] }> {
  const npy = writeScan(dir, options);
  const h5 = join(dir, 'scan.h5');
  const sim = simulateScan(options);
  await writeDxchange(h5, sim, { overwrite: true }); // each context's run writes the same scan again
  const [count, rows, cols] = sim.shape;
  const frames = scanFromFrames(ctx, {
    name: 'series 1',
    projections: { data: sim.projections, shape: [count, rows, cols], dtype: 'f32' },
    flats: { data: sim.flats, shape: [sim.flatCount, rows, cols], dtype: 'f32' },
    darks: { data: sim.darks, shape: [sim.darkCount, rows, cols], dtype: 'f32' },
    angles: sim.angles,
  });
  const recs = [
    await ctx.tomo.read(npy.projections, { flats: npy.flats, darks: npy.darks, theta: npy.angles, rowsPerBlock: 1 }),
    await ctx.tomo.read(h5, { rowsPerBlock: 1 }),
    await ctx.tomo.fromScan(frames.scan, { rowsPerBlock: 1 }),
  ];
  const volumes = [];
  for (const rec of recs) volumes.push(Array.from((await rec.image.toArray()).data));
  for (const b of frames.broadcasts) b.destroy();
  return { centers: recs.map((r) => r.center), volumes };
}

describe('reconstruction on cluster workers', () => {
  it('equals local[2] for .npy, HDF5 and in-memory scans, with tasks on both workers', async () => {
    const local = await Context.create({ master: 'local[2]' });
    let want: Awaited<ReturnType<typeof reconstructions>>;
    try {
      want = await reconstructions(local);
    } finally {
      await local.stop();
    }
    const ctx = await Context.create({ master: master.url, secret: SECRET });
    const events: VoxelflowEvent[] = [];
    ctx.on('*', (e) => void events.push(e));
    try {
      const got = await reconstructions(ctx);
      expect(got.centers).toEqual(want.centers);
      expect(got.volumes).toEqual(want.volumes);
      // the three forms are the same scan
      expect(got.volumes[1]).toEqual(got.volumes[0]);
      expect(got.volumes[2]).toEqual(got.volumes[0]);
    } finally {
      await ctx.stop();
    }
    const executors = new Set(events.flatMap((e) => (e.type === 'taskEnd' && e.status === 'success' ? [e.executorId] : [])));
    expect(executors.size).toBe(2);
  }, 120_000);
});

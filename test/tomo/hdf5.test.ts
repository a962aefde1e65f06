/**
 * DXchange HDF5 input: a file written with h5wasm (as TomoPy and the beamlines lay it out) reconstructs
 * on worker threads (which load h5wasm before the tasks run) exactly as the same scan from .npy stacks;
 * a file without /exchange/data is refused with the fix.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../imaging/index.js';
import '../../tomo/index.js';
import { loadHdf5 } from '../../tomo/io/hdf5.js';
import { simulateScan, writeDxchange } from '../../tomo/index.js';
import { testSession, writeScan } from './fixtures.js';

describe('DXchange HDF5 scans', () => {
  const session = testSession('voxelflow-h5-');
  const dir = session.dir;

  it('reconstruct exactly as the same scan from .npy stacks, angles from /exchange/theta', async () => {
    const options = { size: 40, rows: 4, angles: 48, shift: 1.5 };
    const scan = writeScan(dir, options);
    const h5 = join(dir, 'scan.h5');
    await writeDxchange(h5, simulateScan(options));
    const fromH5 = await session.ctx.tomo.read(h5, { rowsPerBlock: 1 });
    const fromNpy = await session.ctx.tomo.read(scan.projections, { flats: scan.flats, darks: scan.darks, theta: scan.angles, rowsPerBlock: 1 });
    expect(fromH5.center).toBe(fromNpy.center);
    expect(Math.abs(fromH5.center - scan.center)).toBeLessThan(0.25);
    expect(Array.from((await fromH5.image.toArray()).data)).toEqual(Array.from((await fromNpy.image.toArray()).data));
    // Written again: refused without overwrite, the file untouched; replaced with it, no temporary left.
    const before = readFileSync(h5);
    await expect(writeDxchange(h5, simulateScan({ ...options, angles: 12 }))).rejects.toThrow(/scan\.h5.*already exists.*overwrite/);
    expect(readFileSync(h5).equals(before)).toBe(true);
    await writeDxchange(h5, simulateScan({ ...options, angles: 12 }), { overwrite: true });
    expect((await session.ctx.tomo.read(h5)).image.shape[0]).toBe(options.rows);
    expect(readdirSync(dir).filter((f) => f.includes('scan.h5.'))).toEqual([]);
  });

  it('refuse a file without /exchange/data, naming it and the layout', async () => {
    const h5 = join(dir, 'nodata.h5');
    const hdf5 = await loadHdf5();
    const file = new hdf5.File(h5, 'w');
    file.create_group('exchange').create_dataset({ name: 'theta', data: new Float64Array([0, 90]), shape: [2], dtype: '<d' });
    file.close();
    await expect(session.ctx.tomo.read(h5)).rejects.toThrow(/nodata\.h5: has no \/exchange\/data dataset; write the projections there/);
  });
});

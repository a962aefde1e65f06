/** Writing a scan as DXchange HDF5 (`/exchange/data`, `data_white`, `data_dark`, `theta`), with h5wasm. */
import { rmSync } from 'node:fs';
import type { SimulatedScan } from '../simulate-scan.js';
import { loadHdf5 } from './hdf5.js';

/** The frames of a scan to write: `[frame][row][column]` float32 stacks, and angles in degrees. */
export type DxchangeScan = Pick<SimulatedScan, 'shape' | 'projections' | 'flats' | 'darks' | 'angles'>;

/**
 * Writes `scan` to `path` (replaced if it exists: the old file is unlinked first, so a reader that still
 * holds it open, such as a reconstruction's cached stack, keeps reading the old one and HDF5 does not
 * refuse to truncate an open file).
 */
export async function writeDxchange(path: string, scan: DxchangeScan): Promise<void> {
  const h5 = await loadHdf5();
  rmSync(path, { force: true });
  const [, rows, cols] = scan.shape;
  const file = new h5.File(path, 'w');
  try {
    const group = file.create_group('exchange');
    const put = (name: string, data: Float32Array): void => {
      group.create_dataset({ name, data, shape: [data.length / (rows * cols), rows, cols], dtype: '<f' });
    };
    put('data', scan.projections);
    put('data_white', scan.flats);
    put('data_dark', scan.darks);
    group.create_dataset({ name: 'theta', data: Float64Array.from(scan.angles), shape: [scan.angles.length], dtype: '<d' });
  } finally {
    file.close();
  }
}

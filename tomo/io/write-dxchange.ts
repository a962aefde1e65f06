/** Writing a scan as DXchange HDF5 (`/exchange/data`, `data_white`, `data_dark`, `theta`), with h5wasm. */
import type { SimulatedScan } from '../simulate-scan.js';
import { loadHdf5 } from './hdf5.js';

/** The frames of a scan to write: `[frame][row][column]` float32 stacks, and angles in degrees. */
export type DxchangeScan = Pick<SimulatedScan, 'shape' | 'projections' | 'flats' | 'darks' | 'angles'>;

/** Writes `scan` to `path` (replaced if it exists). */
export async function writeDxchange(path: string, scan: DxchangeScan): Promise<void> {
  const h5 = await loadHdf5();
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

/** Writing a scan as DXchange HDF5 (`/exchange/data`, `data_white`, `data_dark`, `theta`), with h5wasm. */
import { refuseExisting, writeBeside } from '../../imaging/io/output-path.js';
import type { SimulatedScan } from '../simulate-scan.js';
import { loadHdf5 } from './hdf5.js';

/** The frames of a scan to write: `[frame][row][column]` float32 stacks, and angles in degrees. */
export type DxchangeScan = Pick<SimulatedScan, 'shape' | 'projections' | 'flats' | 'darks' | 'angles'>;

/** How `writeDxchange` treats an existing file. */
export interface WriteDxchangeOptions {
  /** Replace an existing file at the path (default false: refused before anything is written). */
  readonly overwrite?: boolean;
}

/**
 * Writes `scan` to `path`: under a temporary name beside it, renamed into place when complete (a
 * replaced file is unlinked by the rename, so a reader that still holds it open, such as a
 * reconstruction's cached stack, keeps reading the old one). An existing file is replaced only with
 * `{ overwrite: true }` (ImageFormatError otherwise), as every output is.
 */
export async function writeDxchange(path: string, scan: DxchangeScan, options: WriteDxchangeOptions = {}): Promise<void> {
  refuseExisting(path, 'hdf5', options.overwrite);
  const h5 = await loadHdf5();
  const [, rows, cols] = scan.shape;
  writeBeside(path, 'hdf5', options.overwrite, (temp) => {
    const file = new h5.File(temp, 'w');
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
  });
}

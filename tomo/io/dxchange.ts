/**
 * DXchange HDF5 files (the format of TomoPy and of the APS and SLS beamlines): `/exchange/data`
 * (projections), `/exchange/data_white` (flats), `/exchange/data_dark` (darks) and `/exchange/theta`
 * (angles in degrees). Opening reads the shapes and the angles only; frames are read by the tasks.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { ImageFormatError } from '../../imaging/io/index.js';
import type { StackRef } from '../scan.js';
import { isNumberArray, loadHdf5 } from './hdf5.js';

/** What a DXchange file holds, before it is checked against the user's options. */
export interface DxchangeContents {
  readonly projections: StackRef;
  readonly flats: StackRef | null;
  readonly darks: StackRef | null;
  /** `/exchange/theta` in degrees, or null when the file has none. */
  readonly angles: number[] | null;
}

/** The file extensions read as HDF5. */
export const HDF5_EXTENSIONS: readonly string[] = ['.h5', '.hdf5', '.hdf', '.nxs', '.cxi'];

/** Opens a DXchange file; throws `ImageFormatError` naming the file and what is missing. */
export async function openDxchange(path: string): Promise<DxchangeContents> {
  checkSignature(path);
  const h5 = await loadHdf5();
  let file: InstanceType<typeof h5.File>;
  try {
    file = new h5.File(path, 'r');
  } catch (err) {
    throw new ImageFormatError(path, 'hdf5', 'cannot be opened as HDF5', 'check the path, or convert the scan to DXchange HDF5', { cause: err });
  }
  try {
    const isDataset = (name: string): boolean => file.get(name) instanceof h5.Dataset;
    if (!isDataset('/exchange/data')) {
      throw new ImageFormatError(path, 'hdf5', 'has no /exchange/data dataset', 'write the projections there (DXchange: /exchange/data, data_white, data_dark, theta), or give a .npy/.tif stack with --flats and --darks');
    }
    const ref = (dataset: string): StackRef | null => (isDataset(dataset) ? { path, format: 'hdf5', dataset } : null);
    const theta = file.get('/exchange/theta');
    let angles: number[] | null = null;
    if (theta instanceof h5.Dataset) {
      const shape = theta.shape ?? [];
      if (shape.length !== 1 || shape[0]! > 1_000_000) throw new ImageFormatError(path, 'hdf5', `/exchange/theta has shape (${shape.join(', ')}); it is one angle per projection`, 'store a 1D array of degrees');
      const values = theta.value as unknown;
      if (!isNumberArray(values)) {
        throw new ImageFormatError(path, 'hdf5', '/exchange/theta does not hold numbers', 'store a 1D array of degrees');
      }
      angles = Array.from(values);
    }
    return { projections: { path, format: 'hdf5', dataset: '/exchange/data' }, flats: ref('/exchange/data_white'), darks: ref('/exchange/data_dark'), angles };
  } finally {
    file.close();
  }
}

/** The HDF5 signature, found at offset 0, 512, 1024, 2048, ... (a user block may come first). */
const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Refuses a missing file or one without the HDF5 signature before h5wasm sees it: the HDF5 library
 * prints its error stack on stderr for a file it cannot open, which a command must not show.
 */
function checkSignature(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new ImageFormatError(path, 'hdf5', 'cannot open: no such file or not readable', 'check the path', { cause: err });
  }
  try {
    const head = Buffer.alloc(8);
    for (let offset = 0; offset <= 1 << 20; offset = offset === 0 ? 512 : offset * 2) {
      if (readSync(fd, head, 0, 8, offset) < 8) break;
      if (head.equals(SIGNATURE)) return;
    }
  } finally {
    closeSync(fd);
  }
  throw new ImageFormatError(path, 'hdf5', 'cannot be opened as HDF5 (no HDF5 signature)', 'check the path, or convert the scan to DXchange HDF5');
}

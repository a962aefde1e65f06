/**
 * `openScan`: a scan from a DXchange HDF5 file or from `.npy` / TIFF stacks with flats, darks and
 * angles given as options, checked before any work: angle count against projection count, frame shapes
 * of flats and darks against the projections, flats present (or explicitly skipped with `noFlat`).
 */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { ImageFormatError } from '../../imaging/io/index.js';
import { describeStack, type StackFormat, type StackRef, type TomoScan } from '../scan.js';
import { evenAngles, readAngles } from './angles.js';
import { HDF5_EXTENSIONS, openDxchange } from './dxchange.js';
import { loadHdf5 } from './hdf5.js';
import { openStack } from './stack.js';

/** Where the parts of a scan come from, besides the projections' path. */
export interface ScanOptions {
  /** Open-beam frames (a stack); for HDF5 input, overrides /exchange/data_white. */
  readonly flats?: string;
  /** Open-beam frames taken after the scan: flats are interpolated by projection index. */
  readonly flatsAfter?: string;
  /** Dark frames (a stack); for HDF5 input, overrides /exchange/data_dark. */
  readonly darks?: string;
  /** Skip the flat correction: the projections are transmission (or attenuation, see `noLog`) already. */
  readonly noFlat?: boolean;
  /** `[A0, A1]`: projections evenly spaced over [A0, A1) degrees. */
  readonly angles?: readonly [number, number];
  /** Angles in degrees, one per projection, or a `.npy` file of them; for HDF5 input, overrides /exchange/theta. */
  readonly theta?: string | readonly number[];
}

/** The stack format of a path: HDF5 by extension, a folder or .tif of TIFF, else npy. */
export function stackFormat(path: string): StackFormat {
  const ext = extname(path).toLowerCase();
  if (HDF5_EXTENSIONS.includes(ext)) return 'hdf5';
  if (ext === '.tif' || ext === '.tiff') return 'tiff';
  try {
    if (statSync(path).isDirectory()) return 'tiff';
  } catch {
    // missing: reported by the reader with its path
  }
  return 'npy';
}

/** Opens and checks a scan. Every problem is an `ImageFormatError` naming the file and the fix. */
export async function openScan(path: string, options: ScanOptions = {}): Promise<TomoScan> {
  const format = stackFormat(path);
  let projections: StackRef = { path, format };
  let flats: StackRef | null = null;
  let darks: StackRef | null = null;
  let fileAngles: number[] | null = null;
  if (format === 'hdf5') {
    const dx = await openDxchange(path);
    ({ projections, flats, darks } = dx);
    fileAngles = dx.angles;
  }
  const asRef = async (p: string): Promise<StackRef> => {
    const f = stackFormat(p);
    if (f === 'hdf5') await loadHdf5();
    return f === 'hdf5' ? { path: p, format: f, dataset: '/exchange/data' } : { path: p, format: f };
  };
  if (options.flats !== undefined) flats = await asRef(options.flats);
  if (options.darks !== undefined) darks = await asRef(options.darks);
  const flatsAfter = options.flatsAfter !== undefined ? await asRef(options.flatsAfter) : null;
  const proj = openStack(projections);
  const [count, rows, cols] = proj.shape;
  if (options.noFlat === true) {
    flats = null;
  } else if (flats === null) {
    throw new ImageFormatError(path, format, 'the scan has no flat (open-beam) frames', format === 'hdf5' ? 'add /exchange/data_white, give --flats FILE, or pass --no-flat if the projections are corrected already' : 'give --flats FILE (and --darks FILE), or pass --no-flat if the projections are corrected already');
  }
  for (const ref of [flats, flatsAfter, darks]) {
    if (ref === null) continue;
    const shape = openStack(ref).shape;
    if (shape[1] !== rows || shape[2] !== cols) {
      throw new ImageFormatError(describeStack(ref), ref.format, `frames are ${shape[2]} x ${shape[1]} (columns x rows) but the projections' are ${cols} x ${rows}`, 'give flats and darks taken with the same detector region as the projections');
    }
  }
  const angles = scanAngles(path, format, count, options, fileAngles);
  return { projections, flats, flatsAfter: options.noFlat === true ? null : flatsAfter, darks, angles, shape: [count, rows, cols] };
}

function scanAngles(path: string, format: StackFormat, count: number, options: ScanOptions, fromFile: number[] | null): number[] {
  if (options.angles !== undefined && options.theta !== undefined) throw new TypeError('give either angles (--angles A0:A1) or theta (--theta FILE), not both');
  let angles: number[];
  let source: string;
  if (options.angles !== undefined) {
    angles = evenAngles(options.angles[0], options.angles[1], count);
    source = `--angles ${options.angles.join(':')}`;
  } else if (options.theta !== undefined) {
    angles = typeof options.theta === 'string' ? readAngles(options.theta) : [...options.theta];
    source = typeof options.theta === 'string' ? options.theta : 'theta';
  } else if (fromFile !== null) {
    angles = fromFile;
    source = '/exchange/theta';
  } else {
    throw new ImageFormatError(path, format, 'the angles of the projections are not known', 'give --angles A0:A1 (evenly spaced over [A0, A1) degrees) or --theta FILE.npy');
  }
  if (angles.length !== count) {
    throw new ImageFormatError(path, format, `has ${count} projections but ${source} gives ${angles.length} angles`, 'give one angle per projection');
  }
  const bad = angles.findIndex((a) => !Number.isFinite(a));
  if (bad >= 0) throw new ImageFormatError(path, format, `angle ${bad} from ${source} is ${angles[bad]}`, 'give finite angles in degrees');
  return angles;
}

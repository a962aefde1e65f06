/** The angles of a scan: evenly spaced over `[A0, A1)` (`--angles A0:A1`), or read from a `.npy` of degrees. */
import { ImageFormatError } from '../../imaging/io/index.js';
import { openNpyVector } from '../../imaging/io/npy.js';

/** `count` angles evenly spaced over `[from, to)` degrees (numpy's `linspace(from, to, count, endpoint=False)`). */
export function evenAngles(from: number, to: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => from + ((to - from) * k) / count);
}

/** The most angles a theta file may hold (a scan of a million projections is not one). */
const MAX_ANGLES = 1_000_000;

/** The angles in degrees of a one-dimensional `.npy` file. */
export function readAngles(path: string): number[] {
  const src = openNpyVector(path);
  const [z, y, x] = src.shape;
  if (z !== 1 || y !== 1 || x > MAX_ANGLES) {
    throw new ImageFormatError(path, 'npy', `holds shape ${src.shape.filter((_, i) => i === 2 || src.shape[i] !== 1).join('x')}; angles are one number per projection`, 'save a 1D array: np.save(path, np.asarray(theta_degrees, dtype=np.float64))');
  }
  const values = Array.from(src.readRegion([0, 0, 0], [1, 1, x]) as ArrayLike<number>);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ImageFormatError(path, 'npy', `angle ${bad} is ${values[bad]}`, 'give finite angles in degrees');
  return values;
}

/**
 * Ellipsoid phantoms and their exact parallel-beam projections: a reconstruction test that needs
 * nothing installed (projections are analytic, not computed by the code under test), the scans of
 * `simulate-beamline --tomo`, and benchmark data. Coordinates are pixels from the middle of the slice,
 * x to the right and y up (scikit-image's geometry: pixel (row i, column j) of an N x N slice is at
 * x = j - N // 2, y = N // 2 - i), z in detector rows from the middle row; a detector column c at angle
 * theta sees t = c - center = x cos(theta) + y sin(theta).
 */

/** One ellipsoid: its centre, semi-axes, rotation about z (degrees), and the value it adds. */
export interface Ellipsoid {
  /** Centre in pixels from the middle of the slice (x right, y up) and rows from the middle row (z). */
  readonly center: readonly [x: number, y: number, z: number];
  /** Semi-axes in pixels: a along x and b along y before rotation, c along z. */
  readonly axes: readonly [a: number, b: number, c: number];
  /** Rotation about z, in degrees. */
  readonly angle: number;
  /** Attenuation it adds inside (ellipsoids that overlap add up). */
  readonly value: number;
}

/** A slice of a phantom: ellipses with their z-scaled semi-axes. */
function sliceOf(e: Ellipsoid, z: number): { a: number; b: number } | null {
  const u = (z - e.center[2]) / e.axes[2];
  const k = 1 - u * u;
  return k > 0 ? { a: e.axes[0] * Math.sqrt(k), b: e.axes[1] * Math.sqrt(k) } : null;
}

/** The height of detector row `row` of `rows`, from the middle. */
export function rowHeight(row: number, rows: number): number {
  return row - (rows - 1) / 2;
}

/**
 * The line integrals `[angle][row][column]` of `phantom` for angles in degrees, `rows x cols`
 * detector pixels sampled at their centres, the axis at column `center`.
 */
export function projectPhantom(phantom: readonly Ellipsoid[], anglesDeg: readonly number[], rows: number, cols: number, center: number): Float32Array {
  const out = new Float32Array(anglesDeg.length * rows * cols);
  anglesDeg.forEach((deg, a) => {
    const theta = (deg * Math.PI) / 180;
    for (let row = 0; row < rows; row++) {
      const z = rowHeight(row, rows);
      for (const e of phantom) {
        const s = sliceOf(e, z);
        if (s === null) continue;
        const phi = theta - (e.angle * Math.PI) / 180;
        const s2 = s.a * s.a * Math.cos(phi) ** 2 + s.b * s.b * Math.sin(phi) ** 2;
        const t0 = e.center[0] * Math.cos(theta) + e.center[1] * Math.sin(theta);
        const base = (a * rows + row) * cols;
        for (let c = 0; c < cols; c++) {
          const tau = c - center - t0;
          if (tau * tau < s2) out[base + c] = out[base + c]! + (2 * e.value * s.a * s.b * Math.sqrt(s2 - tau * tau)) / s2;
        }
      }
    }
  });
  return out;
}

/** The phantom's values `[row][y][x]` on `rows` slices of `size x size`, sampled at pixel centres. */
export function rasterizePhantom(phantom: readonly Ellipsoid[], rows: number, size: number): Float32Array {
  const out = new Float32Array(rows * size * size);
  const r = Math.floor(size / 2);
  for (let row = 0; row < rows; row++) {
    const z = rowHeight(row, rows);
    for (const e of phantom) {
      const s = sliceOf(e, z);
      if (s === null) continue;
      const phi = (e.angle * Math.PI) / 180;
      const [c, sn] = [Math.cos(phi), Math.sin(phi)];
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          const dx = j - r - e.center[0];
          const dy = r - i - e.center[1];
          const u = (dx * c + dy * sn) / s.a;
          const v = (-dx * sn + dy * c) / s.b;
          if (u * u + v * v <= 1) out[(row * size + i) * size + j] = out[(row * size + i) * size + j]! + e.value;
        }
      }
    }
  }
  return out;
}

/**
 * A sample for slices of `size` pixels and `rows` rows: a cylinder-like body (0.02 per pixel, about
 * water at 20 keV and 10 um pixels) holding denser inclusions of several sizes and a few pores, so that
 * thresholding the reconstruction finds separate components.
 */
export function samplePhantom(size: number, rows: number): Ellipsoid[] {
  const s = size / 2;
  const h = rows / 2;
  const body: Ellipsoid = { center: [0, 0, 0], axes: [0.8 * s, 0.7 * s, 1.2 * h], angle: 10, value: 0.02 };
  const inclusions: Ellipsoid[] = [
    { center: [0.3 * s, 0.2 * s, 0.2 * h], axes: [0.15 * s, 0.1 * s, 0.3 * h], angle: 30, value: 0.03 },
    { center: [-0.35 * s, -0.1 * s, -0.3 * h], axes: [0.12 * s, 0.12 * s, 0.25 * h], angle: 0, value: 0.03 },
    { center: [0.05 * s, -0.4 * s, 0.4 * h], axes: [0.08 * s, 0.15 * s, 0.2 * h], angle: -20, value: 0.04 },
    { center: [-0.1 * s, 0.35 * s, -0.5 * h], axes: [0.1 * s, 0.06 * s, 0.15 * h], angle: 60, value: 0.035 },
  ];
  const pores: Ellipsoid[] = [
    { center: [-0.3 * s, 0.3 * s, 0.3 * h], axes: [0.07 * s, 0.07 * s, 0.12 * h], angle: 0, value: -0.02 },
    { center: [0.35 * s, -0.3 * s, -0.2 * h], axes: [0.06 * s, 0.09 * s, 0.1 * h], angle: 45, value: -0.02 },
  ];
  return [body, ...inclusions, ...pores];
}

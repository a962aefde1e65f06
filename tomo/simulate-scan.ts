/**
 * A simulated tomography scan as a detector records it: exact projections of the sample phantom
 * (phantom.ts) turned into counts with a per-pixel gain, a dark offset, Gaussian noise and a linear
 * drift of the beam, plus dark and flat frames (flats before and after the scan). For tests, the README's
 * guide, benchmarks and `simulate-beamline --tomo`.
 */
import { evenAngles } from './io/angles.js';
import { projectPhantom, samplePhantom, type Ellipsoid } from './phantom.js';

/** The size and the imperfections of a simulated scan. */
export interface SimulateScanOptions {
  /** Detector columns (= the slices' width). */
  readonly size: number;
  /** Detector rows (= slices). */
  readonly rows: number;
  /** Projections, evenly spaced over [0, 180) degrees. */
  readonly angles: number;
  /** The axis' offset from column size / 2 (default 0). */
  readonly shift?: number;
  /** Relative noise on the counts (default 0; 0.01 is 1%). */
  readonly noise?: number;
  /** The beam's intensity at the last projection relative to the first (default 1: no drift). */
  readonly drift?: number;
  /** Flat frames before the scan, and again after it (default 4). */
  readonly flats?: number;
  /** Dark frames (default 3). */
  readonly darks?: number;
  /** Seed of the noise (default 1). */
  readonly seed?: number;
}

/** Frames `[frame][row][column]` of counts, and what the scan truly is. */
export interface SimulatedScan {
  /** `[angles, rows, columns]` of the projections. */
  readonly shape: readonly [angles: number, rows: number, columns: number];
  /** Projection counts, `[angle][row][column]`. */
  readonly projections: Float32Array;
  /** Flat frames before the scan, `[frame][row][column]`. */
  readonly flats: Float32Array;
  /** Flats after the scan (the beam's final intensity). */
  readonly flatsAfter: Float32Array;
  /** Dark frames, `[frame][row][column]`. */
  readonly darks: Float32Array;
  /** Frames in `flats` (and in `flatsAfter`). */
  readonly flatCount: number;
  /** Frames in `darks`. */
  readonly darkCount: number;
  /** Degrees, one per projection. */
  readonly angles: number[];
  /** The true axis, in columns. */
  readonly center: number;
  /** The ellipsoids the scan images (the truth a reconstruction is compared with). */
  readonly phantom: Ellipsoid[];
  /** The exact line integrals `[angle][row][column]`. */
  readonly lineIntegrals: Float32Array;
}

/** A seeded uniform generator in [0, 1) (a 32-bit LCG: enough for detector noise). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Simulates a scan of the sample phantom. */
export function simulateScan(options: SimulateScanOptions): SimulatedScan {
  const { size, rows, angles: count } = options;
  for (const [name, v] of [['size', size], ['rows', rows], ['angles', count]] as const) {
    if (!Number.isInteger(v) || v < 2) throw new TypeError(`simulateScan: ${name} must be a whole number >= 2, got ${v}`);
  }
  const center = size / 2 + (options.shift ?? 0);
  const angles = evenAngles(0, 180, count);
  const phantom = samplePhantom(size, rows);
  const lineIntegrals = projectPhantom(phantom, angles, rows, size, center);
  const random = seededRandom(options.seed ?? 1);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const frame = rows * size;
  const gain = Float32Array.from({ length: frame }, () => 800 + 400 * random());
  const dark = Float32Array.from({ length: frame }, () => 90 + 20 * random());
  const drift = options.drift ?? 1;
  const noise = options.noise ?? 0;
  const beam = (k: number): number => 1 + ((drift - 1) * k) / Math.max(1, count - 1);
  const projections = new Float32Array(count * frame);
  for (let a = 0; a < count; a++) {
    for (let p = 0; p < frame; p++) {
      const signal = gain[p]! * beam(a) * Math.exp(-lineIntegrals[a * frame + p]!);
      projections[a * frame + p] = dark[p]! + signal * (1 + noise * normal());
    }
  }
  const flatCount = options.flats ?? 4;
  const darkCount = options.darks ?? 3;
  const frames = (n: number, level: number): Float32Array => {
    const out = new Float32Array(n * frame);
    for (let f = 0; f < n; f++) for (let p = 0; p < frame; p++) out[f * frame + p] = dark[p]! + gain[p]! * level * (1 + noise * normal());
    return out;
  };
  return {
    shape: [count, rows, size],
    projections,
    flats: frames(flatCount, beam(0)),
    flatsAfter: frames(flatCount, beam(count - 1)),
    darks: frames(darkCount, 0),
    flatCount,
    darkCount,
    angles,
    center,
    phantom,
    lineIntegrals,
  };
}

/** The volume `simulate-beamline --tomo` sends: a simulated scan's darks, flats and projections as uint16 counts. */
import type { Volume } from '../imaging/index.js';
import type { TomoFrames } from '../streaming/index.js';
import { simulateScan, type SimulateScanOptions } from '../tomo/index.js';

/** Darks, then flats, then projections, frame after frame, rounded to uint16 counts. */
export function tomoScanVolume(options: SimulateScanOptions): { volume: Volume; tomo: TomoFrames } {
  const scan = simulateScan(options);
  const [count, rows, cols] = scan.shape;
  const frames = scan.darkCount + scan.flatCount + count;
  const data = new Uint16Array(frames * rows * cols);
  let at = 0;
  for (const part of [scan.darks, scan.flats, scan.projections]) {
    for (let i = 0; i < part.length; i++) data[at + i] = Math.min(65535, Math.max(0, Math.round(part[i]!)));
    at += part.length;
  }
  return { volume: { data, shape: [frames, rows, cols], dtype: 'u16' }, tomo: { darks: scan.darkCount, flats: scan.flatCount, angles: scan.angles } };
}

/**
 * IncrementalFbp (the stream's back-projection as projections arrive) against the file reconstruction
 * of the same frames: float for float with the native kernels, to float rounding with the TypeScript
 * twins (which sum each block in double); calibration frames after a projection are refused.
 */
import { describe, expect, it } from 'vitest';
import '../../imaging/index.js';
import { nativeStatus } from '../../native/index.js';
import { IncrementalFbp, simulateScan } from '../../tomo/index.js';
import { testSession, writeScan } from './fixtures.js';

const native = nativeStatus().state === 'loaded';
const session = testSession('voxelflow-incremental-');
const dir = session.dir;

describe('IncrementalFbp', () => {
  // 45 projections: five whole blocks of eight and an odd last one (its last line filtered alone).
  const options = { size: 64, rows: 5, angles: 45, shift: 1.3, noise: 0.01, seed: 3 };
  const center = options.size / 2 + 1.3;

  it(`equals the file reconstruction of the same frames ${native ? 'float for float (native kernels)' : 'to 1e-5 (TypeScript twins: native addon not loaded)'}`, async () => {
    const written = writeScan(dir, options);
    const scan = simulateScan(options);
    const [count, rows, cols] = scan.shape;
    const frame = rows * cols;
    const fbp = new IncrementalFbp({ rows, cols, center, filter: 'hann', noFlat: false });
    for (let k = 0; k < scan.darkCount; k++) fbp.addCalibration('dark', scan.darks.slice(k * frame, (k + 1) * frame));
    for (let k = 0; k < scan.flatCount; k++) fbp.addCalibration('flat', scan.flats.slice(k * frame, (k + 1) * frame));
    for (let k = 0; k < count; k++) fbp.addProjection(scan.projections.slice(k * frame, (k + 1) * frame), scan.angles[k]!);
    const volume = fbp.finish();
    const rec = await session.ctx.tomo.read(written.projections, { flats: written.flats, darks: written.darks, angles: [0, 180], center, filter: 'hann', rowsPerBlock: 2 });
    const file = (await rec.image.toArray()).data as Float32Array;
    expect(volume.length).toBe(file.length);
    if (native) {
      expect(Array.from(volume)).toEqual(Array.from(file));
    } else {
      let err = 0;
      let top = 0;
      for (let i = 0; i < file.length; i++) {
        err = Math.max(err, Math.abs(volume[i]! - file[i]!));
        top = Math.max(top, Math.abs(file[i]!));
      }
      expect(err / top).toBeLessThan(1e-5);
    }
  });

  it('refuses a dark or flat frame after the first projection', () => {
    const fbp = new IncrementalFbp({ rows: 2, cols: 8, center: 4, filter: 'ramp', noFlat: false });
    fbp.addCalibration('flat', new Float32Array(16).fill(100));
    fbp.addProjection(new Float32Array(16).fill(50), 0);
    expect(() => fbp.addCalibration('flat', new Float32Array(16).fill(100))).toThrow(/a flat frame came after 1 projections/);
  });
});

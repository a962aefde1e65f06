/**
 * `voxelflow stream --reconstruct`: a received scan's darks, flats and projections reconstructed
 * (tomo/) into the volume the stream then analyzes. The scan's frames are broadcast to the workers once;
 * the centre is found at the end of the scan unless given; projections without an angle are left out
 * and counted. With a dashboard, the sinogram of the middle row is shown there too.
 */
import type { Context } from '../core/index.js';
import type { ImageRDD } from '../imaging/index.js';
import type { Scan } from '../streaming/index.js';
import { correctedRows, scanFromFrames, type FilterName } from '../tomo/index.js';
import '../tomo/index.js';

/** The reconstruction options of the stream's flags. */
export interface StreamReconstruct {
  readonly center: number | 'auto';
  readonly filter: FilterName;
  readonly noFlat: boolean;
  readonly volumes: string | null;
}

/** The scan's reconstruction, and `release` to free its broadcasts when the analysis is done. */
export async function reconstructScan(ctx: Context, scan: Scan, options: StreamReconstruct): Promise<{ image: ImageRDD; center: number; missingProjections: number; release: () => void }> {
  const data = scan.data;
  if (data === null) throw new Error(`scan ${scan.series} has no frames`);
  const frames = scanFromFrames(ctx, { name: `series ${scan.series}`, projections: data, flats: scan.flats, darks: scan.darks, angles: scan.angles }, { noFlat: options.noFlat });
  const release = (): void => {
    for (const b of frames.broadcasts) b.destroy();
  };
  try {
    const rec = await ctx.tomo.fromScan(frames.scan, { center: options.center, filter: options.filter });
    if (ctx.ui !== null) {
      // The dashboard shows the sinogram of the middle detector row (angle down, column across) beside
      // the reconstructed slice with its labels (shown by the analysis).
      const [angles, rows, cols] = frames.scan.shape;
      const row = Math.floor(rows / 2);
      const sinogram = correctedRows(frames.scan, { average: 'mean', dezinger: null }, row, 1);
      ctx.ui.showPreview(`sinogram of row ${row}`, await ctx.images.fromArray(sinogram, [1, angles, cols]).slice(0));
    }
    return { image: rec.image, center: rec.center, missingProjections: frames.missingProjections, release };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * `voxelflow stream --reconstruct`: a received scan's darks, flats and projections reconstructed
 * (tomo/) into the volume the stream then analyzes. The scan's frames are broadcast to the workers once;
 * the centre is found at the end of the scan unless given; projections without an angle are left out
 * and counted.
 */
import type { Context } from '../core/index.js';
import type { ImageRDD } from '../imaging/index.js';
import type { Scan } from '../streaming/index.js';
import { scanFromFrames, type FilterName } from '../tomo/index.js';
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
    return { image: rec.image, center: rec.center, missingProjections: frames.missingProjections, release };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * A received scan as the user's pipeline sees it: the accounting report, the volume as an ImageRDD
 * (slice k = frame k), the calibration frames and the angles.
 */
import { Broadcast, type Context } from '../core/index.js';
import '../imaging/index.js';
import type { ImageRDD, Volume } from '../imaging/index.js';
import type { AssembledScan } from './open-scan.js';
import type { ScanReport } from './scan-report.js';

export class Scan {
  private image: ImageRDD | null = null;

  constructor(
    private readonly ctx: Context,
    private readonly assembled: AssembledScan,
  ) {}

  get series(): string {
    return this.assembled.report.series;
  }

  get report(): ScanReport {
    return this.assembled.report;
  }

  /** The assembled `[z, y, x]` voxels, or null when no frame arrived or the scan was aborted as too
   * large (`report.abort`). */
  get data(): Volume | null {
    return this.assembled.volume;
  }

  get darks(): Volume | null {
    return this.assembled.darks;
  }

  get flats(): Volume | null {
    return this.assembled.flats;
  }

  get angles(): readonly (number | null)[] {
    return this.assembled.angles;
  }

  /** The volume as an ImageRDD (built on first use; valid while the scan's handlers run); throws
   * when the scan has none. */
  get volume(): ImageRDD {
    const v = this.assembled.volume;
    if (v === null) {
      const why = this.report.abort?.reason === 'scan-too-large' ? `it was aborted as too large (${this.report.abort.detail})` : 'no frame arrived';
      throw new Error(`scan ${this.series} has no volume: ${why}; check scan.data !== null first`);
    }
    this.image ??= this.ctx.images.fromArray(v.data, [v.shape[0], v.shape[1], v.shape[2]]);
    return this.image;
  }

  /** Frees the volume's broadcast once every handler is done (a stream runs for days; each scan's
   * volume would otherwise stay on every worker thread). */
  release(): void {
    const data = (this.image?.blocks.node as { params?: { data?: unknown } } | undefined)?.params?.data;
    if (data instanceof Broadcast) data.destroy();
    this.image = null;
  }
}

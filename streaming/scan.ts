/**
 * A received scan as the user's pipeline sees it: the accounting report, the volume as an ImageRDD
 * (slice k = frame k), the calibration frames and the angles.
 */
import { Broadcast, type Context } from '../core/index.js';
import '../imaging/index.js';
import type { ImageRDD, Volume } from '../imaging/index.js';
import type { AssembledScan } from './open-scan.js';
import type { ScanReport } from './scan-report.js';

/** A received scan as a stream's `scans().foreach` pipeline sees it: its report, volume, calibration frames and angles. */
export class Scan {
  private image: ImageRDD | null = null;

  constructor(
    private readonly ctx: Context,
    private readonly assembled: AssembledScan,
  ) {}

  /** The series id of the scan. */
  get series(): string {
    return this.assembled.report.series;
  }

  /** The scan's accounting (received, processed, missing, why it was aborted). */
  get report(): ScanReport {
    return this.assembled.report;
  }

  /** The assembled `[z, y, x]` voxels, or null when no frame arrived or the scan was aborted as too
   * large (`report.abort`). */
  get data(): Volume | null {
    return this.assembled.volume;
  }

  /** The dark frames as a `[n, y, x]` stack, or null when none arrived. */
  get darks(): Volume | null {
    return this.assembled.darks;
  }

  /** The flat frames as a `[n, y, x]` stack, or null when none arrived. */
  get flats(): Volume | null {
    return this.assembled.flats;
  }

  /** Angle in degrees of each volume slice (null where the frame had none or was missing). */
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

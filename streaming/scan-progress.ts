/**
 * The event streaming adds to the context's event bus: `scanUpdated`, a streaming scan's accounting,
 * posted by BeamlineStream while it receives and once the scan is sealed; the dashboard lists scans
 * from it. Declared by merging into core's VoxelflowEventMap, so core does not name it.
 *
 * @example
 *   ctx.on('scanUpdated', (e) => console.log(e.scanId, e.status, e.counters['received']));
 */

/** The fields of a `scanUpdated` event. */
export interface ScanProgress {
  /** The scan's series id. */
  readonly scanId: string;
  /** 'receiving' while frames arrive, then how the scan ended. */
  readonly status: 'receiving' | 'complete' | 'incomplete' | 'aborted';
  /** Frames the series header announced, or null when it did not say. */
  readonly expected: number | null;
  /** Frame counters (received, processed, duplicates, malformed, dropped, missing, ...). */
  readonly counters: Readonly<Record<string, number>>;
}

declare module '../core/events.js' {
  interface VoxelflowEventMap {
    /** A streaming scan's accounting, posted by the stream while it receives and once it is sealed. */
    scanUpdated: ScanProgress;
  }
}

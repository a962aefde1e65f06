/**
 * Which frame layout (y, x, depth, dtype) a scan's volume has. The series header decides when it
 * gives the detector size (SIMPLON `x_pixels_in_detector` / `y_pixels_in_detector`): the first frame
 * of that size fixes the layout, frames of another size are shape mismatches. Without a size in the
 * header (SIMPLON header_detail 'none', array-1.0), the majority of the first frames decides, so one
 * bad first frame costs one frame rather than the whole scan (issue 13).
 */
import type { DType } from '../imaging/index.js';
import type { FrameEvent } from './stream-event.js';

/** The layout every frame of a scan's volume shares. */
export interface Layout {
  readonly y: number;
  readonly x: number;
  readonly depth: number;
  readonly dtype: DType;
}

/** Frames held back until a layout has this many votes (a majority of LAYOUT_WINDOW). */
const MAJORITY = 3;
/** At most this many frames wait for the vote; then the layout with the most frames wins. */
export const LAYOUT_WINDOW = 5;

/** Does `f` have layout `l`? */
export function fits(l: Layout, f: FrameEvent): boolean {
  return l.y === f.shape[0] && l.x === f.shape[1] && l.depth === f.depth && l.dtype === f.dtype;
}

function layoutOf(f: FrameEvent): Layout {
  return { y: f.shape[0], x: f.shape[1], depth: f.depth, dtype: f.dtype };
}

export class LayoutVote {
  private decidedLayout: Layout | null = null;
  private held: FrameEvent[] = [];

  /** `size`: `[y, x]` from the series header, or null when it gave none. */
  constructor(private readonly size: readonly [number, number] | null) {}

  get layout(): Layout | null {
    return this.decidedLayout;
  }

  /** Frames waiting for the vote (at most LAYOUT_WINDOW). */
  get waiting(): readonly FrameEvent[] {
    return this.held;
  }

  /** 'fits' or 'mismatch' once decided (or against the header's size); 'held' while the vote runs.
   * After 'held', check `layout`: the vote may just have been decided, and `release()` hands back
   * the held frames, this one included. */
  offer(f: FrameEvent): 'fits' | 'mismatch' | 'held' {
    const l = this.decidedLayout;
    if (l !== null) return fits(l, f) ? 'fits' : 'mismatch';
    if (this.size !== null) {
      if (f.shape[0] !== this.size[0] || f.shape[1] !== this.size[1]) return 'mismatch';
      this.decidedLayout = layoutOf(f);
      return 'fits';
    }
    this.held.push(f);
    const votes = this.held.filter((h) => fits(layoutOf(f), h)).length;
    if (votes >= MAJORITY || this.held.length >= LAYOUT_WINDOW) this.decide();
    return 'held';
  }

  /** Ends the vote with the frames there are (the scan is being sealed): the layout with the most
   * frames, the earliest on a tie. */
  decide(): void {
    if (this.decidedLayout !== null || this.held.length === 0) return;
    let best = this.held[0] as FrameEvent;
    let bestVotes = 0;
    for (const f of this.held) {
      const votes = this.held.filter((h) => fits(layoutOf(f), h)).length;
      if (votes > bestVotes) [best, bestVotes] = [f, votes];
    }
    this.decidedLayout = layoutOf(best);
  }

  /** The held frames, in arrival order, once the vote is decided (then the hold is empty). */
  release(): FrameEvent[] {
    if (this.decidedLayout === null) return [];
    const out = this.held;
    this.held = [];
    return out;
  }
}

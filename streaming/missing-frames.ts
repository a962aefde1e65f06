/**
 * The frame numbers of a scan that never arrived in any form, without walking [0, n): a header may
 * claim 10^9 frames, so the work and the list are bounded by the frames that did arrive.
 */

/** Missing frame numbers listed in a report; the count has them all. */
export const MISSING_LISTED = 1000;

/** How many of [0, n) are not in `seen`, and the first MISSING_LISTED of them in order. */
export function missingFrames(seen: ReadonlySet<number>, n: number): { count: number; listed: number[] } {
  const inRange = [...seen].filter((f) => f < n).sort((a, b) => a - b);
  const listed: number[] = [];
  let next = 0;
  for (const f of inRange) {
    while (next < f && listed.length < MISSING_LISTED) listed.push(next++);
    if (listed.length >= MISSING_LISTED) break;
    next = f + 1;
  }
  while (next < n && listed.length < MISSING_LISTED) listed.push(next++);
  return { count: n - inRange.length, listed };
}

/**
 * Cached partitions a worker fetched from its peers, kept (LRU, within a byte budget) because the
 * tasks of one worker read the same neighbour blocks again and again (a box filter's halo reads each
 * block from up to 26 neighbours' tasks). Keys name the holder too: a partition recomputed on another
 * worker is a new entry. Shuffle blocks are read once and never kept here.
 */

export interface PeerBlock {
  readonly bytes: Uint8Array;
  /** A decode-cache key for worker threads; negative, so it never meets a BlockManager version. */
  readonly version: number;
}

let nextVersion = -1;

export class PeerBlockCache {
  // Map iteration order is insertion order: re-inserting on access makes it an LRU list.
  private readonly entries = new Map<string, PeerBlock>();
  private used = 0;

  constructor(private readonly budget: number) {}

  get(executorId: string, blockId: string): PeerBlock | undefined {
    const key = `${executorId}/${blockId}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** Keeps a fetched block; returns it with its version (not kept when larger than a quarter of the budget). */
  put(executorId: string, blockId: string, bytes: Uint8Array): PeerBlock {
    const block = { bytes, version: nextVersion-- };
    if (bytes.length > this.budget / 4) return block;
    const key = `${executorId}/${blockId}`;
    const old = this.entries.get(key);
    if (old !== undefined) this.used -= old.bytes.length;
    this.entries.set(key, block);
    this.used += bytes.length;
    for (const [k, v] of this.entries) {
      if (this.used <= this.budget) break;
      this.entries.delete(k);
      this.used -= v.bytes.length;
    }
    return block;
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }
}

/**
 * Holds shuffle outputs and cached partitions within a memory budget. Past the budget the least
 * recently used blocks go to disk (shuffle outputs, MEMORY_AND_DISK) or are dropped (MEMORY_ONLY,
 * recomputed from lineage when needed). One per executor process; in `local[N]` the driver's.
 * On a cluster driver it is the map-output and cache tracker: entries name the worker that holds
 * the bytes (a BlockLocation), and losing that worker forgets them all at once (removeBlocksAt).
 */
import { mkdirSync, rmSync, statfsSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpillDiskFullError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { StorageLevel } from '../task-context.js';
import type { BlockLocation, BlockRef } from './block-ref.js';

interface Entry {
  readonly key: string;
  readonly level: StorageLevel;
  readonly size: number;
  /** Bucket boundaries of a shuffle output (R + 1 offsets); a cached partition has [0, size]. */
  readonly offsets: readonly number[];
  bytes: Uint8Array | null;
  file: string | null;
  /** Set for a block that lives on a remote executor; such entries use none of this budget. */
  readonly location: BlockLocation | null;
  /** Unique per put: a replaced block never shares a version with its predecessor. */
  readonly version: number;
}

let nextVersion = 1;

/** Counters for tests and the dashboard. */
export interface BlockManagerStats {
  /** Bytes of blocks held in memory. */
  readonly memoryUsed: number;
  /** Bytes the store may hold in memory before it spills or drops blocks. */
  readonly memoryBudget: number;
  /** Bytes spilled to disk so far. */
  readonly spilledBytes: number;
  /** Blocks spilled to disk so far. */
  readonly spilledBlocks: number;
  /** MEMORY_ONLY blocks dropped to make room so far (recomputed from lineage when needed). */
  readonly droppedBlocks: number;
  /** Blocks the store knows now (in memory, on disk, or on a remote executor). */
  readonly blocks: number;
}

export class BlockManager {
  // Map iteration order is insertion order: re-inserting on access makes it an LRU list.
  private readonly entries = new Map<string, Entry>();
  private memoryUsed = 0;
  private spilledBytes = 0;
  private spilledBlocks = 0;
  private droppedBlocks = 0;
  private dirMade = false;

  constructor(
    readonly budget: number,
    readonly dir: string,
    private readonly events: EventBus | null,
  ) {}

  putShuffleOutput(shuffleId: number, mapIndex: number, bytes: Uint8Array, offsets: readonly number[]): void {
    this.put(`shuffle_${shuffleId}_${mapIndex}`, bytes, offsets, 'MEMORY_AND_DISK');
  }

  /** Records that a remote executor holds a map output (its buckets end at `offsets`). */
  putRemoteShuffleOutput(shuffleId: number, mapIndex: number, location: BlockLocation, offsets: readonly number[]): void {
    this.putRemote(`shuffle_${shuffleId}_${mapIndex}`, location, offsets, 'MEMORY_AND_DISK');
  }

  hasShuffleOutput(shuffleId: number, mapIndex: number): boolean {
    return this.entries.has(`shuffle_${shuffleId}_${mapIndex}`);
  }

  /** Ref to bucket `reduceId` of one map output, or a 'missing' ref. */
  shuffleRef(shuffleId: number, mapIndex: number, reduceId: number): BlockRef {
    const e = this.touch(`shuffle_${shuffleId}_${mapIndex}`);
    if (e === undefined) return { kind: 'missing', mapIndex };
    const start = e.offsets[reduceId] ?? 0;
    const end = e.offsets[reduceId + 1] ?? start;
    if (e.location !== null) return remoteRef(e.location, `shuffle_${shuffleId}_${mapIndex}_${reduceId}`, end - start);
    if (e.bytes !== null) return { kind: 'mem', bytes: e.bytes.subarray(start, end) };
    return { kind: 'file', path: e.file as string, offset: start, length: end - start };
  }

  /** Forgets a map output (a lost executor, or a test of recovery). */
  removeShuffleOutput(shuffleId: number, mapIndex: number): void {
    this.remove(`shuffle_${shuffleId}_${mapIndex}`);
  }

  /**
   * Forgets the map outputs of `shuffleId` whose spill file is gone or truncated (a wiped or failed
   * local disk), so that they are recomputed. One lost file usually means the others went with it:
   * checking them all at once saves a stage attempt per file. Returns the map indices forgotten.
   */
  removeLostShuffleOutputs(shuffleId: number): number[] {
    const prefix = `shuffle_${shuffleId}_`;
    const lost: number[] = [];
    for (const [key, e] of [...this.entries]) {
      if (!key.startsWith(prefix) || e.file === null || fileHolds(e.file, e.size)) continue;
      this.remove(key);
      lost.push(Number(key.slice(prefix.length)));
    }
    return lost;
  }

  removeShuffle(shuffleId: number): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(`shuffle_${shuffleId}_`)) this.remove(key);
  }

  /** Stores a cached partition; returns false when it was dropped (MEMORY_ONLY that does not fit). */
  putCached(rddId: number, split: number, bytes: Uint8Array, level: StorageLevel): boolean {
    return this.put(`rdd_${rddId}_${split}`, bytes, [0, bytes.length], level);
  }

  /** Records that a remote executor holds a cached partition of `size` bytes. */
  putRemoteCached(rddId: number, split: number, location: BlockLocation, size: number, level: StorageLevel): void {
    this.putRemote(`rdd_${rddId}_${split}`, location, [0, size], level);
  }

  cachedRef(rddId: number, split: number): BlockRef | undefined {
    const e = this.touch(`rdd_${rddId}_${split}`);
    if (e === undefined) return undefined;
    if (e.location !== null) return remoteRef(e.location, `rdd_${rddId}_${split}`, e.size);
    if (e.bytes !== null) return { kind: 'mem', bytes: e.bytes, version: e.version };
    return { kind: 'file', path: e.file as string, offset: 0, length: e.size };
  }

  /** Forgets every block held by a lost executor; returns their keys (`shuffle_S_M`, `rdd_R_P`). */
  removeBlocksAt(executorId: string): string[] {
    const lost: string[] = [];
    for (const [key, e] of [...this.entries]) {
      if (e.location === null || e.location.executorId !== executorId) continue;
      this.entries.delete(key);
      lost.push(key);
    }
    return lost;
  }

  removeRdd(rddId: number): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(`rdd_${rddId}_`)) this.remove(key);
  }

  stats(): BlockManagerStats {
    return {
      memoryUsed: this.memoryUsed,
      memoryBudget: this.budget,
      spilledBytes: this.spilledBytes,
      spilledBlocks: this.spilledBlocks,
      droppedBlocks: this.droppedBlocks,
      blocks: this.entries.size,
    };
  }

  /** Deletes every block and the spill directory. */
  clear(): void {
    this.entries.clear();
    this.memoryUsed = 0;
    if (this.dirMade) rmSync(this.dir, { recursive: true, force: true });
    this.dirMade = false;
  }

  private put(key: string, bytes: Uint8Array, offsets: readonly number[], level: StorageLevel): boolean {
    this.remove(key);
    const entry: Entry = { key, level, size: bytes.length, offsets, bytes: null, file: null, location: null, version: nextVersion++ };
    const spillable = level === 'MEMORY_AND_DISK' || level === 'DISK_ONLY';
    if (level === 'DISK_ONLY' || bytes.length > this.budget) {
      if (!spillable) {
        this.drop(key, bytes.length);
        return false;
      }
      entry.file = this.writeFile(key, bytes);
      this.entries.set(key, entry);
      return true;
    }
    this.evictFor(bytes.length);
    entry.bytes = bytes;
    this.memoryUsed += bytes.length;
    this.entries.set(key, entry);
    return true;
  }

  private putRemote(key: string, location: BlockLocation, offsets: readonly number[], level: StorageLevel): void {
    this.remove(key);
    const size = offsets[offsets.length - 1] ?? 0;
    this.entries.set(key, { key, level, size, offsets, bytes: null, file: null, location, version: nextVersion++ });
  }

  private evictFor(size: number): void {
    if (this.memoryUsed + size <= this.budget) return;
    for (const e of [...this.entries.values()]) {
      if (this.memoryUsed + size <= this.budget) return;
      if (e.bytes === null) continue;
      if (e.level === 'MEMORY_AND_DISK') {
        // Written before it leaves memory: when the disk is full the block stays where it was.
        e.file = this.writeFile(e.key, e.bytes);
        e.bytes = null;
      } else {
        this.entries.delete(e.key);
        this.drop(e.key, e.size);
      }
      this.memoryUsed -= e.size;
    }
  }

  private writeFile(key: string, bytes: Uint8Array): string {
    const file = join(this.dir, `${key}.bin`);
    try {
      if (!this.dirMade) {
        mkdirSync(this.dir, { recursive: true });
        this.dirMade = true;
      }
      try {
        writeFileSync(file, bytes);
      } catch (err) {
        // The folder was removed under us (a cleaned temp dir): make it again rather than fail every later spill.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        mkdirSync(this.dir, { recursive: true });
        writeFileSync(file, bytes);
      }
    } catch (err) {
      // A partial file holds disk space and is no block: remove it whatever went wrong.
      rmSync(file, { force: true });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new SpillDiskFullError(this.dir, bytes.length, this.bytesOnDisk(), freeBytes(this.dir), { cause: err });
      throw err;
    }
    this.spilledBytes += bytes.length;
    this.spilledBlocks++;
    this.events?.post({ type: 'blockSpilled', block: key, bytes: bytes.length });
    return file;
  }

  /** Bytes of the blocks this manager holds in spill files now. */
  private bytesOnDisk(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.file !== null) n += e.size;
    return n;
  }

  private drop(key: string, bytes: number): void {
    this.droppedBlocks++;
    this.events?.post({ type: 'blockDropped', block: key, bytes });
  }

  private touch(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    return e;
  }

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    this.entries.delete(key);
    if (e.bytes !== null) this.memoryUsed -= e.size;
    if (e.file !== null) {
      try {
        unlinkSync(e.file);
      } catch {
        // already gone: nothing to free
      }
    }
  }
}

function remoteRef(location: BlockLocation, blockId: string, length: number): BlockRef {
  return { kind: 'remote', executorId: location.executorId, address: location.address, blockId, length };
}

/** Bytes an unprivileged writer may still use on the disk holding `dir`, or null when unknown. */
function freeBytes(dir: string): number | null {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}

function fileHolds(path: string, size: number): boolean {
  try {
    return statSync(path).size >= size;
  } catch {
    return false;
  }
}

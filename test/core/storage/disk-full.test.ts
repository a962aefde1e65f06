/**
 * The BlockManager when its spill disk fills up (issue 13, item 11): a SpillDiskFullError instead of
 * ENOSPC, no partial spill file left behind, and the block that could not be evicted still in memory
 * and counted. On a real 1 MiB tmpfs; skipped, with the reason, where mounting is not allowed.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { isSpillDiskFullError, type SpillDiskFullError } from '../../../core/errors.js';
import { BlockManager } from '../../../core/storage/block-manager.js';
import { readBlock } from '../../../core/storage/block-ref.js';
import { mountTmpfs } from './tmpfs.js';

const tmpfs = mountTmpfs('1m');
if (tmpfs.state === 'unavailable') console.warn(`BlockManager disk-full tests skipped: ${tmpfs.reason}`);
afterAll(() => {
  if (tmpfs.state === 'mounted') tmpfs.unmount();
});

const BLOCK = 300 * 1024;
const block = (i: number): Uint8Array => new Uint8Array(BLOCK).fill(i + 1);

function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(Buffer.from(expected))).toBe(true);
}

/** Puts MEMORY_AND_DISK blocks (one fits in memory) until a spill fails; returns the error and how many were put. */
function fillUntilFull(bm: BlockManager): { err: unknown; put: number } {
  for (let i = 0; i < 16; i++) {
    try {
      bm.putShuffleOutput(0, i, block(i), [0, BLOCK]);
    } catch (err) {
      return { err, put: i };
    }
  }
  return expect.fail('16 blocks of 300 KiB fitted on a 1 MiB disk');
}

describe('BlockManager on a full disk', () => {
  it('throws SpillDiskFullError with the folder, the block size and what was already spilled', ({ skip }) => {
    if (tmpfs.state === 'unavailable') return skip(tmpfs.reason);
    const dir = join(tmpfs.dir, 'a');
    const bm = new BlockManager(BLOCK, dir, null);
    try {
      const { err } = fillUntilFull(bm);
      expect(isSpillDiskFullError(err)).toBe(true);
      const full = err as SpillDiskFullError;
      expect(full.directory).toBe(dir);
      expect(full.blockBytes).toBe(BLOCK);
      expect(full.spilledBytes).toBe(bm.stats().spilledBytes);
      expect(full.bytesNeeded).toBe(full.spilledBytes + BLOCK);
      expect(full.freeBytes).not.toBeNull();
      expect(full.freeBytes!).toBeLessThan(BLOCK);
    } finally {
      bm.clear();
    }
    expect(readdirSync(tmpfs.dir)).toEqual([]);
  });

  it('leaves no partial file, and keeps the block it could not evict in memory and readable', ({ skip }) => {
    if (tmpfs.state === 'unavailable') return skip(tmpfs.reason);
    const dir = join(tmpfs.dir, 'b');
    const bm = new BlockManager(BLOCK, dir, null);
    try {
      const { put } = fillUntilFull(bm);
      // Every file in the folder is one whole spilled block.
      const files = readdirSync(dir);
      expect(files).toHaveLength(bm.stats().spilledBlocks);
      for (const f of files) expect(statSync(join(dir, f)).size).toBe(BLOCK);
      // The last block put before the failure was the one being evicted: still in memory and counted.
      const last = put - 1;
      const ref = bm.shuffleRef(0, last, 0);
      expect(ref.kind).toBe('mem');
      expectBytes(readBlock(ref), block(last));
      expect(bm.stats().memoryUsed).toBe(BLOCK);
      for (let i = 0; i < last; i++) expectBytes(readBlock(bm.shuffleRef(0, i, 0)), block(i));
    } finally {
      bm.clear();
    }
    expect(readdirSync(tmpfs.dir)).toEqual([]);
  });
});

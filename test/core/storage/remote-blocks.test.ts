/** The driver's block manager as a cluster's map-output and cache tracker: entries that name the worker holding the bytes. */
import { describe, expect, it } from 'vitest';
import { BlockManager } from '../../../core/storage/block-manager.js';
import { readBlock } from '../../../core/storage/block-ref.js';

const wa = { executorId: 'wa-1', address: '127.0.0.1:5001' };
const wb = { executorId: 'wb-2', address: '127.0.0.1:5002' };

describe('remote blocks in the BlockManager', () => {
  it('gives remote refs named like Spark block ids, with the bucket and partition sizes', () => {
    const bm = new BlockManager(1024, '/nonexistent', null);
    bm.putRemoteShuffleOutput(4, 2, wa, [0, 10, 10, 35]);
    bm.putRemoteCached(7, 3, wb, 500, 'MEMORY_ONLY');
    expect(bm.hasShuffleOutput(4, 2)).toBe(true);
    expect(bm.shuffleRef(4, 2, 0)).toEqual({ kind: 'remote', executorId: 'wa-1', address: '127.0.0.1:5001', blockId: 'shuffle_4_2_0', length: 10 });
    expect(bm.shuffleRef(4, 2, 1)).toMatchObject({ blockId: 'shuffle_4_2_1', length: 0 });
    expect(bm.shuffleRef(4, 2, 2)).toMatchObject({ blockId: 'shuffle_4_2_2', length: 25 });
    expect(bm.cachedRef(7, 3)).toEqual({ kind: 'remote', executorId: 'wb-2', address: '127.0.0.1:5002', blockId: 'rdd_7_3', length: 500 });
    expect(bm.stats().memoryUsed).toBe(0);
    expect(() => readBlock(bm.shuffleRef(4, 2, 0))).toThrow(/block shuffle_4_2_0 lives on executor wa-1 and was not fetched/);
  });

  it('forgets every block of a lost executor at once, and only those', () => {
    const bm = new BlockManager(1024, '/nonexistent', null);
    bm.putRemoteShuffleOutput(1, 0, wa, [0, 5]);
    bm.putRemoteShuffleOutput(1, 1, wb, [0, 5]);
    bm.putRemoteCached(2, 0, wa, 8, 'MEMORY_ONLY');
    bm.putShuffleOutput(1, 2, new Uint8Array(5), [0, 5]);
    expect(bm.removeBlocksAt('wa-1').sort()).toEqual(['rdd_2_0', 'shuffle_1_0']);
    expect(bm.hasShuffleOutput(1, 0)).toBe(false);
    expect(bm.shuffleRef(1, 0, 0)).toEqual({ kind: 'missing', mapIndex: 0 });
    expect(bm.cachedRef(2, 0)).toBeUndefined();
    expect(bm.hasShuffleOutput(1, 1)).toBe(true);
    expect(bm.hasShuffleOutput(1, 2)).toBe(true);
  });
});

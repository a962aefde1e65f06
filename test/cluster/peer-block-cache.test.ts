/** The worker's cache of blocks fetched from peers: LRU within a byte budget, versions that never meet a BlockManager's. */
import { describe, expect, it } from 'vitest';
import { PeerBlockCache } from '../../cluster/peer-block-cache.js';

const bytes = (n: number): Uint8Array => new Uint8Array(n);

describe('PeerBlockCache', () => {
  it('returns what was put, under the holder and the block name, with a negative version', () => {
    const c = new PeerBlockCache(100);
    const put = c.put('w-1', 'rdd_3_0', bytes(10));
    expect(put.version).toBeLessThan(0);
    expect(c.get('w-1', 'rdd_3_0')).toBe(put);
    expect(c.get('w-2', 'rdd_3_0')).toBeUndefined();
    expect(c.put('w-1', 'rdd_3_1', bytes(10)).version).not.toBe(put.version);
  });

  it('evicts the least recently used blocks past its budget', () => {
    const c = new PeerBlockCache(100);
    c.put('w', 'a', bytes(20));
    c.put('w', 'b', bytes(20));
    c.put('w', 'c', bytes(20));
    c.get('w', 'a'); // a is now the most recent
    c.put('w', 'd', bytes(25));
    c.put('w', 'e', bytes(25));
    expect(c.get('w', 'b')).toBeUndefined();
    for (const k of ['a', 'c', 'd', 'e']) expect(c.get('w', k)).toBeDefined();
  });

  it('does not keep a block larger than a quarter of its budget, but still hands it out', () => {
    const c = new PeerBlockCache(100);
    const big = c.put('w', 'big', bytes(26));
    expect(big.bytes.length).toBe(26);
    expect(c.get('w', 'big')).toBeUndefined();
  });
});

/**
 * BlockFetcher against a peer that is not there: one reason per wanted block (never a hole that a
 * task would read as undefined), and a cancelled fetch ends at once.
 */
import { createServer } from 'node:net';
import { credentials } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { BlockFetcher, fetchDeadlineMs } from '../../cluster/block-fetcher.js';
import { freePort } from './cluster-harness.js';


const wants = [
  { blockId: 'rdd_1_0', length: 64 },
  { blockId: 'rdd_1_1', length: 64 },
  { blockId: 'shuffle_0_2_1', length: 16 },
];

describe('BlockFetcher', () => {
  it('answers an unreachable peer with one reason per block, no holes', async () => {
    const fetcher = new BlockFetcher('s3cret-fetch', credentials.createInsecure());
    try {
      const address = `127.0.0.1:${await freePort()}`;
      const got = await fetcher.fetch(address, 'app-1', wants);
      expect(Array.from(got, (g) => typeof g)).toEqual(['string', 'string', 'string']);
      expect(got[0]).toContain(address);
    } finally {
      fetcher.close();
    }
  });

  it('ends a fetch at once when its signal aborts, with one reason per block', async () => {
    const fetcher = new BlockFetcher('s3cret-fetch', credentials.createInsecure());
    // A listener that accepts connections and never answers: the fetch would wait for its deadline.
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const abort = new AbortController();
      const t0 = Date.now();
      const pending = fetcher.fetch(`127.0.0.1:${(silent.address() as { port: number }).port}`, 'app-1', wants, abort.signal);
      setTimeout(() => abort.abort(), 100);
      const got = await pending;
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect(got.map((g) => (typeof g === 'string' ? /cancelled/.test(g) : false))).toEqual([true, true, true]);
    } finally {
      fetcher.close();
      silent.close();
    }
  });

  it('gives a fetch more time the more bytes it asks for', () => {
    expect(fetchDeadlineMs(0)).toBe(15_000);
    expect(fetchDeadlineMs(1024 ** 3)).toBeGreaterThan(50_000);
  });
});

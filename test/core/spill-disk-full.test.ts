/**
 * A spill disk that fills up (issue 13, item 11): the job fails with a SpillDiskFullError that names
 * the spill folder and how much it needed, not a bare ENOSPC, and the spill folder is gone after
 * stop(). Runs on a real 1 MiB tmpfs; skipped, with the reason, where mounting is not allowed.
 */
import { readdirSync } from 'node:fs';

import { afterAll, describe, expect, it } from 'vitest';

import { Context } from '../../core/index.js';
import { isSpillDiskFullError, type SpillDiskFullError } from '../../core/errors.js';
import { MASTERS, rejectionOf } from './engine-helpers.js';
import { mountTmpfs } from './storage/tmpfs.js';

const tmpfs = mountTmpfs('1m');
if (tmpfs.state === 'unavailable') console.warn(`spill-disk-full tests skipped: ${tmpfs.reason}`);
afterAll(() => {
  if (tmpfs.state === 'mounted') tmpfs.unmount();
});

// A million numbers in DISK_ONLY partitions: several MiB of spill files, far more than the tmpfs holds.
const RECORDS = 1_000_000;

describe.each(MASTERS)('a spill disk that fills up, on %s', (master) => {
  it('fails the job with SpillDiskFullError naming the folder and the bytes needed, and leaves the disk empty after stop()', async ({ skip }) => {
    if (tmpfs.state === 'unavailable') return skip(tmpfs.reason);
    const ctx = await Context.create({ master, memory: '64k', spillDir: tmpfs.dir });
    let err: Error;
    try {
      err = await rejectionOf(ctx.range(0, RECORDS, 1, 8).persist('DISK_ONLY').count());
    } finally {
      await ctx.stop();
    }
    expect(isSpillDiskFullError(err)).toBe(true);
    const full = err as SpillDiskFullError;
    expect(full.directory.startsWith(`${tmpfs.dir}/`)).toBe(true);
    expect(full.blockBytes).toBeGreaterThan(0);
    expect(full.bytesNeeded).toBeGreaterThan(full.freeBytes ?? 0);
    expect(full.message.split('\n')).toHaveLength(1);
    expect(full.message).toContain(full.directory);
    expect(full.message).toContain(`${full.bytesNeeded.toLocaleString('en-US')} bytes`);
    expect((full.cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(readdirSync(tmpfs.dir)).toEqual([]);
  });
});

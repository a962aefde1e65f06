import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { placeOutput } from '../../core/place-output.js';

const dir = mkdtempSync(join(tmpdir(), 'voxelflow-place-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Descriptors of this process open on a deleted file named `name` (Linux shows them as "PATH (deleted)"). */
function heldDeleted(name: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).endsWith(`/${name} (deleted)`)) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

describe('placeOutput', () => {
  it('refuses an existing file without overwrite, and leaves the temporary', () => {
    const final = join(dir, 'a.bin');
    writeFileSync(final, 'old');
    writeFileSync(join(dir, 'a.tmp'), 'new');
    expect(placeOutput(join(dir, 'a.tmp'), final, false)).toBe(false);
    expect(readFileSync(final, 'utf8')).toBe('old');
    expect(existsSync(join(dir, 'a.tmp'))).toBe(true);
  });

  it.skipIf(process.platform !== 'linux')('replaces a file with overwrite and frees the old one off the calling thread, leaking no descriptor', async () => {
    const final = join(dir, 'b.bin');
    writeFileSync(final, Buffer.alloc(1 << 20, 1));
    writeFileSync(join(dir, 'b.tmp'), 'new');
    expect(placeOutput(join(dir, 'b.tmp'), final, true)).toBe(true);
    expect(readFileSync(final, 'utf8')).toBe('new');
    expect(existsSync(join(dir, 'b.tmp'))).toBe(false);
    // The replaced file is closed on the thread pool soon after: no descriptor keeps it.
    for (let i = 0; i < 100 && heldDeleted('b.bin') > 0; i++) await sleep(10);
    expect(heldDeleted('b.bin')).toBe(0);
  });

  it('replaces a folder with overwrite (moved aside, then removed)', () => {
    const final = join(dir, 'c.zarr');
    mkdirSync(final);
    writeFileSync(join(final, 'old'), 'x');
    mkdirSync(join(dir, 'c.tmp'));
    writeFileSync(join(dir, 'c.tmp', 'new'), 'y');
    expect(placeOutput(join(dir, 'c.tmp'), final, true)).toBe(true);
    expect(readdirSync(final)).toEqual(['new']);
    expect(readdirSync(dir).filter((f) => f.includes('.old-'))).toEqual([]);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { placeOutput } from '../../core/place-output.js';

const dir = mkdtempSync(join(tmpdir(), 'voxelflow-place-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Descriptors this process holds (Linux). */
function openFds(): number {
  return readdirSync('/proc/self/fd').length;
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
    const before = openFds();
    expect(placeOutput(join(dir, 'b.tmp'), final, true)).toBe(true);
    expect(readFileSync(final, 'utf8')).toBe('new');
    expect(existsSync(join(dir, 'b.tmp'))).toBe(false);
    for (let i = 0; i < 50 && openFds() > before; i++) await sleep(10);
    expect(openFds()).toBe(before);
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

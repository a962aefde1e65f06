import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startWriteback } from '../../../imaging/io/start-writeback.js';
import { nativeAddon } from '../../../native/index.js';

const dir = mkdtempSync(join(tmpdir(), 'voxelflow-writeback-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('startWriteback', () => {
  it.skipIf(nativeAddon === null || process.platform !== 'linux')('starts the writeback of a written range (sync_file_range) and reports a bad descriptor', () => {
    const file = join(dir, 'a.bin');
    const fd = openSync(file, 'w+');
    try {
      const bytes = Buffer.alloc(1 << 20, 7);
      writeSync(fd, bytes, 0, bytes.length, 0);
      expect(nativeAddon?.startWriteback?.(fd, 0, bytes.length)).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect(nativeAddon?.startWriteback?.(fd, 0, 4096)).toBe(9); // EBADF: the descriptor is closed
    expect(nativeAddon?.startWriteback?.(-1, 0, 4096)).toBe(22); // EINVAL, checked before the call
    expect(readFileSync(file).every((b) => b === 7)).toBe(true);
  });

  it('is advisory: nothing to write, or a descriptor that is gone, leaves no error to handle', () => {
    expect(() => startWriteback(-1, 0, 0)).not.toThrow();
    expect(() => startWriteback(123456, 0, 4096)).not.toThrow();
  });
});

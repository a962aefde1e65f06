/**
 * A small real tmpfs for tests of a full disk. Mounting needs root (or CAP_SYS_ADMIN); where it is
 * not allowed, `mountTmpfs` returns the reason instead, and the tests that need it skip with it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A mounted tmpfs, or why there is none. */
export type Tmpfs = { readonly state: 'mounted'; readonly dir: string; unmount(): void } | { readonly state: 'unavailable'; readonly reason: string };

/** Mounts a tmpfs of `size` (e.g. `1m`) on a fresh folder in the OS temp dir. */
export function mountTmpfs(size: string): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), 'vf-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmdirSync(dir);
    const why = r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`);
    return { state: 'unavailable', reason: `cannot mount a ${size} tmpfs (mount -t tmpfs needs root or CAP_SYS_ADMIN): ${why}` };
  }
  return {
    state: 'mounted',
    dir,
    unmount: () => {
      const u = spawnSync('umount', [dir], { encoding: 'utf8' });
      if (u.status !== 0) throw new Error(`umount ${dir} failed: ${u.stderr.trim()}`);
      rmdirSync(dir);
    },
  };
}

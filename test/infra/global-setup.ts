/**
 * Refuses to run the tests against a stale build. Vitest runs the TypeScript sources, but worker threads
 * (`local[N]`), `voxelflow worker` processes and the CLI run dist/, and the kernels run native/build: after
 * an edit without a rebuild, `local` and `local[2]` would test different code. `npm test` builds first
 * (scripts/build.mjs, a no-op when dist/ is current), so this only stops a bare `npx vitest` after an edit.
 *
 * It refuses rather than builds: a build here would race the builds of other test runs in the same
 * checkout, and a tsc error would surface as a confusing setup failure instead of tsc's own output.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distSources, stampState, walk } from '../../scripts/build-stamp.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Why the build is stale, or null when dist/ (and the native addon, when built) match the sources. */
export function staleBuild(): string | null {
  const dist = stampState(join(root, 'dist', '.build-stamp.json'), root, distSources(root), 'dist/');
  if (!dist.fresh) return `${dist.reason}: run 'npm run build' (npm test does), since workers run dist/ while vitest runs the sources`;
  if (existsSync(join(root, 'native', 'build', 'Release', 'voxelflow_native.node'))) {
    const files = ['native/binding.gyp', ...walk(root, 'native/src', () => true)];
    const native = stampState(join(root, 'native', 'build', '.build-stamp.json'), root, files, 'the native addon');
    if (!native.fresh) return `${native.reason}: run 'npm run build:native'`;
  }
  return null;
}

export default function setup(): void {
  const stale = staleBuild();
  if (stale === null) return;
  console.error(`\nvoxelflow tests refused: ${stale}\n`);
  process.exit(1);
}

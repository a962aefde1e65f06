/**
 * The folder of voxelflow's own package.json: where worker threads find the compiled entry, where
 * module URLs of the TypeScript sources map into dist/, and where the cluster reads its .proto files
 * and version. Found once, upwards from this module, which is inside the package whether it runs
 * from dist/ or from the sources.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How many folders up the package root may be (dist/core/ is two below it). */
const MAX_LEVELS = 6;

let root: string | null = null;

/** The voxelflow package root; throws when the package is broken (no package.json named voxelflow above). */
export function packageRoot(): string {
  if (root !== null) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < MAX_LEVELS; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'voxelflow') return (root = dir);
    dir = dirname(dir);
  }
  throw new Error('cannot find the voxelflow package root (package.json); reinstall voxelflow');
}

/** Where the voxelflow package lives (for the .proto files and worker threads) and its version. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The folder of voxelflow's package.json, found upwards from this module (dist/ or sources). */
export function packageRoot(): string {
  if (root !== null) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'voxelflow') return (root = dir);
    dir = dirname(dir);
  }
  throw new Error('cannot find the voxelflow package root (package.json); reinstall voxelflow');
}

/** The package version; drivers, master and workers must all run the same one. */
export const VERSION: string = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Whether this code runs from the command line's bundle (dist/bundle/, scripts/bundle.mjs), and where
 * the bundle keeps a module of dist/. The bundle's modules keep the `import.meta.url` of their dist/
 * file, so plans name the same module URLs bundled or not; a bundled thread loads such a module from
 * the chunk that holds it (the manifest), because importing the dist/ file as well would give it a
 * second copy of every module it imports, registry included.
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageRoot } from './package-root.js';

/** Defined `true` by the bundler; undeclared (and so `undefined`) in dist/ and in the sources. */
declare const VOXELFLOW_BUNDLED: boolean | undefined;

/** True in the command line's bundle. */
export const BUNDLED = typeof VOXELFLOW_BUNDLED !== 'undefined' && VOXELFLOW_BUNDLED === true;

/** The bundle's folder. */
export function bundleDir(): string {
  return join(packageRoot(), 'dist', 'bundle');
}

let manifest: Record<string, string> | null = null;

/**
 * The URL to import for module `url` in this program: in the bundle, the chunk that holds a dist/
 * module; otherwise (or for a module the bundle does not hold, such as the user's own) `url` itself.
 */
export function moduleUrlToImport(url: string): string {
  if (!BUNDLED || !url.startsWith('file:')) return url;
  const dist = join(packageRoot(), 'dist');
  const inDist = relative(dist, fileURLToPath(url));
  if (inDist.startsWith('..')) return url;
  manifest ??= JSON.parse(readFileSync(join(bundleDir(), 'manifest.json'), 'utf8')) as Record<string, string>;
  const chunk = manifest[inDist.split(sep).join('/')];
  return chunk === undefined ? url : pathToFileURL(join(bundleDir(), chunk)).href;
}

#!/usr/bin/env node
/**
 * `npm run build`: compiles the TypeScript sources to dist/ with tsc, unless dist/ already matches them
 * (scripts/build-stamp.mjs compares contents). So `npm install`, `npm test` and `npm run bench` cost
 * nothing when nothing changed, and are never run against a stale dist/. `--force` always compiles.
 *
 * After tsc, scripts/bundle.mjs bundles the command line into dist/bundle/ (what bin/voxelflow.js runs);
 * a failed bundle is reported and leaves no dist/bundle/, and the command line runs from dist/.
 *
 * The stamp is written only when tsc succeeds, and records the sources as they were when it started:
 * a failed build, or an edit made while tsc ran, leaves dist/ stale, and the next build runs again.
 *
 * @example
 *   node scripts/build.mjs          # "dist/ is up to date" or tsc's output
 *   node scripts/build.mjs --force
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distSources, hashFiles, stampState, writeStamp } from './build-stamp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the stamp of dist/ lives; test/global-setup.ts reads it too. */
export const DIST_STAMP = join(root, 'dist', '.build-stamp.json');

const sources = distSources(root);
const state = stampState(DIST_STAMP, root, sources, 'dist/');
const bundleManifest = join(root, 'dist', 'bundle', 'manifest.json');
if (state.fresh && !process.argv.includes('--force')) {
  console.log('voxelflow: dist/ is up to date with the sources');
  if (!existsSync(bundleManifest)) bundle();
  process.exit(0);
}
const hashes = hashFiles(root, sources);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error(`voxelflow: tsc failed (exit ${result.status ?? result.signal}); dist/ is left marked stale`);
  process.exit(result.status ?? 1);
}
mkdirSync(dirname(DIST_STAMP), { recursive: true });
writeStamp(DIST_STAMP, hashes);
bundle();

/** Bundles the command line (scripts/bundle.mjs); without a bundle it still runs, from dist/. */
function bundle() {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'bundle.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) {
    rmSync(join(root, 'dist', 'bundle'), { recursive: true, force: true });
    console.error(`voxelflow: bundling the command line failed (exit ${r.status ?? r.signal}); it runs from dist/ instead`);
  }
}

#!/usr/bin/env node
/**
 * Builds the native kernels with node-gyp, best-effort. Run by the root package's `prepare` script
 * during `npm install` (and `npm ci`) of a clone: a failed build prints one warning line and exits 0,
 * because the TypeScript twins of every kernel keep voxelflow working without it. With `--verbose`
 * (`npm run build:native`) it shows the compiler output and exits with node-gyp's status.
 *
 * Offline-friendly: it uses the node-gyp that ships with npm and, when no `nodedir` is configured,
 * the headers installed next to the running node (`<prefix>/include/node`), so no download is needed.
 *
 * Quiet runs skip the build when native/build/Release holds an addon built from the same sources
 * (native/src, binding.gyp, node-addon-api's version, platform and arch: scripts/build-stamp.mjs), so a
 * second `npm install` does not recompile. `--verbose` always rebuilds.
 *
 * `--prebuild` (run by `npm pack`'s prepack) builds if needed, failing loudly, and copies the addon to
 * `prebuilds/<platform>-<arch>/node.napi.<libc>.node`: prebuildify's layout, which node-gyp-build (the
 * loader in native/index.ts) finds in an installed package, so a tarball install on that platform runs
 * the native kernels without a compiler or an install script. The addon uses N-API 8 only, so one binary
 * serves every Node >= 20.
 *
 * @example
 *   node native/build.mjs             # quiet, never fails, skips when up to date
 *   node native/build.mjs --verbose   # compiler output, fails like node-gyp
 *   node native/build.mjs --prebuild  # for npm pack: native/prebuilds/linux-x64/node.napi.glibc.node
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { hashFiles, stampState, walk, writeStamp } from '../scripts/build-stamp.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const verbose = process.argv.includes('--verbose');
const prebuild = process.argv.includes('--prebuild');
const ADDON = join(here, 'build', 'Release', 'voxelflow_native.node');
const STAMP = join(here, 'build', '.build-stamp.json');

/** The node-gyp entry script: npm's own, else one installed in the project; null when none is found. */
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  if (process.env.npm_execpath) candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed in the project: fine, npm's copy is the usual one
  }
  // npm next to the running node (a global install under <prefix>/lib/node_modules/npm).
  const prefix = join(dirname(process.execPath), '..');
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  for (const c of candidates) {
    if (c && existsSync(c)) return realpathSync(c);
  }
  return null;
}

/** `--nodedir=<prefix>` when node's headers are installed beside it and nothing else was configured. */
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = join(dirname(realpathSync(process.execPath)), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) && existsSync(join(prefix, 'include', 'node', 'common.gypi'))
    ? [`--nodedir=${prefix}`]
    : [];
}

/** The most telling line of a failed build: the first compiler error, else node-gyp's own error. */
function reasonOf(output) {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const pick =
    lines.find((l) => /\berror\b/.test(l) && !l.startsWith('gyp')) ??
    lines.find((l) => /^\w+(Error|Exception): /.test(l)) ??
    lines.find((l) => l.startsWith('gyp ERR! stack Error:')) ??
    lines.find((l) => l.startsWith('gyp ERR!') && !/ (cwd|node -v|node-gyp -v|command|System|not ok)\b/.test(l)) ??
    'node-gyp failed';
  const short = pick.replace(/^gyp ERR! (stack )?/, '');
  return short.length > 160 ? `${short.slice(0, 157)}...` : short;
}

function warn(reason) {
  console.warn(`voxelflow: native kernels not built (${reason}); using the TypeScript kernels. Run 'npm run build:native' to see the compiler output.`);
}

/** The addon's inputs (relative to the repository root) and what else it was built for. */
function inputs() {
  const files = ['native/binding.gyp', ...walk(root, 'native/src', () => true)];
  let addonApi = 'absent';
  try {
    addonApi = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('node-addon-api/package.json'), 'utf8')).version;
  } catch {
    // reported by the build itself
  }
  return { files, extra: { target: `${process.platform}-${process.arch}`, nodeAddonApi: addonApi } };
}

/** `glibc` or `musl`: the libc tag node-gyp-build matches prebuilds on (linux only). */
function libcTag() {
  const report = process.report?.getReport?.();
  return report?.header?.glibcVersionRuntime ? 'glibc' : 'musl';
}

/** Copies the built addon where node-gyp-build looks in an installed package, stripped of symbols. */
function copyPrebuild() {
  const dir = join(here, 'prebuilds', `${process.platform}-${process.arch}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const name = process.platform === 'linux' ? `node.napi.${libcTag()}.node` : 'node.napi.node';
  copyFileSync(ADDON, join(dir, name));
  if (process.platform === 'linux') spawnSync('strip', ['--strip-unneeded', join(dir, name)], { stdio: 'inherit' });
  console.log(`voxelflow: prebuilt native kernels in native/prebuilds/${process.platform}-${process.arch}/${name}`);
}

const { files, extra } = inputs();
const fresh = existsSync(ADDON) && stampState(STAMP, root, files, 'native/build', extra).fresh;
if (fresh && !verbose) {
  if (prebuild) copyPrebuild();
  process.exit(0);
}

const nodeGyp = findNodeGyp();
if (nodeGyp === null) {
  if (verbose || prebuild) console.error('voxelflow: node-gyp not found (it ships with npm); cannot build the native kernels');
  else warn('node-gyp not found');
  process.exit(verbose || prebuild ? 1 : 0);
}
const hashes = hashFiles(root, files);
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', ...nodedirArgs()], {
  cwd: here,
  encoding: 'utf8',
  stdio: verbose ? 'inherit' : 'pipe',
  timeout: 10 * 60_000,
});
if (result.status === 0) writeStamp(STAMP, hashes, extra);
if (verbose) process.exit(result.status ?? 1);
if (result.status !== 0) {
  const reason = result.error ? result.error.message : reasonOf(`${result.stderr ?? ''}\n${result.stdout ?? ''}`);
  if (prebuild) {
    console.error(`voxelflow: cannot prebuild the native kernels for the package (${reason}); run 'npm run build:native' to see why`);
    process.exit(1);
  }
  warn(reason);
} else if (prebuild) {
  copyPrebuild();
}
process.exit(0);

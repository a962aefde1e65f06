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
 * @example
 *   node native/build.mjs            # quiet, never fails
 *   node native/build.mjs --verbose  # compiler output, fails like node-gyp
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const verbose = process.argv.includes('--verbose');

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

const nodeGyp = findNodeGyp();
if (nodeGyp === null) {
  if (verbose) console.error('voxelflow: node-gyp not found (it ships with npm); cannot build the native kernels');
  else warn('node-gyp not found');
  process.exit(verbose ? 1 : 0);
}
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', ...nodedirArgs()], {
  cwd: here,
  encoding: 'utf8',
  stdio: verbose ? 'inherit' : 'pipe',
  timeout: 10 * 60_000,
});
if (verbose) process.exit(result.status ?? 1);
if (result.status !== 0) {
  warn(result.error ? result.error.message : reasonOf(`${result.stderr ?? ''}\n${result.stdout ?? ''}`));
}
process.exit(0);

#!/usr/bin/env node
/**
 * The command line's bundle: dist/bundle/, built from dist/ by esbuild after tsc (scripts/build.mjs).
 *
 * Why: a `voxelflow` process loaded ~200 compiled modules on its main thread and again on each worker
 * thread, ~130 ms and ~100 ms of CPU each before any work (a third of a 256^3 analyze on 2 cores).
 * The same code as a few chunks loads in ~45 ms and ~40 ms. Only bin/voxelflow.js runs from the
 * bundle; `import 'voxelflow'` and the tests use dist/ as tsc wrote it.
 *
 * How it stays one program with dist/:
 * - every module's `import.meta.url` is replaced by the URL of its file in dist/ (or node_modules/),
 *   so paths found relative to a module, and the module URLs that registered nodes and named functions
 *   carry in plans, are the same bundled or not: a bundled worker runs an unbundled driver's plans and
 *   the other way round;
 * - manifest.json maps each of those files to the chunk that holds it; a bundled worker thread loads a
 *   plan's module through it (core/registry.ts), never the dist/ file itself, which would be a second
 *   copy of the module with its own registry;
 * - `VOXELFLOW_BUNDLED` is defined true in the bundle, so that a pool started from it runs its threads
 *   on the bundle's worker entry (core/executor/thread-pool.ts).
 * Packages that find files relative to themselves or load native code stay outside (EXTERNAL).
 *
 * @example
 *   node scripts/bundle.mjs      # after tsc; prints one line
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const out = join(dist, 'bundle');

/**
 * Entries: the CLI, its prestart (small: bin/voxelflow.js loads it first), the worker thread's entry,
 * and the package root (so that every public module is in the bundle's graph).
 */
const ENTRIES = { main: 'cli/main.js', prestart: 'cli/prestart.js', 'worker-main': 'core/executor/worker-main.js', index: 'index.js' };

/** Packages loaded as they are: native code, files found beside their own sources, or large and rarely used. */
const EXTERNAL = ['piscina', 'zeromq', 'h5wasm', 'lz4-napi', '@grpc/*', 'protobufjs', 'apache-arrow', 'node-gyp-build', 'msgpackr-extract', 'typescript'];

/** Gives each module the `import.meta.url` of its own file. */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(m?js|cjs)$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'js' };
    });
  },
};

rmSync(out, { recursive: true, force: true });
const result = await build({
  entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(dist, file)])),
  outdir: out,
  absWorkingDir: root,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  define: { VOXELFLOW_BUNDLED: 'true' },
  // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __voxelflowRequire } from 'node:module'; const require = __voxelflowRequire(import.meta.url);" },
  plugins: [ownUrl],
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});

/** dist/-relative path of each bundled module -> its chunk, relative to dist/bundle/. */
const manifest = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const inDist = relative(dist, join(root, input));
    // A module with code is in exactly one chunk; one without (types only) may be listed anywhere.
    if (!inDist.startsWith('..') && (bytesInOutput > 0 || !(inDist in manifest))) manifest[inDist] = relative(out, join(root, file));
  }
}
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
const chunks = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')).length;
console.log(`voxelflow: bundled the command line into dist/bundle/ (${chunks} chunks, ${Object.keys(manifest).length} modules)`);

#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
if (!existsSync(join(dist, 'cli', 'main.js'))) {
  console.error(`voxelflow: ${join(dist, 'cli', 'main.js')} is missing; run 'npm install' (or 'npm run build') in the voxelflow checkout`);
  process.exit(1);
}
// The command line runs from its bundle (scripts/bundle.mjs: it loads in a third of the time) when
// the build made one, else from dist/ as tsc wrote it.
const bundled = existsSync(join(dist, 'bundle', 'main.js')) && existsSync(join(dist, 'bundle', 'prestart.js'));
const from = (name) => pathToFileURL(bundled ? join(dist, 'bundle', `${name}.js`) : join(dist, 'cli', `${name}.js`)).href;
// `voxelflow ... | head`: a reader that stops reading ends the command, as SIGPIPE ends C tools,
// quietly and with exit 0, instead of an unhandled EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
// A pipeline on local[N] starts its worker threads first, so that they load while the CLI does.
const { prestartFor, discardThreadPool } = await import(from('prestart'));
prestartFor(process.argv.slice(2));
const { run } = await import(from('main'));
process.exitCode = await run(process.argv.slice(2));
await discardThreadPool();

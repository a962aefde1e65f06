/**
 * Whether a build output matches its sources, by content: a stamp file in the output records the
 * SHA-256 of every source file as it was when the build that wrote the output started. Content, not
 * mtimes, so a `git checkout` that touches files without changing them does not force a rebuild, and an
 * edit that keeps an old mtime (a copy with -p, a clock skew) is still seen.
 *
 * Used by scripts/build.mjs (build dist/ only when stale), native/build.mjs (the addon) and the test
 * run's global setup (test/global-setup.ts), which refuses to test a stale build: worker threads and
 * Grid Engine workers run dist/, while vitest runs the sources.
 *
 * @example
 *   const sources = distSources(root);
 *   const state = stampState(join(root, 'dist', '.build-stamp.json'), root, sources);
 *   if (!state.fresh) console.log(state.reason); // "3 source files changed since dist/ was built (core/rdd.ts, ...)"
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Every file under `dir` (relative to `root`, with `/`) whose name passes `keep`; skips node_modules, dist, build. */
export function walk(root, dir, keep) {
  const out = [];
  const abs = join(root, dir);
  if (!existsSync(abs)) return out;
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'build' || entry.name === 'prebuilds') continue;
      out.push(...walk(root, rel, keep));
    } else if (entry.isFile() && keep(rel)) {
      out.push(rel);
    }
  }
  return out;
}

/** The inputs of `tsc -p tsconfig.json`: tsconfig.json and the .ts files its `include` patterns name. */
export function distSources(root) {
  const config = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
  const files = new Set(['tsconfig.json']);
  for (const pattern of config.include ?? []) {
    // The patterns used here are `file.ts` (or `file.cts`) and `folder/**/*.ts`; anything else is a mistake worth hearing about.
    const tree = /^([\w.-]+)\/\*\*\/\*\.ts$/.exec(pattern);
    if (tree !== null) for (const f of walk(root, tree[1], (p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))) files.add(f);
    else if (/^[\w./-]+\.c?ts$/.test(pattern)) files.add(pattern);
    else throw new Error(`scripts/build-stamp.mjs: unsupported tsconfig include pattern '${pattern}'`);
  }
  return [...files].sort();
}

/** `{ path: sha256 }` for the files (relative to root). */
export function hashFiles(root, files) {
  const hashes = {};
  for (const f of files) {
    const abs = join(root, f);
    hashes[f.split(sep).join('/')] = existsSync(abs) ? createHash('sha256').update(readFileSync(abs)).digest('hex') : 'missing';
  }
  return hashes;
}

/** Writes the stamp for sources hashed before the build started (so edits made during the build count as changes). */
export function writeStamp(stampFile, hashes, extra = {}) {
  writeFileSync(stampFile, `${JSON.stringify({ ...extra, files: hashes }, null, 1)}\n`);
}

/**
 * `{ fresh: true }`, or `{ fresh: false, reason }` where the reason names the output, how many sources
 * changed and the first few of them. `extra` must equal what the stamp recorded beside the hashes.
 */
export function stampState(stampFile, root, files, what, extra = {}) {
  if (!existsSync(stampFile)) return { fresh: false, reason: `${what} has no build stamp (never built by this checkout's build script)` };
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return { fresh: false, reason: `${what}'s build stamp ${relative(root, stampFile)} is unreadable` };
  }
  for (const [k, v] of Object.entries(extra)) {
    if (stamp[k] !== v) return { fresh: false, reason: `${what} was built for ${k} ${String(stamp[k])}, this is ${String(v)}` };
  }
  const now = hashFiles(root, files);
  const before = stamp.files ?? {};
  const changed = Object.keys(now).filter((f) => before[f] !== now[f]);
  const removed = Object.keys(before).filter((f) => !(f in now));
  const all = [...changed, ...removed];
  if (all.length === 0) return { fresh: true };
  const shown = all.slice(0, 3).join(', ') + (all.length > 3 ? ', ...' : '');
  return { fresh: false, reason: `${all.length} source file${all.length === 1 ? '' : 's'} changed since ${what} was built (${shown})` };
}

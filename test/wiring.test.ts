import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs an ES module script in a fresh Node process in the repository (so `voxelflow/...` resolves through the exports map) and returns its stdout. */
function runScript(script: string): string {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.trim();
}

function sourceFiles(dir: string, ext = '.ts'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path, ext);
    return path.endsWith(ext) ? [path] : [];
  });
}

describe('package wiring', () => {
  it('the exports map has the package entry and one entry per folder, each a built index with its types', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    expect(Object.keys(pkg.exports)).toEqual(['.', './imaging', './streaming', './cluster', './table', './ui', './tomo', './package.json']);
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (subpath === './package.json') continue;
      const dir = subpath === '.' ? 'dist' : `dist/${subpath.slice(2)}`;
      expect(target).toEqual({ types: `./${dir}/index.d.ts`, import: `./${dir}/index.js` });
    }
  });

  it("'voxelflow/imaging' alone adds ctx.images and labeling (what image-rdd's error message tells users to import), and nothing of the other folders", () => {
    const out = runScript(`
      const { Context } = await import(${JSON.stringify(join(ROOT, 'dist', 'core', 'index.js'))});
      await import('voxelflow/imaging');
      const ctx = await Context.create({ master: 'local' });
      const img = ctx.images.fromArray(new Uint8Array([0, 9, 0, 9, 9, 0, 0, 0]), [2, 2, 2]);
      const count = await img.threshold({ above: 5 }).labelComponents({ connectivity: 6 }).componentCount();
      console.log(JSON.stringify({ count, readCsv: typeof ctx.readCsv, tomo: 'tomo' in ctx, ui: 'ui' in ctx }));
      await ctx.stop();`);
    expect(JSON.parse(out)).toEqual({ count: 2, readCsv: 'undefined', tomo: false, ui: false });
  });

  it("'voxelflow/table', 'voxelflow/tomo' and 'voxelflow/ui' each add their own context members (tomo's images are ImageRDDs: it loads imaging)", () => {
    const out = runScript(`
      const { Context } = await import(${JSON.stringify(join(ROOT, 'dist', 'core', 'index.js'))});
      const has = () => ['images', 'readCsv', 'tomo', 'ui'].filter((name) => name in Context.prototype).join(' ');
      const seen = [has()];
      for (const entry of ['voxelflow/table', 'voxelflow/tomo', 'voxelflow/ui']) {
        await import(entry);
        seen.push(has());
      }
      console.log(JSON.stringify(seen));`);
    expect(JSON.parse(out)).toEqual(['', 'readCsv', 'images readCsv tomo', 'images readCsv tomo ui']);
  });

  it('core alone has the pair operations (they are RDD methods, not installed by an import)', () => {
    const out = runScript(`
      const { Context } = await import(${JSON.stringify(join(ROOT, 'dist', 'core', 'index.js'))});
      const ctx = await Context.create({ master: 'local' });
      const counts = await ctx.parallelize(['a', 'b', 'a']).map((w) => [w, 1]).reduceByKey((a, b) => a + b).sortByKey().collect();
      console.log(JSON.stringify(counts));
      await ctx.stop();`);
    expect(JSON.parse(out)).toEqual([['a', 2], ['b', 1]]);
  });

  it('only core/context-members.ts writes to Context.prototype, and nothing patches RDD.prototype', () => {
    const writers: string[] = [];
    for (const folder of ['core', 'imaging', 'table', 'ui', 'tomo', 'cluster', 'streaming', 'batch', 'cli']) {
      for (const file of sourceFiles(join(ROOT, folder))) {
        const text = readFileSync(file, 'utf8');
        if (/defineProperty\((Context|RDD)\.prototype|(Context|RDD)\.prototype(\.\w+|\[[^\]]+\])\s*=[^=]/.test(text)) writers.push(relative(ROOT, file));
      }
    }
    expect(writers).toEqual(['core/context-members.ts']);
  });

  it.each(['core', 'native'])('%s imports nothing outside its folder (other folders build on it, never the other way)', (folder) => {
    const outside: string[] = [];
    for (const file of sourceFiles(join(ROOT, folder))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
        const target = relative(join(ROOT, folder), join(dirname(file), m[1] as string));
        if (target.startsWith('..')) outside.push(`${relative(ROOT, file)} -> ${m[1]}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('the built modules import each other without a cycle (a cycle makes load order decide what is undefined)', () => {
    // Static value imports and re-exports of dist/ (type-only imports are gone from the JavaScript).
    const root = join(ROOT, 'dist');
    const files = sourceFiles(root, '.js').filter((f) => !relative(root, f).startsWith('benchmarks'));
    const known = new Set(files);
    const graph = new Map<string, string[]>();
    for (const f of files) {
      const deps: string[] = [];
      for (const m of readFileSync(f, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|^import\s+'(\.[^']+)'/gm)) {
        const d = join(dirname(f), (m[1] ?? m[2]) as string);
        if (known.has(d)) deps.push(d);
      }
      graph.set(f, deps);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'open');
      stack.push(f);
      for (const d of graph.get(f) ?? []) {
        if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d].map((p) => relative(root, p)).join(' -> '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(files.length).toBeGreaterThan(100);
    expect(cycles).toEqual([]);
  });
});

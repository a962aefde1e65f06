import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import '../../index.js';
import { packageRoot } from '../../core/package-root.js';
import { registeredModules } from '../../core/registry.js';
import { cliSandbox } from './cli-sandbox.js';

const dist = join(packageRoot(), 'dist');
const manifestFile = join(dist, 'bundle', 'manifest.json');
const { dir, voxelflow } = cliSandbox('voxelflow-bundle-');

/** `voxelflow ARGS` from dist/ as tsc wrote it, not from the bundle bin/voxelflow.js prefers. */
function unbundled(...args: string[]): { code: number | null; err: string } {
  const main = pathToFileURL(join(dist, 'cli', 'main.js')).href;
  const code = `const { run } = await import(${JSON.stringify(main)}); process.exitCode = await run(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', cwd: dir, timeout: 120_000 });
  return { code: r.status, err: r.stderr };
}

describe.skipIf(!existsSync(manifestFile))('the command line bundle (dist/bundle, built by npm run build)', () => {
  it('holds every module that registers nodes or named functions, so bundled threads load them from it', () => {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, string>;
    const ours = registeredModules().map((u) => relative(dist, fileURLToPath(u))).filter((p) => !p.startsWith('..'));
    expect(ours.length).toBeGreaterThan(10);
    for (const p of ours) {
      expect(manifest[p], p).toBeDefined();
      expect(existsSync(join(dist, 'bundle', manifest[p] as string)), p).toBe(true);
    }
  });

  it('gives byte-equal outputs to the unbundled command line on local[2] (prestarted threads)', () => {
    const args = (tag: string) => ['analyze', 'synthetic:blobs:72x64x56', '--box', '1', '--above', '300', '--labels', `${tag}.npy`, '--stats', `${tag}.csv`, '--master', 'local[2]', '--quiet'];
    const a = voxelflow(...args('bundled'));
    expect(a.code, a.err).toBe(0);
    const b = unbundled(...args('plain'));
    expect(b.code, b.err).toBe(0);
    expect(readFileSync(join(dir, 'bundled.npy')).equals(readFileSync(join(dir, 'plain.npy')))).toBe(true);
    expect(readFileSync(join(dir, 'bundled.csv'), 'utf8')).toBe(readFileSync(join(dir, 'plain.csv'), 'utf8'));
    expect(readFileSync(join(dir, 'plain.csv'), 'utf8').split('\n').length).toBeGreaterThan(3);
  });

  it('runs voxelflow --version and a usage error the same way', () => {
    expect(voxelflow('--version').out.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const bad = voxelflow('analyze', 'nope.npy', '--master', 'local[2]', '--box', 'x');
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  });
});

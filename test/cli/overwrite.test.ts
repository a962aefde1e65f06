/**
 * `--overwrite` (issue 14): an existing output of analyze or reconstruct, whatever its format, is
 * refused before anything is read or computed (one line naming the flag, the file and --overwrite,
 * exit 2, the old file byte-identical, nothing else written); with --overwrite it is replaced; and a
 * run killed while it works leaves the old file as it was and no new file under an output's name.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../imaging/io/index.js';
import { writeScan } from '../tomo/fixtures.js';
import { cliSandbox, VOXELFLOW_BIN } from './cli-sandbox.js';

const { dir, voxelflow } = cliSandbox('vf-overwrite-');
const OLD = Buffer.from('an older output, not an image');
const INPUT = 'synthetic:blobs:24x20x16:3';

/** A fresh folder (in the sandbox) holding `name` with the old bytes: a file, or a store folder for .zarr. */
function existing(name: string): string {
  const folder = join(dir, `case-${readdirSync(dir).length}`);
  mkdirSync(folder);
  if (name.endsWith('.zarr')) {
    mkdirSync(join(folder, name));
    writeFileSync(join(folder, name, 'zarr.json'), OLD);
  } else {
    writeFileSync(join(folder, name), OLD);
  }
  return folder;
}

const oldBytes = (path: string): boolean => readFileSync(path.endsWith('.zarr') ? join(path, 'zarr.json') : path).equals(OLD);

function expectRefused(r: ReturnType<typeof voxelflow>, command: string, flag: string, path: string): void {
  expect(r.code, r.err).toBe(2);
  expect(r.err.trim().split('\n')).toEqual([`voxelflow ${command}: --${flag} ${path} already exists; pass --overwrite to replace it, or write elsewhere`]);
}

describe('analyze and an existing output', () => {
  const cases: [flag: string, name: string, extra: string[]][] = [
    ['labels', 'l.npy', []],
    ['labels', 'l.raw', []],
    ['labels', 'l.tif', []],
    ['labels', 'l.zarr', []],
    ['filtered', 'f.npy', ['--box', '1']],
    ['stats', 's.csv', []],
    ['preview', 'p.png', []],
  ];
  for (const [flag, name, extra] of cases) {
    it(`--${flag} ${name}: refused before the input is read, replaced with --overwrite`, () => {
      const folder = existing(name);
      const path = join(folder, name);
      // An input that does not exist: the refusal comes first, so nothing was read.
      expectRefused(voxelflow('analyze', join(dir, 'never-read.npy'), '--above', '400', ...extra, `--${flag}`, path), 'analyze', flag, path);
      expect(oldBytes(path)).toBe(true);
      expect(readdirSync(folder)).toEqual([name]);
      const r = voxelflow('analyze', INPUT, '--above', '400', ...extra, `--${flag}`, path, '--overwrite', '--quiet');
      expect(r.code, r.err).toBe(0);
      expect(oldBytes(path)).toBe(false);
      if (name.endsWith('.npy') || name.endsWith('.tif')) expect(readImage(path).shape).toEqual([16, 20, 24]);
      if (name.endsWith('.csv')) expect(readFileSync(path, 'utf8')).toMatch(/^label,voxels,/);
      expect(readdirSync(folder)).toEqual([name]);
    });
  }

  it('checks every output before any is written: one existing output refuses the run, the new ones are not made', () => {
    const folder = existing('s.csv');
    const r = voxelflow('analyze', INPUT, '--above', '400', '--labels', join(folder, 'new.npy'), '--preview', join(folder, 'new.png'), '--stats', join(folder, 's.csv'));
    expectRefused(r, 'analyze', 'stats', join(folder, 's.csv'));
    expect(readdirSync(folder)).toEqual(['s.csv']);
  });

  it('a run killed while it works leaves the old outputs as they were and no new file under their names', async () => {
    const folder = existing('k.npy');
    writeFileSync(join(folder, 'k.csv'), OLD);
    const child = spawn(process.execPath, [VOXELFLOW_BIN, 'analyze', 'synthetic:bone:160x160x160:1', '--box', '1', '--below', '500', '--labels', join(folder, 'k.npy'), '--stats', join(folder, 'k.csv'), '--overwrite', '--json', '--master', 'local[2]'], { cwd: dir });
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    // Killed once labeling has started (the outputs' temporary files may exist by then).
    await new Promise<void>((resolve, reject) => {
      let text = '';
      child.stderr.on('data', (d: Buffer) => {
        text += d.toString();
        if (/"step":"(label|stats|write)"/.test(text)) resolve();
      });
      child.once('exit', () => reject(new Error(`exited before labeling: ${text}`)));
    });
    child.kill('SIGKILL');
    expect(await exit).toBe('SIGKILL');
    expect(oldBytes(join(folder, 'k.npy'))).toBe(true);
    expect(oldBytes(join(folder, 'k.csv'))).toBe(true);
    expect(readdirSync(folder).filter((f) => !f.startsWith('.'))).toEqual(['k.csv', 'k.npy']);
    // What the killed run left under temporary names goes with the next run of the same outputs (and
    // for certain: one a run killed in its write step leaves, its pid gone).
    writeFileSync(join(folder, `.k.npy.tmp-${child.pid}.npy`), OLD);
    const again = voxelflow('analyze', INPUT, '--above', '400', '--labels', join(folder, 'k.npy'), '--stats', join(folder, 'k.csv'), '--overwrite', '--quiet');
    expect(again.code, again.err).toBe(0);
    expect(readdirSync(folder)).toEqual(['k.csv', 'k.npy']);
  });
});

describe('reconstruct --out and an existing file', () => {
  it('is refused before the scan is read, and replaced with --overwrite', () => {
    const folder = existing('rec.npy');
    const out = join(folder, 'rec.npy');
    expectRefused(voxelflow('reconstruct', join(dir, 'no-scan.npy'), '--angles', '0:180', '--no-flat', '--out', out), 'reconstruct', 'out', out);
    expect(oldBytes(out)).toBe(true);
    writeScan(folder, { size: 16, rows: 2, angles: 24, shift: 0 });
    const r = voxelflow('reconstruct', join(folder, 'proj.npy'), '--flats', join(folder, 'flats.npy'), '--angles', '0:180', '--center', '8', '--out', out, '--overwrite', '--master', 'local[1]', '--quiet');
    expect(r.code, r.err).toBe(0);
    expect(readImage(out).shape).toEqual([2, 16, 16]);
  });
});

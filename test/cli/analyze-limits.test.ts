/**
 * `voxelflow analyze` at the edges of what it may touch (issue 13): detached data files outside the
 * header's folder are refused unless `--allow-outside-data`, and a spill disk that fills up is one line
 * naming the folder, how much it needed and `--spill-dir`, exit 2, with nothing left on that disk.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { writeImage } from '../../imaging/io/index.js';
import { mountTmpfs } from '../core/storage/tmpfs.js';
import { cliSandbox } from './cli-sandbox.js';

const { dir, voxelflow } = cliSandbox('vf-cli-limits-');

function expectOneLineFailure(r: { code: number | null; err: string }, pattern: RegExp): void {
  expect(r.err).toMatch(pattern);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(2);
}

describe('analyze --help', () => {
  it('lists --allow-outside-data and --spill-dir', () => {
    const r = voxelflow('analyze', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\s+--allow-outside-data\s+\S/m);
    expect(r.out).toMatch(/^\s+--spill-dir DIR\s+\S/m);
  });
});

describe('analyze of a header whose data file is outside its folder', () => {
  // <dir>/secret.raw is outside <dir>/headers/, where the headers are.
  const headers = join(dir, 'headers');
  mkdirSync(headers);
  writeFileSync(join(dir, 'secret.raw'), Buffer.from([0, 9, 9, 0, 9, 0, 0, 0, 9, 9, 0, 0]));
  const nhdr = join(headers, 'up.nhdr');
  writeFileSync(nhdr, 'NRRD0004\ntype: uint8\ndimension: 3\nsizes: 3 2 2\nencoding: raw\ndata file: ../secret.raw\n');
  const mhd = join(headers, 'abs.mhd');
  writeFileSync(mhd, `NDims = 3\nDimSize = 3 2 2\nElementType = MET_UCHAR\nElementDataFile = ${join(dir, 'secret.raw')}\n`);

  it('refuses NRRD `data file: ../` with one line naming the header, the field and the path, exit 2', () => {
    expectOneLineFailure(voxelflow('analyze', nhdr, '--above', '0', '--quiet', '--master', 'local'), /up\.nhdr: data file '\.\.\/secret\.raw' leaves the header's folder .*--allow-outside-data/);
  });

  it('refuses an absolute MetaImage ElementDataFile, exit 2', () => {
    expectOneLineFailure(voxelflow('analyze', mhd, '--above', '0', '--quiet', '--master', 'local'), new RegExp(`abs\\.mhd: ElementDataFile '${join(dir, 'secret.raw')}' is an absolute path`));
  });

  it('reads both with --allow-outside-data, in worker threads too', () => {
    for (const header of [nhdr, mhd]) {
      const r = voxelflow('analyze', header, '--above', '0', '--quiet', '--json', '--master', 'local[2]', '--allow-outside-data');
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ shape: [2, 2, 3], voxels_foreground: 5 });
    }
  });
});

describe('analyze with a spill disk that fills up', () => {
  const tmpfs = mountTmpfs('1m');
  if (tmpfs.state === 'unavailable') console.warn(`analyze spill-disk tests skipped: ${tmpfs.reason}`);
  afterAll(() => {
    if (tmpfs.state === 'mounted') tmpfs.unmount();
  });

  it('prints one line naming the spill directory, the bytes it needed and --spill-dir, exits 2 and leaves the directory empty', ({ skip }) => {
    if (tmpfs.state === 'unavailable') return skip(tmpfs.reason);
    // analyze caches nothing, but labeling's exchange keeps shuffle outputs: 512 blocks of 16^3 send
    // their boundary faces and partial statistics (several MiB), more than the 1 MiB disk holds.
    const data = new Uint16Array(128 * 128 * 128).map((_, i) => (i * 7919) % 1000);
    const input = join(dir, 'big.npy');
    writeImage(input, { data, shape: [128, 128, 128], dtype: 'u16' });
    const r = voxelflow('analyze', input, '--box', '1', '--above', '500', '--block', '16x16x16', '--memory', '64k', '--spill-dir', tmpfs.dir, '--master', 'local[2]', '--quiet');
    expectOneLineFailure(r, new RegExp(`spill directory ${tmpfs.dir} is full: this run needed at least [\\d.]+ [KM]iB there; pass --spill-dir DIR`));
    expect(r.err).not.toMatch(/ENOSPC/);
    expect(readdirSync(tmpfs.dir)).toEqual([]);
  });
});

describe('analyze --spill-dir', () => {
  it('refuses a folder that cannot be made, exit 2, naming the flag', () => {
    // A readable input: analyze checks it before it creates the context (and its spill folder).
    writeImage(join(dir, 'x.npy'), { data: new Uint8Array(8), shape: [2, 2, 2], dtype: 'u8' });
    expectOneLineFailure(voxelflow('analyze', join(dir, 'x.npy'), '--above', '0', '--spill-dir', join(dir, 'no', 'such')), /--spill-dir: cannot create a folder in '.*no\/such'/);
  });
});
describe('analyze outputs', () => {
  it('refuses an output in a missing folder before reading anything, naming the folder', () => {
    const r = voxelflow('analyze', join(dir, 'never-read.npy'), '--above', '0', '--labels', join(dir, 'missing', 'l.npy'));
    expectOneLineFailure(r, /cannot write .*missing\/l\.npy: the folder .*missing does not exist; create it first/);
  });
});

describe('analyze outputs that are not plain new files', () => {
  const input = (): string => {
    const file = join(dir, 'small.npy');
    writeImage(file, { data: new Uint16Array(16 * 16 * 16).map((_, i) => (i % 7) * 100), shape: [16, 16, 16], dtype: 'u16' }, { overwrite: true });
    return file;
  };

  it('writes through a symlink to a file with --overwrite, keeping the link', () => {
    writeFileSync(join(dir, 'real.csv'), 'old');
    symlinkSync(join(dir, 'real.csv'), join(dir, 'link.csv'));
    expectOneLineFailure(voxelflow('analyze', input(), '--above', '350', '--stats', join(dir, 'link.csv')), /--stats .*real\.csv already exists; pass --overwrite/);
    expect(readFileSync(join(dir, 'real.csv'), 'utf8')).toBe('old');
    const r = voxelflow('analyze', input(), '--above', '350', '--stats', join(dir, 'link.csv'), '--overwrite');
    expect(r.code).toBe(0);
    expect(lstatSync(join(dir, 'link.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.csv'), 'utf8')).toMatch(/^label,voxels,/);
  });

  it('refuses a folder, a pipe, "-" and two outputs naming one file, before any work, exit 2', () => {
    mkdirSync(join(dir, 'a-folder'));
    expectOneLineFailure(voxelflow('analyze', input(), '--above', '350', '--stats', join(dir, 'a-folder')), /--stats .*a-folder is a folder; give the path of a file to write/);
    execFileSync('mkfifo', [join(dir, 'a-pipe')]);
    expectOneLineFailure(voxelflow('analyze', input(), '--above', '350', '--stats', join(dir, 'a-pipe')), /--stats .*a-pipe is not a regular file/);
    expectOneLineFailure(voxelflow('analyze', input(), '--above', '350', '--stats', '-'), /--stats -: outputs are files/);
    expectOneLineFailure(voxelflow('analyze', input(), '--above', '350', '--labels', join(dir, 'same.npy'), '--stats', join(dir, 'same.npy')), /--labels and --stats name the same file/);
    expect(readdirSync(dir).filter((f) => f.includes('tmp') || f.includes('same'))).toEqual([]);
  });

  it('writes .raw labels, and refuses an empty threshold range and an unknown master with exit 2', () => {
    expect(voxelflow('analyze', input(), '--above', '350', '--labels', join(dir, 'l.raw')).code).toBe(0);
    expect(readFileSync(join(dir, 'l.raw')).length).toBe(16 * 16 * 16 * 4);
    expectOneLineFailure(voxelflow('analyze', input(), '--above', '400', '--below', '100'), /--above 400 --below 100 selects nothing/);
    expectOneLineFailure(voxelflow('analyze', input(), '--above', '400', '--master', 'foo'), /--master: unknown master 'foo'/);
  });
});

/**
 * An existing output is replaced only with `overwrite: true`, the same default for every format
 * (issue 14): refused before anything is computed, the old file byte-identical and no temporary file
 * left; and a file that appears at the path while a task-side output is written is not replaced.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Context, ImageFormatError, readImage, writeImage } from '../../../index.js';
import { createContiguousOutput } from '../../../imaging/io/block-writer.js';
import { makeVolume, tempDir } from './helpers.js';
import { contextPerFile } from '../../helpers/context.js';

const dir = tempDir();
const OLD = Buffer.from('the previous output, not an image');
const REFUSED = /: already exists; pass --overwrite \(overwrite: true\) to replace it, or write elsewhere$/;

/** A fresh folder holding `name` with the old bytes. */
function existing(name: string): { folder: string; path: string } {
  const folder = join(dir, `${name.replace(/\W/g, '-')}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(folder);
  const path = join(folder, name);
  writeFileSync(path, OLD);
  return { folder, path };
}

describe('writeImage and an existing file', () => {
  for (const [name, volume] of [['a.npy', makeVolume('u16', [2, 3, 4])], ['a.raw', makeVolume('f32', [2, 3, 4])], ['a.tif', makeVolume('u8', [2, 3, 4])], ['a.png', makeVolume('u8', [1, 3, 4])]] as const) {
    it(`refuses to replace ${name} without overwrite, and replaces it with overwrite: true`, () => {
      const { folder, path } = existing(name);
      expect(() => writeImage(path, volume)).toThrowError(ImageFormatError);
      expect(() => writeImage(path, volume)).toThrowError(REFUSED);
      expect(readFileSync(path).equals(OLD)).toBe(true);
      expect(readdirSync(folder)).toEqual([name]);
      writeImage(path, volume, { overwrite: true });
      const back = readImage(path, name.endsWith('.raw') ? { shape: [4, 3, 2], dtype: 'f32' } : {});
      expect(Array.from(back.data)).toEqual(Array.from(volume.data));
      expect(readdirSync(folder)).toEqual([name]);
    });
  }
});

describe('ImageRDD.write and an existing file or store', () => {
  let ctx: Context;
  contextPerFile({ master: 'local[2]' }, (c) => (ctx = c));

  // .npy, .raw and uncompressed .tif are written by the tasks; LZW TIFF and PNG through the driver.
  for (const [name, options] of [['b.npy', {}], ['b.raw', {}], ['b.tif', {}], ['c.tif', { compression: 'lzw' }], ['b.png', {}]] as const) {
    it(`refuses ${name}${'compression' in options ? ' (LZW)' : ''} before any job runs, and replaces it with overwrite: true`, async () => {
      const { folder, path } = existing(name);
      const img = ctx.images.synthetic({ kind: 'blobs', shape: [name.endsWith('.png') ? 1 : 6, 10, 12], seed: 3 }).threshold({ above: 400 });
      let jobs = 0;
      const off = ctx.on('jobStart', () => void jobs++);
      await expect(img.write(path, options)).rejects.toThrow(REFUSED);
      off();
      expect(jobs).toBe(0);
      expect(readFileSync(path).equals(OLD)).toBe(true);
      expect(readdirSync(folder)).toEqual([name]);
      await img.write(path, { ...options, overwrite: true });
      const back = readImage(path, name.endsWith('.raw') ? { shape: [12, 10, img.shape[0]], dtype: 'u8' } : {});
      expect(Array.from(back.data)).toEqual(Array.from((await img.toArray()).data));
      expect(readdirSync(folder)).toEqual([name]);
    });
  }

  it('refuses a .zarr store in the way, leaving it as it was', async () => {
    const folder = join(dir, 'zarr-store');
    mkdirSync(join(folder, 'd.zarr'), { recursive: true });
    writeFileSync(join(folder, 'd.zarr', 'zarr.json'), OLD);
    await expect(ctx.images.synthetic({ kind: 'blobs', shape: [4, 8, 8], seed: 1 }).write(join(folder, 'd.zarr'))).rejects.toThrow(REFUSED);
    expect(readdirSync(folder)).toEqual(['d.zarr']);
    expect(readFileSync(join(folder, 'd.zarr', 'zarr.json')).equals(OLD)).toBe(true);
  });
});

describe('what a killed writer left beside the output', () => {
  it('is removed by the next write of that output: the temporaries of dead processes, not those of live ones, an old store moved aside or other files', () => {
    const folder = join(dir, 'leftovers');
    mkdirSync(folder);
    const dead = spawnSync('true').pid as number; // exited: no process has this pid now (pids are not reused at once)
    const live = process.ppid;
    const gone = [`.x.npy.${dead}.1.tmp`, `.x.npy.${dead}.ab12cd34.partial`, `.x.npy.tmp-${dead}.npy`, `..x.npy.tmp-${dead}.npy.${dead}.ab12cd34.partial`];
    const kept = [`.x.npy.${live}.1.tmp`, `.x.npy.old-${dead}-ab12cd34`, `.y.npy.${dead}.1.tmp`, 'notes.txt'];
    for (const f of [...gone, ...kept]) writeFileSync(join(folder, f), OLD);
    mkdirSync(join(folder, `.x.npy.partial-${dead}-ab12cd34`));
    writeImage(join(folder, 'x.npy'), makeVolume('u8', [1, 2, 2]));
    expect(readdirSync(folder).sort()).toEqual([...kept, 'x.npy'].sort());
  });
});

describe('a file that appears while the output is written', () => {
  it('is kept: the finished output is not renamed over it without overwrite, and its temporary file goes', () => {
    const folder = join(dir, 'race');
    mkdirSync(folder);
    const path = join(folder, 'late.npy');
    const pending = createContiguousOutput(path, 'npy', [1, 2, 2], 'u8');
    writeFileSync(path, OLD);
    expect(() => pending.commit()).toThrowError(REFUSED);
    expect(readFileSync(path).equals(OLD)).toBe(true);
    expect(readdirSync(folder)).toEqual(['late.npy']);
  });

  it('is replaced with overwrite', () => {
    const folder = join(dir, 'race-overwrite');
    mkdirSync(folder);
    const path = join(folder, 'late.npy');
    const pending = createContiguousOutput(path, 'npy', [1, 2, 2], 'u8', { overwrite: true });
    writeFileSync(path, OLD);
    pending.commit();
    expect(readImage(path).shape).toEqual([1, 2, 2]);
    expect(readdirSync(folder)).toEqual(['late.npy']);
  });
});

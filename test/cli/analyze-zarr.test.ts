/**
 * `voxelflow analyze` with Zarr: a .zarr input, --labels/--filtered .zarr outputs (one OME-Zarr image
 * with its labels at labels/labels when both name the same store), --pyramid N, and --overwrite.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Context, readImage } from '../../index.js';
import { cliSandbox } from './cli-sandbox.js';

const { dir, voxelflow } = cliSandbox('vf-cli-zarr-');

const json = (file: string): Record<string, any> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

beforeAll(async () => {
  const ctx = await Context.create({ master: 'local[1]' });
  try {
    await ctx.images.synthetic({ kind: 'blobs', shape: [24, 32, 40], seed: 5, blockShape: [12, 16, 20] }).write(join(dir, 'in.zarr'));
  } finally {
    await ctx.stop();
  }
});

describe('analyze with Zarr', () => {
  it('reads a .zarr input and writes labels and the filtered image into one OME-Zarr store with a pyramid', () => {
    const r = voxelflow('analyze', 'in.zarr', '--box', '1', '--above', '300', '--labels', 'out.zarr', '--filtered', 'out.zarr', '--pyramid', '2', '--quiet', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { components: number; shape: number[] };
    expect(summary.shape).toEqual([24, 32, 40]);
    const root = json(join(dir, 'out.zarr', 'zarr.json')).attributes.ome;
    expect(root.multiscales[0].datasets.map((d: { path: string }) => d.path)).toEqual(['0', '1', '2']);
    expect(json(join(dir, 'out.zarr', 'labels', 'zarr.json')).attributes.ome.labels).toEqual(['labels']);
    expect(json(join(dir, 'out.zarr', 'labels', 'labels', 'zarr.json')).attributes.ome['image-label']).toBeDefined();
    expect(readImage(join(dir, 'out.zarr')).dtype).toBe('f32');
    const labels = readImage(join(dir, 'out.zarr', 'labels', 'labels'));
    expect(labels.dtype).toBe('u32');
    expect(Math.max(...labels.data)).toBe(summary.components);
    expect(json(join(dir, 'out.zarr', 'labels', 'labels', '2', 'zarr.json')).shape).toEqual([6, 8, 10]);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('labels the same from .zarr as from .npy', () => {
    expect(voxelflow('analyze', 'in.zarr', '--above', '300', '--labels', 'a.zarr', '--quiet').code).toBe(0);
    expect(voxelflow('analyze', 'in.zarr', '--above', '300', '--labels', 'a.npy', '--quiet').code).toBe(0);
    expect(Buffer.from(readImage(join(dir, 'a.zarr')).data.buffer).equals(Buffer.from(readImage(join(dir, 'a.npy')).data.buffer))).toBe(true);
  });

  it('refuses an existing .zarr output before any work, and replaces it with --overwrite', () => {
    expect(voxelflow('analyze', 'in.zarr', '--above', '300', '--labels', 'b.zarr', '--quiet').code).toBe(0);
    const r = voxelflow('analyze', 'in.zarr', '--above', '900', '--labels', 'b.zarr', '--quiet');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toMatch(/b\.zarr already exists; pass --overwrite to replace it/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    const foreground = (f: string): number => readImage(join(dir, f)).data.filter((v) => v !== 0).length;
    const before = foreground('b.zarr');
    expect(voxelflow('analyze', 'in.zarr', '--above', '900', '--labels', 'b.zarr', '--overwrite', '--quiet').code).toBe(0);
    expect(foreground('b.zarr')).toBeLessThan(before);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('refuses --pyramid without a .zarr output, and a --block that levels would not fall on', () => {
    const r = voxelflow('analyze', 'in.zarr', '--above', '300', '--labels', 'c.npy', '--pyramid', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--pyramid needs a \.zarr output/);
    const b = voxelflow('analyze', 'in.zarr', '--above', '300', '--labels', 'c.zarr', '--pyramid', '2', '--block', '6x8x8');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--pyramid: 2 levels need block sizes that are multiples of 4 .*block size is 6/);
    expect(existsSync(join(dir, 'c.zarr'))).toBe(false);
  });
});

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Context, readImage, writeImage } from '../../index.js';
import { cliSandbox } from './cli-sandbox.js';

const { dir, voxelflow } = cliSandbox('vf-cli-');

function expectCleanFailure(r: { code: number | null; err: string }, code: number, pattern: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
}

async function blobsNpy(name: string): Promise<string> {
  const ctx = await Context.create({ master: 'local' });
  try {
    const img = ctx.images.synthetic({ kind: 'blobs', shape: [24, 40, 36], seed: 5, blockShape: [8, 16, 16] });
    const file = join(dir, name);
    writeImage(file, await img.toArray());
    return file;
  } finally {
    await ctx.stop();
  }
}

describe('voxelflow command', () => {
  it('--help lists the commands and exits 0', () => {
    const r = voxelflow('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/usage: voxelflow <command>/);
    for (const c of ['analyze', 'demo', 'version']) expect(r.out).toMatch(new RegExp(`^\\s+${c}\\s+`, 'm'));
  });

  it('an unknown command exits 2 with one line', () => {
    expectCleanFailure(voxelflow('frobnicate'), 2, /unknown command 'frobnicate'/);
  });
});

describe('voxelflow demo', () => {
  it('labels the phantom, prints the summary and writes labels.npy, stats.csv and slice.png', () => {
    const r = voxelflow('demo', '--size', '32', '--master', 'local[2]', '--out', 'demo-out');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/porous-bone phantom 32\^3 \(32,768 voxels\)/);
    const components = Number(/in ([\d,]+) components/.exec(r.out)?.[1]?.replace(/,/g, ''));
    expect(components).toBeGreaterThan(0);
    const out = join(dir, 'demo-out');
    expect(readdirSync(out).sort()).toEqual(['labels.npy', 'slice.png', 'stats.csv']);
    const labels = readImage(join(out, 'labels.npy'));
    expect(labels.shape).toEqual([32, 32, 32]);
    expect(Math.max(...new Set(labels.data))).toBe(components);
    expect(readFileSync(join(out, 'stats.csv'), 'utf8').trim().split('\n')).toHaveLength(components + 1);
  });

  it('a bad --size exits 2 and names the flag', () => {
    expectCleanFailure(voxelflow('demo', '--size', 'huge'), 2, /--size must be an integer in 16..1024, got 'huge'/);
  });

  it('refuses a folder --out names that exists (and a --table file), before any work; --overwrite replaces it', () => {
    const mine = join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'precious.txt'), 'keep');
    expectCleanFailure(voxelflow('demo', '--size', '16', '--out', mine), 2, new RegExp(`^voxelflow demo: --out: ${mine} already exists; pass --overwrite to replace it, or name another folder\n$`));
    expect(readdirSync(mine)).toEqual(['precious.txt']);
    expect(voxelflow('demo', '--size', '16', '--master', 'local[1]', '--out', mine, '--overwrite').code).toBe(0);
    expect(readdirSync(mine).sort()).toEqual(['labels.npy', 'slice.png', 'stats.csv']);
    const cells = join(dir, 'cells');
    mkdirSync(cells);
    writeFileSync(join(cells, 'S2.csv'), 'keep');
    expectCleanFailure(voxelflow('demo', '--table', cells), 2, /--table: .*cells\/S2\.csv already exists; pass --overwrite/);
    expect(readdirSync(cells)).toEqual(['S2.csv']);
  });
});

describe('voxelflow analyze', () => {
  it('runs the pipeline and writes labels, filtered image and stats that match the library', async () => {
    const input = await blobsNpy('blobs.npy');
    const r = voxelflow('analyze', input, '--box', '1', '--above', '400', '--connectivity', '26', '--labels', 'l.npy', '--filtered', 'f.tif', '--stats', 's.csv', '--json', '--quiet', '--master', 'local[2]', '--block', '8x16x12');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { shape: number[]; components: number; voxels_foreground: number; timings_ms: Record<string, number>; peak_rss_mb: number };
    expect(summary.shape).toEqual([24, 40, 36]);
    // The whole process's peak RSS in MiB: a Node process with two worker threads holds tens of MiB at least.
    expect(Number.isInteger(summary.peak_rss_mb) && summary.peak_rss_mb > 30 && summary.peak_rss_mb < 4096).toBe(true);
    // read: opening the file; label: the fused pass (read, crop, filter, threshold, block labels) and the resolution; write: relabel + outputs.
    expect(Object.keys(summary.timings_ms).sort()).toEqual(['label', 'read', 'stats', 'total', 'write']);
    const ctx = await Context.create({ master: 'local' });
    try {
      const filtered = ctx.images.read(input).boxFilter(1);
      const expected = filtered.threshold({ above: 400 }).labelComponents({ connectivity: 26, intensity: filtered });
      expect(summary.components).toBe(await expected.componentCount());
      expect(Array.from(readImage(join(dir, 'l.npy')).data)).toEqual(Array.from((await expected.toArray()).data));
      expect(Array.from(readImage(join(dir, 'f.tif')).data)).toEqual(Array.from((await filtered.toArray()).data));
      const csv = readFileSync(join(dir, 's.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).toBe('label,voxels,centroid_x,centroid_y,centroid_z,bbox_min_x,bbox_min_y,bbox_min_z,bbox_max_x,bbox_max_y,bbox_max_z,mean_intensity,extent_1,extent_2,extent_3');
      const rows = await expected.shapeStats();
      expect(csv).toHaveLength(rows.length + 1);
      const first = (csv[1] as string).split(',').map(Number);
      expect(first.slice(0, 2)).toEqual([1, rows[0]?.voxels]);
      expect(first[2]).toBeCloseTo(rows[0]?.centroid[0] as number, 6);
      expect(first[12]).toBeCloseTo(rows[0]?.extents[0] as number, 6);
      expect(summary.voxels_foreground).toBe(rows.reduce((n, row) => n + row.voxels, 0));
    } finally {
      await ctx.stop();
    }
  });

  it('crops with --roi before everything else', async () => {
    const input = await blobsNpy('blobs2.npy');
    const r = voxelflow('analyze', input, '--above', '400', '--roi', '4,8,2,30,36,20', '--labels', 'roi.npy', '--json', '--master', 'local');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).shape).toEqual([18, 28, 26]);
    expect(readImage(join(dir, 'roi.npy')).shape).toEqual([18, 28, 26]);
  });

  it('reads raw input with --shape/--dtype/--endian', () => {
    const data = new Uint16Array(4 * 5 * 6).map((_, i) => (i % 7 === 0 ? 1000 : 10));
    const file = join(dir, 'img.raw');
    writeFileSync(file, Buffer.from(data.buffer));
    const r = voxelflow('analyze', file, '--shape', '6,5,4', '--dtype', 'u16', '--above', '500', '--json', '--quiet', '--master', 'local');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out).voxels_foreground).toBe(data.filter((v) => v === 1000).length);
  });

  it('a missing file exits 2 with one line naming it', () => {
    expectCleanFailure(voxelflow('analyze', 'nope.npy', '--above', '1'), 2, /nope\.npy/);
  });

  it('a truncated file exits 2 and leaves no output file behind', async () => {
    const input = await blobsNpy('blobs3.npy');
    const bytes = readFileSync(input);
    const broken = join(dir, 'broken.npy');
    writeFileSync(broken, bytes.subarray(0, bytes.length - 1000));
    const r = voxelflow('analyze', broken, '--above', '400', '--labels', 'never.npy', '--stats', 'never.csv');
    expectCleanFailure(r, 2, /broken\.npy: .*truncated|broken\.npy: .*short|broken\.npy/);
    expect(existsSync(join(dir, 'never.npy'))).toBe(false);
    expect(existsSync(join(dir, 'never.csv'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a wrong raw size exits 2 with both sizes', () => {
    const file = join(dir, 'short.raw');
    writeFileSync(file, Buffer.alloc(100));
    expectCleanFailure(voxelflow('analyze', file, '--shape', '10,10,10', '--dtype', 'u8', '--above', '1'), 2, /short\.raw: .*1000.*100|short\.raw: .*100.*1000/);
  });

  it('bad flag values exit 2 and name the flag', () => {
    expectCleanFailure(voxelflow('analyze', 'x.npy'), 2, /--above T and\/or --below T/);
    expectCleanFailure(voxelflow('analyze', 'x.npy', '--above', 'high'), 2, /--above must be a number, got 'high'/);
    expectCleanFailure(voxelflow('analyze', 'x.npy', '--above', '1', '--connectivity', '5'), 2, /--connectivity must be/);
    expectCleanFailure(voxelflow('analyze', 'x.npy', '--above', '1', '--roi', '1,2,3'), 2, /--roi needs 6 non-negative integers/);
    expectCleanFailure(voxelflow('analyze', 'x.npy', '--above', '1', '--labels', 'out.png'), 2, /--labels must end in \.npy, \.tif or \.tiff/);
    expectCleanFailure(voxelflow('analyze', 'x.npy', '--above', '1', '--dtype', 'u12'), 2, /--dtype must be one of/);
    expectCleanFailure(voxelflow('analyze', 'x.npy', '--above', '1', '--bogus'), 2, /Unknown option '--bogus'/);
  });

  it('an roi outside the image exits 2 and says the image size', async () => {
    const input = await blobsNpy('blobs4.npy');
    expectCleanFailure(voxelflow('analyze', input, '--above', '1', '--roi', '0,0,0,100,10,10'), 2, /--roi: .*36x40x24/);
  });
});

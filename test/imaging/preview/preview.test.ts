import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { Context, histogramSvg, Preview, sizeDistribution, sizeDistributionSvg } from '../../../index.js';
import { labelColor, windowRange } from '../../../imaging/preview/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vf-preview-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pixels(png: Buffer): { width: number; height: number; rgb: number[][] } {
  const img = pngjs.PNG.sync.read(png);
  const rgb: number[][] = [];
  for (let i = 0; i < img.width * img.height; i++) rgb.push([img.data[i * 4]!, img.data[i * 4 + 1]!, img.data[i * 4 + 2]!]);
  return { width: img.width, height: img.height, rgb };
}

describe('Preview', () => {
  it('maps the window min to black and max to white, clamping outside, NaN black', () => {
    const p = new Preview(new Float32Array([100, 150, 200, 50, 300, NaN]), 3, 2, { min: 100, max: 200 });
    const { width, height, rgb } = pixels(p.png());
    expect([width, height]).toEqual([3, 2]);
    expect(rgb.map((c) => c[0])).toEqual([0, 128, 255, 0, 255, 0]);
    expect(rgb.every((c) => c[0] === c[1] && c[1] === c[2])).toBe(true);
  });

  it('takes window/level as radiology viewers do', () => {
    expect(windowRange(new Uint16Array(1), { window: 400, level: 1000 })).toEqual([800, 1200]);
    expect(() => windowRange(new Uint16Array(1), { min: 5, max: 1 })).toThrow(/min <= max/);
  });

  it('auto window spans the 1st to 99th percentile of finite values, so one hot voxel does not wash out the rest', () => {
    const data = new Uint16Array(1000).map((_, i) => i % 100);
    data[0] = 65535;
    const [lo, hi] = new Preview(data, 1000, 1).range();
    expect(lo).toBeLessThanOrEqual(1);
    expect(hi).toBe(99);
  });

  it('paints labels in their colours over the gray, leaving label 0 alone', () => {
    const p = new Preview(new Uint8Array([0, 0, 255, 255]), 2, 2, { min: 0, max: 255 }).withLabels(new Uint32Array([0, 5, 0, 9]), 1);
    const { rgb } = pixels(p.png());
    expect(rgb[0]).toEqual([0, 0, 0]);
    expect(rgb[1]).toEqual(labelColor(5));
    expect(rgb[2]).toEqual([255, 255, 255]);
    expect(rgb[3]).toEqual(labelColor(9));
    expect(labelColor(5)).not.toEqual(labelColor(6));
  });

  it('a constant or all-NaN plane is a valid PNG', () => {
    for (const data of [new Float32Array(12).fill(3), new Float32Array(12).fill(NaN), new Uint8Array(12)]) {
      const { width, height, rgb } = pixels(new Preview(data, 4, 3).png());
      expect([width, height]).toEqual([4, 3]);
      expect(new Set(rgb.map((c) => c.join())).size).toBe(1);
    }
  });

  it('rejects mismatched labels and sizes with the fix', () => {
    const p = new Preview(new Uint8Array(6), 3, 2);
    expect(() => p.withLabels(new Preview(new Uint32Array(6), 2, 3))).toThrow(/take both planes the same way/);
    expect(() => new Preview(new Uint8Array(5), 3, 2)).toThrow(/must hold 3 x 2 values/);
  });

  it('writePng writes atomically and says which file it could not write', () => {
    const p = new Preview(new Uint8Array([1, 2, 3, 4]), 2, 2);
    const file = join(dir, 'p.png');
    p.writePng(file);
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    expect(readdirSync(dir)).toEqual(['p.png']);
    expect(() => p.writePng(join(dir, 'missing', 'p.png'))).toThrow(/cannot write .*missing\/p.png/);
  });

  it('writePng refuses an existing file unless overwrite is given, and leaves it as it was', () => {
    const file = join(dir, 'keep.png');
    writeFileSync(file, 'mine');
    const p = new Preview(new Uint8Array([1, 2, 3, 4]), 2, 2);
    expect(() => p.writePng(file)).toThrow(/keep\.png.*already exists.*overwrite/);
    expect(readFileSync(file, 'utf8')).toBe('mine');
    p.writePng(file, { overwrite: true });
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    expect(readdirSync(dir).filter((f) => f.includes('keep'))).toEqual(['keep.png']);
  });

  it('slices of a labeled image overlay the image slice (end to end)', async () => {
    const ctx = await Context.create({ master: 'local[2]' });
    try {
      const img = ctx.images.synthetic({ kind: 'blobs', shape: [24, 32, 40], seed: 2, blockShape: [8, 16, 16] });
      const labels = img.threshold({ above: 300 }).labelComponents({ connectivity: 26 });
      const slice = await img.slice(12);
      const overlay = slice.withLabels(await labels.slice(12));
      const { width, height, rgb } = pixels(overlay.png());
      expect([width, height]).toEqual([40, 32]);
      const colored = rgb.filter((c) => !(c[0] === c[1] && c[1] === c[2])).length;
      const labelled = Array.from((await labels.slice(12)).data).filter((l) => l !== 0).length;
      expect(labelled).toBeGreaterThan(0);
      expect(colored).toBeGreaterThan(0);
      expect(colored).toBeLessThanOrEqual(labelled);
    } finally {
      await ctx.stop();
    }
  });
});

describe('plots', () => {
  it('histogram SVG has one bar per bin, escapes the title and is well-formed', () => {
    const svg = histogramSvg({ edges: Float64Array.from([0, 1, 2, 3]), counts: Float64Array.from([5, 0, 2]), nan: 0, outside: 0 }, { title: 'a < b & "c"', logY: true });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(3);
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(svg).toContain('<title>[0, 1): 5</title>');
    // every opened element is closed
    const open = (svg.match(/<(rect|text|line|svg|title)\b/g) ?? []).length;
    const closed = (svg.match(/<\/(rect|text|svg|title)>|\/>/g) ?? []).length;
    expect(closed).toBe(open);
  });

  it('size distribution bins voxel counts logarithmically from 1 to the largest', () => {
    const d = sizeDistribution([1, 9, 10, 99, 100, 1000], 3);
    expect(Array.from(d.counts)).toEqual([2, 2, 2]);
    expect(d.log10Edges[0]).toBe(0);
    expect(d.log10Edges[3]).toBeCloseTo(3, 9);
    expect(Array.from(sizeDistribution([], 4).counts)).toEqual([0, 0, 0, 0]);
    expect(sizeDistributionSvg([3, 30, 300])).toContain('3 components');
  });
});

/**
 * The key-value examples in examples/ (the Spark Imaging Layer's formulations) agree voxel for voxel
 * with the block operators on a small seeded phantom whose blocks do not divide the image. Each
 * script runs as a user would run it (node, worker threads, importing the built package) and prints
 * its result volume with --json; the operators run here, inline, from the sources.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, type ImageRDD } from '../../index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHAPE = [14, 18, 22] as const; // [z, y, x]
const COMMON = ['--shape', SHAPE.join(','), '--block', '5,7,9', '--seed', '3', '--master', 'local[2]', '--json'];
// Just above the background noise (100..140): a few blobs plus hundreds of speckles, whose
// components differ between 6- and 26-connectivity.
const ABOVE = 135;

interface ScriptVolume {
  readonly shape: number[];
  readonly dtype: string;
  readonly data: number[];
}

const EXAMPLES = ['threshold-by-filter.mjs', 'roi-by-filter.mjs', 'box-filter-by-spread.mjs', 'label-by-spreading.mjs'];

async function run(name: string, args: readonly string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'examples', name), ...args], { cwd: root, timeout: 30_000 });
  return stdout;
}

async function runExample(name: string, ...args: string[]): Promise<ScriptVolume> {
  return JSON.parse(await run(name, [...COMMON, ...args])) as ScriptVolume;
}

/** Same shape and dtype, and every voxel within `tolerance` (0: equal). */
async function expectSameVolume(script: ScriptVolume, operator: ImageRDD, tolerance = 0): Promise<void> {
  const expected = await operator.toArray();
  expect(script.shape).toEqual([...expected.shape]);
  expect(script.dtype).toBe(expected.dtype);
  expect(script.data.length).toBe(expected.data.length);
  const bad: string[] = [];
  expected.data.forEach((v, i) => {
    const got = script.data[i] as number;
    if (!(Math.abs(got - v) <= tolerance)) bad.push(`voxel ${i}: example ${got}, operator ${v}`);
  });
  expect(bad.slice(0, 5)).toEqual([]);
}

describe('examples/ agree with the operators', () => {
  let ctx: Context;
  let img: ImageRDD;
  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('examples import the built package: run `npm run build` first');
    ctx = await Context.create({ master: 'local' });
    img = ctx.images.synthetic({ kind: 'blobs', shape: [...SHAPE], seed: 3, blockShape: [5, 7, 9] });
  });
  afterAll(async () => {
    await ctx.stop();
  });

  it('threshold-by-filter.mjs equals img.threshold({ above })', async () => {
    const script = await runExample('threshold-by-filter.mjs', '--above', String(ABOVE));
    await expectSameVolume(script, img.threshold({ above: ABOVE }));
  });

  it('roi-by-filter.mjs equals img.roi(min, max)', async () => {
    const script = await runExample('roi-by-filter.mjs', '--roi', '3,5,2,20,13,11');
    await expectSameVolume(script, img.roi([3, 5, 2], [20, 13, 11]));
  });

  it('box-filter-by-spread.mjs equals img.boxFilter(1) in constant mode, to float32 rounding', async () => {
    const script = await runExample('box-filter-by-spread.mjs');
    // The example sums v/27 in float64, the operator sums v and divides: equal within two float32
    // ulps of values below 2048 (an ulp there is 1.2e-4).
    await expectSameVolume(script, img.boxFilter(1, { mode: 'constant' }), 2e-4);
  });

  it('every example prints a summary without --json', async () => {
    const outputs = await Promise.all(EXAMPLES.map((name) => run(name, ['--shape', '12,12,12'])));
    expect(outputs.map((out) => out.split('\n')[0])).toEqual([
      expect.stringMatching(/^threshold v > 300 on a 12x12x12 .* \d+ of 1728 voxels are foreground$/),
      expect.stringMatching(/^ROI x \[3, 9\), y \[3, 9\), z \[3, 9\) of a 12x12x12/),
      expect.stringMatching(/^3x3x3 box filter by spreading on a 12x12x12/),
      expect.stringMatching(/^labeling of v > 300 on a 12x12x12 .* 26-connected$/),
    ]);
  });

  for (const connectivity of [6, 26] as const) {
    it(`label-by-spreading.mjs equals labelComponents({ connectivity: ${connectivity} }), numbering included`, async () => {
      const script = await runExample('label-by-spreading.mjs', '--above', String(ABOVE), '--connectivity', String(connectivity));
      const labels = img.threshold({ above: ABOVE }).labelComponents({ connectivity });
      expect((script as ScriptVolume & { components: number }).components).toBe(await labels.componentCount());
      await expectSameVolume(script, labels);
    });
  }
});

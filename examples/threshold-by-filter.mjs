/**
 * Threshold as a filter on key-value voxels — the Spark Imaging Layer's formulation.
 *
 * Every voxel is a pair `[[x, y, z], value]`; the foreground is `voxels().filter(v > t)`, and
 * `ImageRDD.fromVoxels` turns the surviving coordinates back into a u8 mask (positions never
 * mentioned are 0). The operator `img.threshold({ above: t })` computes the same mask on dense blocks.
 *
 *   npm run build
 *   node examples/threshold-by-filter.mjs [--shape 32,32,32] [--above 300] [--seed 1] [--json]
 *
 * Common flags (all four examples): --shape Z,Y,X of the seeded blobs phantom, --seed, --block Z,Y,X
 * (block shape), --master local[N], --json (print the result volume as JSON instead of a summary).
 */
// Inside this repository 'voxelflow' resolves to the package itself (Node's package self-reference
// through the "exports" map of ../package.json, i.e. ../dist/index.js: run `npm run build` first).
// Elsewhere, `npm install voxelflow` and the import is the same.
import { parseArgs } from 'node:util';
import { Context, ImageRDD } from 'voxelflow';

const { values: opt } = parseArgs({
  options: {
    shape: { type: 'string', default: '32,32,32' },
    seed: { type: 'string', default: '1' },
    block: { type: 'string' },
    master: { type: 'string', default: 'local[2]' },
    json: { type: 'boolean', default: false },
    above: { type: 'string', default: '300' },
  },
});
const shape = opt.shape.split(',').map(Number);
const above = Number(opt.above);

const ctx = await Context.create({ master: opt.master });
try {
  const img = ctx.images.synthetic({
    kind: 'blobs',
    shape,
    seed: Number(opt.seed),
    ...(opt.block ? { blockShape: opt.block.split(',').map(Number) } : {}),
  });
  // Functions run on worker threads, so values they use travel in the `env` argument.
  const foreground = img.voxels().filter(([, v], env) => v > env.above, { above });
  const mask = ImageRDD.fromVoxels(foreground.map(([p]) => [p, 1]), img.shape, 'u8');
  const { data } = await mask.toArray();
  const count = data.reduce((n, v) => n + v, 0);
  if (opt.json) {
    console.log(JSON.stringify({ shape: mask.shape, dtype: 'u8', foreground: count, data: Array.from(data) }));
  } else {
    console.log(`threshold v > ${above} on a ${shape.join('x')} (z,y,x) blobs phantom: ${count} of ${data.length} voxels are foreground`);
    console.log('first foreground voxels [x, y, z]:', JSON.stringify((await foreground.take(3)).map(([p]) => p)));
  }
} finally {
  await ctx.stop();
}
